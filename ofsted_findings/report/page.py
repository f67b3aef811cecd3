"""The report page: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched).
Every value from the warehouse is escaped; text from documents is never markup."""

from __future__ import annotations

import datetime as dt
from html import escape

from ofsted_findings.report import charts
from ofsted_findings.report.data import Authority, ReportData, Row


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def _date(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return _e(value)


def _month(value: object) -> str:
    return _date(value)[:7] or "undated"


def _grade(grade: object) -> str:
    if not grade:
        return '<span class="muted">—</span>'
    return f'<span class="grade g-{_e(grade)}">{_e(charts.label(grade))}</span>'


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _e(value)


def _figure(chart, chart_id: str, description: str, empty: str, caption: str = "") -> str:
    if chart is None:
        return f'<p class="empty" id="{_e(chart_id)}-empty">{_e(empty)}</p>'
    svg = charts.to_svg(chart, chart_id, description)
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="chart">{svg}{cap}</figure>'


def _table(head: list[str], rows: list[list[str]], css: str = "") -> str:
    """`head` is plain text (escaped here); each cell of `rows` is HTML already escaped."""
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{css}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


# --- overview -----------------------------------------------------------------------------------


def _overview(data: ReportData) -> str:
    chosen = {a.name for a in data.authorities}
    rows = [
        [
            f'<a href="#la-{_e(a["slug"])}">{_e(a["local_authority"])}</a>'
            if a["local_authority"] in chosen
            else _e(a["local_authority"]),
            _e(a["region"]),
            _e(a["inspections"]),
            _date(a["last_inspected"]),
            _grade(a["overall_grade"]),
            f"{_month(a['overall_graded'])} {_e(charts.label(a['graded_by']).lower())}"
            if a["overall_grade"]
            else "",
        ]
        for a in data.overview
    ]
    by_year = _figure(
        charts.grades_by_year(data.grades_by_year),
        "grades-by-year",
        "Stacked bars: judgements by year of inspection, coloured by grade",
        "No graded inspection yet.",
    )
    by_region = _figure(
        charts.grades_by_region(data.grades_by_region),
        "grades-by-region",
        "Stacked bars: judgements by region, coloured by grade",
        "No graded inspection yet.",
    )
    table = _table(
        [
            "Authority",
            "Region",
            "Inspections and visits",
            "Last inspected",
            "Overall effectiveness",
            "graded at",
        ],
        rows,
        "overview",
    )
    return (
        '<section id="overview"><h2>All authorities</h2>'
        "<p>Every grade an inspection gave, one per inspection and judgement area (grade_history), "
        "counted by the year the inspection ended and by the authority's region.</p>"
        f'<div class="pair">{by_year}{by_region}</div>{table}</section>'
    )


# --- one authority ------------------------------------------------------------------------------


def _inspections(a: Authority) -> str:
    if not a.inspections:
        return '<p class="empty">No inspection linked to this authority.</p>'
    rows = [
        [
            _date(i["start_date"]) + (" – " + _date(i["end_date"]) if i["end_date"] else "")
            if i["start_date"] or i["end_date"]
            else '<span class="muted">dates not stated</span>',
            _e(charts.label(i["inspection_type"])),
            _e(i["framework"]),
            _e(i["lead_inspector"]),
        ]
        for i in a.inspections
    ]
    return _table(["Dates", "Inspection or visit", "Framework", "Lead inspector"], rows, "compact")


def _heatmap_caption() -> str:
    return (
        "Colour: share of weaknesses among the theme's strength and weakness findings in Ofsted's documents "
        "(grey: none, only mixed findings or recommendations). "
        "<b>+n</b> strengths, <b>\u2212n</b> weaknesses, <b>Rn</b> recommendations on the theme. "
        "A dark outline marks a theme the inspection criticised (status <i>weakness</i>: a recommendation, "
        "or weaknesses at least a quarter of its findings)."
    )


def numbered(rec: Row) -> tuple[int, str]:
    """The number a recommendation is shown under and its text: the document's own number
    (`stated_number`: a SIF report numbers its paragraphs) when it gives one, else its place in
    the document's list. One numbering, never both."""
    stated = rec.get("stated_number")
    number = int(stated) if stated is not None and stated == stated else int(rec["seq"])  # NaN: none
    return number, str(rec["text"])


def _inspection_heading(r: Row) -> str:
    kind = charts.label(r["inspection_type"] or r["document_type"]).lower()
    if r["end_date"] is None:
        return f"{_e(kind)} <span class=\"muted\">(dates not stated)</span>"
    dates = _date(r["end_date"])
    if r.get("start_date"):
        dates = f"{_date(r['start_date'])} – {dates}"
    return f"{_month(r['end_date'])} {_e(kind)} <span class=\"muted\">({dates})</span>"


def _recommendations(a: Authority) -> str:
    recs = a.recommendations
    if not recs:
        return '<p class="empty">No recommendation from Ofsted for this authority.</p>'
    came_back = sum(1 for r in recs if r["came_back"])
    repeats = sum(1 for r in recs if r["repeats"])
    summary = (
        f'<span class="badge back">came back</span> {came_back} made again at a later inspection · '
        f'<span class="badge repeat">repeat</span> {repeats} repeating an earlier one'
        if came_back or repeats
        else "none came back at a later inspection"
    )
    parts = [
        f'<p class="summary">{len(recs)} recommendation{"s" if len(recs) != 1 else ""} from Ofsted: '
        f"{summary} (recurring_recommendations: a later recommendation sharing meaning-bearing words, "
        "score = Jaccard similarity).</p>"
    ]
    groups: dict[str, list[Row]] = {}  # one list per inspection, in time order (the query's)
    for r in recs:
        groups.setdefault(r["inspection_id"] or f"document {r.get('document_id')}", []).append(r)
    for items in groups.values():
        parts.append(f'<h4>{_inspection_heading(items[0])}</h4><ol class="recs">')
        for r in items:
            number, text = numbered(r)
            notes = []
            for p in r["came_back"]:
                notes.append(
                    f'<li><span class="badge back">came back</span> at the {_month(p["later_date"])} '
                    f"{_e(charts.label(p['later_inspection_type']).lower())} (score {_number(p['score'])}; "
                    f"shared: {_e(', '.join(p['shared_words'] or []))}): "
                    f"<q>{_e(str(p['later_text']))}</q></li>"
                )
            if r["repeats"]:
                p = r["repeats"]
                notes.append(
                    f'<li><span class="badge repeat">repeat</span> of the {_month(p["earlier_date"])} '
                    f"{_e(charts.label(p['earlier_inspection_type']).lower())} "
                    f"(score {_number(p['score'])}): "
                    f"<q>{_e(str(p['earlier_text']))}</q></li>"
                )
            css = " ".join(c for c, on in (("recurs", r["came_back"]), ("repeats", r["repeats"])) if on)
            themes = ", ".join(str(t) for t in r.get("theme_labels") or r["themes"] or [])
            parts.append(
                f'<li class="{css}" id="rec-{_e(r["recommendation_id"])}" value="{number}">{_e(text)}'
                + (f' <span class="muted">({_e(themes)})</span>' if themes else "")
                + (f'<ul class="notes">{"".join(notes)}</ul>' if notes else "")
                + "</li>"
            )
        parts.append("</ol>")
    return "".join(parts)


_UNIT_SUFFIX = {"percent": "%", "count": ""}


def _metric_value(m: Row) -> str:
    """The value with its unit and qualifier; the sentence stating it (and its source) on hover."""
    unit = _UNIT_SUFFIX.get(str(m["unit"]), f" {charts.label(m['unit']).lower()}" if m["unit"] else "")
    qualifier = f"{charts.label(m['qualifier']).lower()} " if m["qualifier"] else ""
    source = charts.label(m["document_type"]).lower()
    hover = f"{m['evidence']} ({source}{', ' + str(m['period']) if m['period'] else ''})"
    value = f"{_e(qualifier)}<b>{_number(m['value'])}</b>{_e(unit)}"
    return f'<span class="mv" title="{_e(hover)}">{value}</span>'


def _metrics(a: Authority) -> str:
    """One row per subject key, one column per inspection in time order (the metrics of a
    document linked to no inspection last): what was stated about the same thing over time."""
    if not a.metrics:
        return '<p class="empty">No metric stated in this authority\'s documents.</p>'
    columns: dict[str | None, Row] = {}
    for m in a.metrics:  # in inspection order (the query's)
        columns.setdefault(m["inspection_id"], m)
    cells: dict[str, dict[str | None, list[str]]] = {}
    for m in a.metrics:
        by_inspection = cells.setdefault(str(m["subject_key"]), {})
        by_inspection.setdefault(m["inspection_id"], []).append(_metric_value(m))
    head = [
        "Subject",
        *(
            f"{_month(c['end_date'])} {charts.label(c['inspection_type']).lower()}"
            if c["end_date"] is not None
            else "not linked to a dated inspection"
            for c in columns.values()
        ),
    ]
    rows = [
        [_e(key), *("<br>".join(by_inspection.get(i, [])) for i in columns)]
        for key, by_inspection in cells.items()
    ]
    caption = (
        f'<p class="summary">{len(a.metrics)} metrics on {len(cells)} subjects '
        "(metrics_by_subject.subject_key), first stated first; hover over a value for the sentence "
        "that states it. Subjects with nothing "
        "comparable left ('%', '65%') are left out.</p>"
    )
    return caption + _table(head, rows, "metrics")


def _documents(a: Authority) -> str:
    rows = [
        [
            _date(d["published_date"]) or '<span class="muted">—</span>',
            _e(d["publisher"]),
            _e(charts.label(d["document_type"])),
            _e(d["title"]),
            f"<code>{_e(d['source_path'])}</code>",
            _e(d["status"]),
        ]
        for d in a.documents
    ]
    return _table(["Published", "Publisher", "Type", "Title", "File", "Status"], rows, "compact")


def _authority(a: Authority) -> str:
    slug = a.slug
    graded = len({g["inspection_id"] for g in a.grades})
    meta = " · ".join(
        x
        for x in (
            _e(a.region),
            f"{len(a.inspections)} inspections and visits",
            f"{graded} graded",
            f"{len(a.documents)} documents",
        )
        if x
    )
    timeline = _figure(
        charts.grade_timeline(a.grades, a.inspections, a.name),
        f"grade-timeline-{slug}",
        f"{a.name}: grade in each judgement area at each inspection",
        "No graded inspection with stated dates in the warehouse.",
        "Dashed lines: every dated inspection or visit, graded or not. Shape: the kind of inspection.",
    )
    heatmap = _figure(
        charts.theme_heatmap(a.themes, a.name),
        f"theme-heatmap-{slug}",
        f"{a.name}: strengths and weaknesses by theme and inspection",
        "No evaluative finding from Ofsted's documents.",
        _heatmap_caption(),
    )
    return (
        f'<section class="authority" id="la-{_e(slug)}"><h2>{_e(a.name)}</h2><p class="meta">{meta}</p>'
        f"<h3>Inspections and visits</h3>{_inspections(a)}"
        f'<h3 id="grades-{_e(slug)}">Grades</h3>{timeline}'
        f'<h3 id="themes-{_e(slug)}">Strengths and weaknesses by theme</h3>{heatmap}'
        f'<h3 id="recommendations-{_e(slug)}">Recommendations</h3>{_recommendations(a)}'
        f'<h3 id="metrics-{_e(slug)}">Metrics</h3>{_metrics(a)}'
        f'<h3 id="sources-{_e(slug)}">Sources</h3>{_documents(a)}'
        "</section>"
    )


# --- page ---------------------------------------------------------------------------------------


def render_report(data: ReportData) -> str:
    for row in data.overview:
        row["slug"] = Authority(str(row["local_authority"])).slug
    run = data.run or {}
    meta = " · ".join(
        x
        for x in (
            f"{len(data.overview)} authorit{'y' if len(data.overview) == 1 else 'ies'} in the warehouse",
            f"{len(data.authorities)} shown",
            f"run <code>{_e(run['run_id'])}</code> finished {_date(run.get('finished_at'))}" if run else "",
            f"report written {data.generated_at.strftime('%Y-%m-%d %H:%M')} UTC",
        )
        if x
    )
    nav = "".join(f'<li><a href="#la-{_e(a.slug)}">{_e(a.name)}</a></li>' for a in data.authorities)
    body = "".join(_authority(a) for a in data.authorities)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Ofsted inspections of children's services: report</title>"
        f"<style>{_CSS}</style></head><body>"
        "<header><h1>Ofsted inspections of children's services</h1>"
        f'<p class="meta">{meta}</p></header>'
        f'<nav><a href="#overview">All authorities</a><ul>{nav}</ul></nav>'
        f"<main>{_overview(data)}{body}</main></body></html>\n"
    )


_CSS = """
:root { --ink: #1b1b1b; --muted: #6b6b67; --rule: #e2e2de; --paper: #f6f6f4; }
body { font: 15px/1.5 system-ui, "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0; }
header { padding: 1rem 2rem .5rem; background: var(--paper); border-bottom: 1px solid var(--rule); }
header h1 { font-size: 1.4rem; margin: 0; }
.meta { color: var(--muted); margin: .2rem 0 .6rem; }
nav { padding: .4rem 2rem; border-bottom: 1px solid var(--rule); font-size: 14px; }
nav ul { display: inline; padding: 0; margin: 0 0 0 1rem; }
nav li { display: inline; margin-right: 1rem; }
main { padding: 0 2rem 3rem; max-width: 1500px; }
section { border-bottom: 2px solid var(--rule); padding-bottom: 1rem; }
h2 { font-size: 1.3rem; margin: 1.4rem 0 .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: .95rem; margin: .8rem 0 .2rem; }
figure.chart { margin: .4rem 0 1rem; overflow-x: auto; }
figure.chart svg { display: block; max-width: none; }
figcaption { color: var(--muted); font-size: 13px; max-width: 60rem; }
.pair { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
table { border-collapse: collapse; font-size: 13px; margin: .3rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .6rem .25rem 0;
         border-bottom: 1px solid var(--rule); }
th { font-weight: 600; border-bottom: 1px solid #bbb; }
table.metrics td:first-child { max-width: 24rem; }
table.metrics td { white-space: nowrap; } table.metrics td:first-child { white-space: normal; }
.mv { border-bottom: 1px dotted #888; cursor: help; }
.evidence { color: #444; font-style: italic; }
.muted, .empty { color: var(--muted); }
.grade { border-radius: 3px; padding: 0 .35rem; color: #fff; font-size: 12px; white-space: nowrap; }
.g-outstanding { background: #1a7f37; } .g-good { background: #5d9e3c; }
.g-requires_improvement { background: #c27b12; } .g-inadequate { background: #c9352b; }
ol.recs { max-width: 62rem; padding-left: 1.6rem; }
ol.recs > li { margin: .25rem 0; }
ol.recs > li.recurs, ol.recs > li.repeats { background: #fff4e5; }
ul.notes { font-size: 13px; color: #444; list-style: none; padding-left: 0; margin: .15rem 0 .3rem; }
.badge { border-radius: 3px; padding: 0 .35rem; font-size: 12px; white-space: nowrap; }
.badge.back { background: #c9352b; color: #fff; } .badge.repeat { background: #f0a63a; color: #1b1b1b; }
code { font-size: 12px; }
"""
