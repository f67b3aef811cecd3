"""Analysis views kept as SQL files (warehouse/views/*.sql), created in the DuckDB file.

A materialised view whose SQL reads `materialise_scope` (the URNs of the authorities to compute)
is computed a few authorities at a time and appended to its table, each share written to disk
(CHECKPOINT) before the next: its work and its pairs of an authority's rows stay the size of a
few authorities, not of the corpus. Authorities without a URN are computed as URN 0.
"""

from __future__ import annotations

import re
from importlib import resources

import duckdb

MATERIALISE = "-- materialise"
SCOPE = "materialise_scope"
# Authorities computed together: the sum of the squares of their documents, up to this (pairs of
# an authority's rows grow with the square of its documents).
SCOPE_WEIGHT = 50_000
_SCOPED_TABLE = re.compile(r"\s*CREATE TABLE (\w+) AS\s+(.*)", re.S)


def analysis_views() -> list[str]:
    """The SQL of every analysis view, in file order. A file whose first line is
    '-- materialise' creates tables instead: computed once when the warehouse is published,
    for views that would otherwise recompute a large join on every query."""
    folder = resources.files("ofsted_findings.warehouse") / "views"
    if not folder.is_dir():
        return []
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    out = []
    for f in files:
        sql = f.read_text(encoding="utf-8")
        if sql.startswith(MATERIALISE):
            sql = re.sub(r"\bCREATE VIEW\b", "CREATE TABLE", sql)
        out.append(sql)
    return out


def create_analysis_views(con: duckdb.DuckDBPyConnection, statements: list[str]) -> None:
    """Run the analysis views' SQL (analysis_views()), materialising scoped tables in shares of
    a few authorities."""
    shares: list[list[int]] | None = None
    for sql in statements:
        for statement in con.extract_statements(sql):
            scoped = _SCOPED_TABLE.fullmatch(statement.query)
            if scoped is None or SCOPE not in statement.query:
                con.execute(statement.query)
                continue
            shares = shares if shares is not None else authority_shares(con)
            _materialise(con, scoped.group(1), scoped.group(2), shares)


def authority_shares(con: duckdb.DuckDBPyConnection) -> list[list[int]]:
    """The authorities' URNs (0 for none) in groups of up to SCOPE_WEIGHT, in URN order."""
    sizes = con.sql(
        "SELECT coalesce(la_urn, 0) AS urn, count(*) FROM documents GROUP BY urn ORDER BY urn"
    ).fetchall()
    shares: list[list[int]] = [[]]
    weight = 0
    for urn, documents in sizes:
        if shares[-1] and weight + documents * documents > SCOPE_WEIGHT:
            shares.append([])
            weight = 0
        shares[-1].append(urn)
        weight += documents * documents
    return shares


def _materialise(con: duckdb.DuckDBPyConnection, table: str, select: str, shares: list[list[int]]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SCOPE} (la_urn BIGINT)")
    try:
        for n, urns in enumerate(shares):
            con.execute(f"DELETE FROM {SCOPE}")
            con.execute(f"INSERT INTO {SCOPE} SELECT unnest(?::BIGINT[])", [urns])
            con.execute(f"CREATE TABLE {table} AS {select}" if n == 0 else f"INSERT INTO {table} {select}")
            con.execute("CHECKPOINT")
    finally:
        con.execute(f"DROP TABLE {SCOPE}")
