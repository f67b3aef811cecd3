"""The report's charts: Altair (Vega-Lite) specifications rendered to inline SVG by vl-convert, which
bundles its own JavaScript engine and Vega, so drawing needs neither a browser nor the network."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import altair as alt

from ofsted_findings.reference import codes
from ofsted_findings.report.data import Row

# Grades best first and judgement areas in the order reports state them: the reference lists'
# order (reference/grades.csv, reference/judgement_areas.csv); any other area follows, alphabetically.
GRADES = list(codes("grades"))
AREAS = list(codes("judgement_areas"))
_COLOUR = {
    "outstanding": "#1a7f37", "good": "#7cbf5a", "requires_improvement": "#f0a63a", "inadequate": "#c9352b",
}
GRADE_COLOURS = [_COLOUR[g] for g in GRADES]  # a grade without a colour fails here, at import
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
CONFIG = {
    "font": FONT,
    "view": {"stroke": "#d0d0cc"},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#333", "titleColor": "#333"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "header": {"labelFontSize": 12, "titleFontSize": 12},
    "title": {"fontSize": 14, "anchor": "start"},
}


def label(code: object) -> str:
    """`requires_improvement` -> `Requires improvement`."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


GRADE_LABELS = [label(g) for g in GRADES]


def _iso(value: object) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return None if value is None else str(value)


def _inspection_label(row: Row) -> str:
    """`2018-11|full inspection` (two lines on an axis)."""
    when = _iso(row.get("end_date"))
    return f"{when[:7] if when else 'undated'}|{label(row.get('inspection_type')).lower()}"


# --- per authority ------------------------------------------------------------------------------


def grade_timeline(grades: list[Row], inspections: list[Row], authority: str) -> alt.FacetChart | None:
    """One small panel per judgement area: its grade (outstanding at the top) at each inspection,
    with a dashed rule at every dated inspection or visit of the authority, graded or not."""
    if not grades:
        return None
    areas = sorted(
        {str(g["area"]) for g in grades},
        key=lambda a: (a not in AREAS, AREAS.index(a) if a in AREAS else 0, a),
    )
    area_labels = [label(a) for a in areas]
    dated = [i for i in inspections if i.get("end_date") is not None]
    values: list[Row] = [
        {
            "kind": "grade",
            "area": label(g["area"]),
            "date": _iso(g["end_date"]),
            "grade": label(g["grade"]),
            "type": label(g["inspection_type"]).lower(),
            "change": g.get("change"),
        }
        for g in grades
    ]
    values += [
        {
            "kind": "inspection",
            "area": a,
            "date": _iso(i["end_date"]),
            "type": label(i["inspection_type"]).lower(),
        }
        for i in dated
        for a in area_labels
    ]
    dates = sorted(v["date"] for v in values if v["date"])
    lo, hi = dt.date.fromisoformat(dates[0]), dt.date.fromisoformat(dates[-1])
    pad = dt.timedelta(days=max(120, (hi - lo).days // 20))
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=[(lo - pad).isoformat(), (hi + pad).isoformat()]),
        axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True, grid=False),
    )
    y = alt.Y(
        "grade:N",
        title=None,
        scale=alt.Scale(domain=GRADE_LABELS),
        axis=alt.Axis(grid=True, gridColor="#ececea", labelLimit=160),
    )
    colour = alt.Color("grade:N", title="Grade", scale=alt.Scale(domain=GRADE_LABELS, range=GRADE_COLOURS))
    base = alt.Chart()
    rules = (
        base.mark_rule(strokeDash=[3, 3], color="#9a9a96")
        .encode(x=x)
        .transform_filter(alt.datum.kind == "inspection")
    )
    graded = base.transform_filter(alt.datum.kind == "grade")
    line = graded.mark_line(color="#6b6b67", strokeWidth=1.5).encode(x=x, y=y)
    points = graded.mark_point(filled=True, size=130, opacity=1).encode(
        x=x,
        y=y,
        color=colour,
        shape=alt.Shape("type:N", title="Inspection", legend=alt.Legend(symbolFillColor="#6b6b67")),
    )
    layered = alt.layer(rules, line, points, data=alt.Data(values=values)).properties(width=620, height=96)
    return layered.facet(
        row=alt.Row(
            "area:N",
            title=None,
            sort=area_labels,
            header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold", labelLimit=220),
        ),
        title=f"{authority}: grades by judgement area across inspections",
        spacing=10,
    ).configure(**CONFIG)


def theme_heatmap(themes: list[Row], authority: str) -> alt.Chart | None:
    """Theme x inspection: colour = share of weaknesses among its strength/weakness findings (grey
    when it has none, only mixed findings or recommendations); text = strengths and weaknesses
    found (R: recommendations on it); a dark outline = status weakness."""
    if not themes:
        return None
    values = [
        {
            "inspection": _inspection_label(t),
            "date": _iso(t["end_date"]),
            "theme": str(t["theme_label"]),
            "share": t["weakness_share"] if t["strengths"] or t["weaknesses"] else None,
            "status": t["status"],
            "text": f"+{t['strengths']} \u2212{t['weaknesses']}"
            + (f" R{t['recommendations']}" if t["recommendations"] else ""),
        }
        for t in themes
    ]
    inspections = [v["inspection"] for v in sorted(values, key=lambda v: v["date"] or "")]
    weak = {}
    for v in values:
        weak[v["theme"]] = weak.get(v["theme"], 0) + (v["status"] == "weakness")
    order = sorted(weak, key=lambda t: (-weak[t], t))
    x = alt.X(
        "inspection:O",
        title=None,
        sort=list(dict.fromkeys(inspections)),
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelExpr="split(datum.label, '|')",
            labelFontWeight="bold",
            labelPadding=20,
            ticks=False,
            domain=False,
        ),
    )
    y = alt.Y(
        "theme:N",
        title=None,
        sort=order,
        axis=alt.Axis(labelLimit=340, labelPadding=6, ticks=False, domain=False),
    )
    base = alt.Chart(alt.Data(values=values)).encode(x=x, y=y)
    blank = base.mark_rect(stroke="white", strokeWidth=1, color="#e4e4e0")
    cells = (
        base.mark_rect(stroke="white", strokeWidth=1)
        .transform_filter("datum.share != null")
        .encode(
            color=alt.Color(
                "share:Q",
                title="Share of weaknesses",
                scale=alt.Scale(domain=[0, 0.5, 1], range=["#2e8b57", "#f7f2d8", "#c9352b"]),
                legend=alt.Legend(format="%", orient="right", gradientLength=160),
            ),
        )
    )
    outline = base.mark_rect(fillOpacity=0, stroke="#5a0f0a", strokeWidth=2.5).transform_filter(
        alt.datum.status == "weakness"
    )
    text = base.mark_text(fontSize=11).encode(
        text="text:N",
        color=alt.condition(
            "datum.share != null && (datum.share > 0.8 || datum.share < 0.15)",
            alt.value("white"),
            alt.value("#1b1b1b"),
        ),
    )
    width = max(240, 118 * len(set(inspections)))
    return (
        alt.layer(blank, cells, outline, text)
        .properties(
            width=width,
            height=alt.Step(22),
            title=f"{authority}: strengths and weaknesses by theme and inspection",
        )
        .configure(**CONFIG)
    )


# --- all authorities ----------------------------------------------------------------------------


def _grade_colour(title: str = "Grade") -> alt.Color:
    return alt.Color(
        "grade_label:N",
        title=title,
        sort=GRADE_LABELS,
        scale=alt.Scale(domain=GRADE_LABELS, range=GRADE_COLOURS),
    )


def _with_labels(rows: Iterable[Row]) -> list[Row]:
    return [
        {
            **{k: _iso(v) if isinstance(v, dt.date) else v for k, v in r.items()},
            "grade_label": label(r["grade"]),
            "order": GRADES.index(r["grade"]) if r["grade"] in GRADES else 9,
        }
        for r in rows
    ]


def grades_by_year(rows: list[Row]) -> alt.Chart | None:
    if not rows:
        return None
    years = sorted({r["year"] for r in rows if r["year"] is not None})
    return (
        alt.Chart(alt.Data(values=_with_labels(r for r in rows if r["year"] is not None)))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year of inspection", sort=years, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "sum(judgements):Q", title="Judgements (inspection x area)", axis=alt.Axis(tickMinStep=1)
            ),
            color=_grade_colour(),
            order=alt.Order("order:Q"),
        )
        .properties(width=max(260, 48 * len(years)), height=220, title="Grades by year, all authorities")
        .configure(**CONFIG)
    )


def grades_by_region(rows: list[Row]) -> alt.Chart | None:
    if not rows:
        return None
    regions = sorted({str(r["region"]) for r in rows})
    return (
        alt.Chart(alt.Data(values=_with_labels(rows)))
        .mark_bar()
        .encode(
            y=alt.Y("region:N", title=None, sort=regions, axis=alt.Axis(labelLimit=220)),
            x=alt.X(
                "sum(judgements):Q", title="Judgements (inspection x area)", axis=alt.Axis(tickMinStep=1)
            ),
            color=_grade_colour(),
            order=alt.Order("order:Q"),
        )
        .properties(width=420, height=alt.Step(24), title="Grades by region, all authorities")
        .configure(**CONFIG)
    )


# --- rendering ----------------------------------------------------------------------------------

_VL_VERSION: str | None = None


def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes, if vl-convert has it (else vl-convert's latest)."""
    global _VL_VERSION
    if _VL_VERSION is None:
        import vl_convert as vlc

        wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
        _VL_VERSION = wanted if wanted in vlc.get_vegalite_versions() else ""
    return _VL_VERSION or None


_ID = re.compile(r'\bid="([^"]+)"')


def to_svg(chart: alt.TopLevelMixin, chart_id: str, description: str) -> str:
    """The chart as an `<svg>` element to put inline in HTML: its id is `chart_id`, the ids inside it
    (gradients, clip paths) are prefixed with it so that several charts on one page don't clash, and
    the XML namespace declarations (not needed inline in HTML) are dropped."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=_vl_version(), allowed_base_urls=[])
    for inner in set(_ID.findall(svg)):
        svg = svg.replace(f'id="{inner}"', f'id="{chart_id}-{inner}"')
        svg = svg.replace(f"url(#{inner})", f"url(#{chart_id}-{inner})")
        svg = svg.replace(f'href="#{inner}"', f'href="#{chart_id}-{inner}"')
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    from html import escape

    return svg.replace(
        "<svg", f'<svg id="{escape(chart_id)}" role="img" aria-label="{escape(description)}"', 1
    )
