"""Analysis views kept as SQL files (warehouse/views/*.sql), created in the DuckDB file.

The files are read and split into statements here, by the project itself: what a statement
creates and whether it is materialised come from our own text, never from DuckDB's echo of it
(DuckDB 2.0.1 began keeping a statement's leading comments in `extract_statements().query`,
which silently stopped the materialised tables being recognised).

A file whose first line is '-- materialise' creates tables instead of views: computed once when
the warehouse is published, for views that would otherwise recompute a large join on every
query. A materialised statement whose SQL reads `materialise_scope` (the URNs of the authorities
to compute) is computed a few authorities at a time and appended to its table, each share
written to disk (CHECKPOINT) before the next: its work and its pairs of an authority's rows stay
the size of a few authorities, not of the corpus. Authorities without a URN are computed as URN 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

MATERIALISE = "-- materialise"
SCOPE = "materialise_scope"
# Authorities computed together: the sum of the squares of their documents, up to this (pairs of
# an authority's rows grow with the square of its documents).
SCOPE_WEIGHT = 50_000
_CREATE_VIEW = re.compile(r"CREATE\s+VIEW\s+(\w+)\s+AS\s+(.*)", re.S | re.I)


@dataclass(frozen=True)
class ViewStatement:
    """One statement of a view file: the view (or table) it creates, and how."""

    name: str
    select: str  # the query after `AS`, comments inside it kept
    materialise: bool  # created as a table at publish time
    file: str

    @property
    def scoped(self) -> bool:
        """Materialised a few authorities at a time (its SQL reads materialise_scope)."""
        return self.materialise and SCOPE in self.select

    @property
    def sql(self) -> str:
        """The statement that creates it whole (a view, or a table of every authority)."""
        kind = "TABLE" if self.materialise else "VIEW"
        return f"CREATE {kind} {self.name} AS {self.select}"


def split_statements(sql: str) -> list[str]:
    """`sql` cut at each `;` outside quotes and comments, each statement's own leading comments
    and blank lines removed; empty statements dropped.

    Knows what the view files use: '…' strings, "…" identifiers, $$…$$ / $tag$…$tag$ strings,
    `--` line comments and `/* … */` block comments."""
    statements: list[str] = []
    start = i = 0
    n = len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = sql.find(c, i + 1)
            while end != -1 and sql.startswith(c, end + 1):  # a doubled quote is the quote itself
                end = sql.find(c, end + 2)
            i = n if end == -1 else end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end == -1 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end == -1 else end + 2
        elif c == "$" and (tag := re.match(r"\$(\w*)\$", sql[i:])):
            end = sql.find(tag.group(0), i + len(tag.group(0)))
            i = n if end == -1 else end + len(tag.group(0))
        elif c == ";":
            statements.append(sql[start:i])
            start = i = i + 1
        else:
            i += 1
    statements.append(sql[start:])
    return [s for s in (_without_leading_comments(s) for s in statements) if s]


def _without_leading_comments(statement: str) -> str:
    text = statement.strip()
    while text.startswith(("--", "/*")):
        if text.startswith("--"):
            end = text.find("\n")
            text = "" if end == -1 else text[end + 1 :].lstrip()
        else:
            end = text.find("*/")
            text = "" if end == -1 else text[end + 2 :].lstrip()
    return text


def read_view_file(text: str, *, file: str) -> list[ViewStatement]:
    """The statements of one view file. Each must be `CREATE VIEW name AS …`: the loader knows
    no other kind, and a file that holds one is an error, not something to run blindly."""
    materialise = text.startswith(MATERIALISE)
    out = []
    for statement in split_statements(text):
        match = _CREATE_VIEW.fullmatch(statement)
        if match is None:
            raise ValueError(f"{file}: not a 'CREATE VIEW name AS …' statement: {statement[:60]!r}")
        out.append(ViewStatement(match.group(1), match.group(2), materialise, file))
    return out


def analysis_views() -> list[ViewStatement]:
    """Every analysis view's statement, in file order."""
    folder = resources.files("ofsted_findings.warehouse") / "views"
    if not folder.is_dir():
        return []
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [s for f in files for s in read_view_file(f.read_text(encoding="utf-8"), file=f.name)]


def create_analysis_views(con: duckdb.DuckDBPyConnection, statements: list[ViewStatement]) -> None:
    """Create the analysis views (analysis_views()), materialising scoped tables in shares of a
    few authorities."""
    shares: list[list[int]] | None = None
    for view in statements:
        if not view.scoped:
            con.execute(view.sql)
            continue
        shares = shares if shares is not None else authority_shares(con)
        _materialise(con, view.name, view.select, shares)


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
