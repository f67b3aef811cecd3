"""The report's data: read-only queries over the warehouse's analysis views, as plain rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ofsted_findings.errors import UsageError
from ofsted_findings.extract.keywords import stopwords
from ofsted_findings.settings import REPORT_MIN_SUBJECT_LETTERS
from ofsted_findings.warehouse.layout import open_warehouse

# The views the report reads; a warehouse published before they existed must be re-run.
NEEDED = (
    "grade_history",
    "theme_inspection",
    "recurring_recommendations",
    "metrics_by_subject",
    "latest_grades",
)

Row = dict[str, object]


@dataclass
class Authority:
    name: str
    region: str | None = None
    inspections: list[Row] = field(default_factory=list)  # every inspection or visit, dated or not
    grades: list[Row] = field(default_factory=list)  # grade_history
    themes: list[Row] = field(default_factory=list)  # theme_inspection, with the theme's label
    recommendations: list[Row] = field(default_factory=list)  # Ofsted's, with came_back / repeats
    metrics: list[Row] = field(default_factory=list)  # metrics_by_subject
    documents: list[Row] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass
class ReportData:
    generated_at: dt.datetime
    run: Row | None
    overview: list[Row]  # one row per authority in the warehouse: region, inspections, latest grades
    grades_by_year: list[Row]  # year, grade, judgements
    grades_by_region: list[Row]  # region, grade, judgements
    authorities: list[Authority]


def slugify(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(p for p in slug.split("-") if p) or "authority"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[Row]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]


def _relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    views = con.execute("select view_name from duckdb_views() where not internal").fetchall()
    tables = con.execute("select table_name from duckdb_tables()").fetchall()
    return {r[0] for r in views + tables}


def connect(warehouse_dir: Path) -> duckdb.DuckDBPyConnection:
    return open_warehouse(warehouse_dir)


def load_report(warehouse_dir: Path, names: list[str] | None = None) -> ReportData:
    """Everything the page shows. `names` picks authorities (case-insensitive); empty means all."""
    con = connect(warehouse_dir)
    try:
        relations = _relations(con)
        missing = [v for v in NEEDED if v not in relations]
        if missing:
            raise UsageError(
                f"{warehouse_dir}: the warehouse has no {', '.join(missing)} view; "
                "re-run `ofsted-findings run`"
            )
        has_authorities = "authorities" in relations
        available = [r["name"] for r in _rows(con, _AUTHORITY_NAMES)]
        chosen = _choose(available, names or [])
        return ReportData(
            generated_at=dt.datetime.now(dt.UTC),
            run=_latest_run(con) if "runs" in relations else None,
            overview=_overview(con, has_authorities),
            grades_by_year=_rows(con, _GRADES_BY_YEAR),
            grades_by_region=_rows(con, _grades_by_region_sql(has_authorities)),
            authorities=[_authority(con, name, "themes" in relations) for name in chosen],
        )
    finally:
        con.close()


def _choose(available: list[str], names: list[str]) -> list[str]:
    if not names:
        return available
    by_key = {a.casefold(): a for a in available}
    unknown = [n for n in names if n.casefold() not in by_key]
    if unknown:
        listed = ", ".join(available[:20]) + (" …" if len(available) > 20 else "")
        raise UsageError(
            f"no documents for authority {', '.join(unknown)} in the warehouse (it has: {listed})"
        )
    return list(dict.fromkeys(by_key[n.casefold()] for n in names))


def _latest_run(con: duckdb.DuckDBPyConnection) -> Row | None:
    rows = _rows(
        con, "select run_id, finished_at, code_version, files_seen from runs order by finished_at desc"
    )
    return rows[0] if rows else None


def _overview(con: duckdb.DuckDBPyConnection, has_authorities: bool) -> list[Row]:
    region = "coalesce(i.region, a.region)" if has_authorities else "i.region"
    join = "left join authorities a on a.la_urn = i.la_urn" if has_authorities else ""
    return _rows(
        con,
        f"""
        with insp as (
            select i.local_authority, any_value({region}) as region, count(*) as inspections,
                   max(i.end_date) as last_inspected
            from inspections i {join}
            where i.local_authority is not null
            group by all
        ),
        overall as (
            select local_authority, grade, end_date, inspection_type
            from latest_grades where area = 'overall_effectiveness'
        )
        select insp.*, o.grade as overall_grade, o.end_date as overall_graded, o.inspection_type as graded_by
        from insp left join overall o using (local_authority)
        order by insp.local_authority
        """,
    )


def _grades_by_region_sql(has_authorities: bool) -> str:
    if has_authorities:
        region = "coalesce(g.region, a.region, 'Region not known')"
        join = "left join authorities a on a.la_urn = g.la_urn"
    else:
        region, join = "coalesce(g.region, 'Region not known')", ""
    return f"""
        select {region} as region, g.grade, g.grade_rank, count(*) as judgements,
               count(distinct g.inspection_id) as inspections
        from grade_history g {join}
        group by all order by region, g.grade_rank
    """


def _authority(con: duckdb.DuckDBPyConnection, name: str, has_themes: bool) -> Authority:
    authority = Authority(name=name)
    authority.inspections = _rows(
        con,
        """
        select inspection_id, inspection_type, framework, start_date, end_date, lead_inspector,
               dates_known, region
        from inspections where local_authority = ?
        order by end_date nulls last, inspection_id
        """,
        [name],
    )
    authority.region = next((r["region"] for r in authority.inspections if r["region"]), None)
    authority.grades = _rows(
        con,
        """
        select inspection_id, inspection_type, framework, start_date, end_date, area, grade, grade_rank,
               previous_grade, change
        from grade_history where local_authority = ? order by end_date, area
        """,
        [name],
    )
    label = "coalesce(th.label, t.theme)" if has_themes else "t.theme"
    join = "left join themes th on th.code = t.theme" if has_themes else ""
    authority.themes = _rows(
        con,
        f"""
        select t.inspection_id, t.inspection_type, t.start_date, t.end_date, t.theme, {label} as theme_label,
               t.strengths, t.weaknesses, t.mixed, t.recommendations, t.weakness_share, t.status
        from theme_inspection t {join}
        where t.local_authority = ? order by t.end_date, t.theme
        """,
        [name],
    )
    authority.recommendations = _recommendations(con, name)
    labels = dict(con.execute("select code, label from themes").fetchall()) if has_themes else {}
    for rec in authority.recommendations:
        rec["theme_labels"] = [labels.get(t, t) for t in rec["themes"] or []]
    authority.metrics = [
        m for m in _rows(
            con,
            """
            select m.year, m.document_type, m.unit, m.subject, m.subject_key, m.value, m.qualifier, m.period,
                   m.evidence, m.inspection_id, i.inspection_type, i.end_date
            from metrics_by_subject m left join inspections i using (inspection_id)
            where m.local_authority = ?
            order by i.end_date nulls last, m.inspection_id, m.subject_key, m.value
            """,
            [name],
        )
        if not junk_subject(m["subject_key"])
    ]
    authority.documents = _rows(
        con,
        """
        select document_id, source_path, document_type, publisher, title, published_date, status
        from documents where local_authority = ?
        order by published_date nulls last, source_path
        """,
        [name],
    )
    return authority


def junk_subject(key: object) -> bool:
    """A metric whose subject says nothing comparable ('%', '65%', 'at 31/03/2014'): nothing left
    of it but stop words or fewer than REPORT_MIN_SUBJECT_LETTERS letters."""
    words = [w for w in str(key or "").split() if w not in stopwords()]
    return sum(len(w) for w in words) < REPORT_MIN_SUBJECT_LETTERS


def _recommendations(con: duckdb.DuckDBPyConnection, name: str) -> list[Row]:
    """Ofsted's recommendations to the authority, each with the later ones that repeat it
    (`came_back`) and the earlier one it repeats best (`repeats`), from recurring_recommendations."""
    recs = _rows(
        con,
        """
        select r.recommendation_id, r.inspection_id, r.document_id, r.seq, r.stated_number, r.text,
               r.framework_ref, r.themes,
               d.document_type, i.inspection_type, i.start_date, i.end_date
        from recommendations r
        join documents d using (document_id)
        left join inspections i on i.inspection_id = r.inspection_id
        where d.publisher = 'Ofsted' and coalesce(i.local_authority, d.local_authority) = ?
        order by i.end_date nulls last, r.document_id, r.seq
        """,
        [name],
    )
    pairs = _rows(
        con,
        """
        select earlier_recommendation_id, earlier_date, earlier_inspection_type, earlier_text,
               later_recommendation_id, later_date, later_inspection_type, later_text,
               shared_words, score, match_rank
        from recurring_recommendations where local_authority = ?
        order by score desc
        """,
        [name],
    )
    for rec in recs:
        rid = rec["recommendation_id"]
        rec["came_back"] = [p for p in pairs if p["earlier_recommendation_id"] == rid]
        rec["repeats"] = next(
            (p for p in pairs if p["later_recommendation_id"] == rid and p["match_rank"] == 1), None
        )
    return recs


_AUTHORITY_NAMES = """
    select distinct local_authority as name from (
        select local_authority from documents union all select local_authority from inspections
    ) where local_authority is not null order by name
"""

_GRADES_BY_YEAR = """
    select year(end_date) as year, grade, grade_rank, count(*) as judgements,
           count(distinct inspection_id) as inspections
    from grade_history group by all order by year, grade_rank
"""
