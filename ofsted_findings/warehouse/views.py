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

Each view is described once, in the comments before its statement: a line `-- <name>: …` (with
its continuation lines) describes the view, and a `-- columns:` block lists every column of its
result as `--   <column>: …` (continued on lines indented further). `COMMENT ON` in the DuckDB
file and the data dictionary's section on the views are generated from these, and a view column
without a description is an error when the views are created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

import duckdb

from ofsted_findings.warehouse.sql import sql_string

MATERIALISE = "-- materialise"
SCOPE = "materialise_scope"
# Authorities computed together: the sum of the squares of their documents, up to this (pairs of
# an authority's rows grow with the square of its documents).
SCOPE_WEIGHT = 50_000
_CREATE_VIEW = re.compile(r"CREATE\s+VIEW\s+(\w+)\s+AS\s+(.*)", re.S | re.I)
COLUMNS_BLOCK = "columns:"
_COLUMN_LINE = re.compile(r"^ {2,3}(\w+):\s*(.*)$")  # "--   name: description"
_CONTINUATION = re.compile(r"^ {4,}(\S.*)$")  # a description's next line, indented further


@dataclass(frozen=True)
class ViewStatement:
    """One statement of a view file: the view (or table) it creates, and how."""

    name: str
    select: str  # the query after `AS`, comments inside it kept
    materialise: bool  # created as a table at publish time
    file: str
    description: str = ""  # from the `-- <name>: …` comment before the statement
    columns: dict[str, str] = field(default_factory=dict, compare=False)  # the `-- columns:` block

    @property
    def kind(self) -> str:
        """VIEW, or TABLE for a materialised one (as COMMENT ON names it)."""
        return "TABLE" if self.materialise else "VIEW"

    @property
    def scoped(self) -> bool:
        """Materialised a few authorities at a time (its SQL reads materialise_scope)."""
        return self.materialise and SCOPE in self.select

    @property
    def sql(self) -> str:
        """The statement that creates it whole (a view, or a table of every authority)."""
        return f"CREATE {self.kind} {self.name} AS {self.select}"


def split_statements(sql: str) -> list[str]:
    """`sql` cut at each `;` outside quotes and comments, each statement's own leading comments
    and blank lines removed; empty statements dropped."""
    return [statement for _, statement in split_with_comments(sql)]


def split_with_comments(sql: str) -> list[tuple[str, str]]:
    """(leading comments, statement) for each statement of `sql` (split_statements), the comments
    as written, so that the descriptions in them are read by the project, not by DuckDB.

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
    split = (_leading_comments(s) for s in statements)
    return [(comments, statement) for comments, statement in split if statement]


def _leading_comments(statement: str) -> tuple[str, str]:
    text = statement.strip()
    comments: list[str] = []
    while text.startswith(("--", "/*")):
        if text.startswith("--"):
            end = text.find("\n")
            comments.append(text if end == -1 else text[:end])
            text = "" if end == -1 else text[end + 1 :].lstrip()
        else:
            end = text.find("*/")
            comments.append(text if end == -1 else text[: end + 2])
            text = "" if end == -1 else text[end + 2 :].lstrip()
    return "\n".join(comments), text


def _comment_lines(comments: str) -> list[str]:
    """The text of each `--` line (after `--` and one space); block comments are skipped."""
    out = []
    for line in comments.splitlines():
        if line.startswith("--"):
            body = line[2:]
            out.append(body[1:] if body.startswith(" ") else body)
    return out


def view_description(name: str, comments: str) -> str:
    """The `-- <name>: …` paragraph of a statement's comments: that line and the lines after it
    up to a blank line, the next `word:` line, or an indented one."""
    lines = _comment_lines(comments)
    for i, line in enumerate(lines):
        if line.startswith(f"{name}:"):
            words = [line[len(name) + 1 :].strip()]
            for more in lines[i + 1 :]:
                if not more.strip() or more.startswith(" ") or re.match(r"^\w+:", more):
                    break
                words.append(more.strip())
            text = " ".join(words)
            return text[:1].upper() + text[1:]
    return ""


def column_descriptions(comments: str, *, file: str) -> dict[str, str]:
    """The `-- columns:` block of a statement's comments: column -> description, in order."""
    lines = _comment_lines(comments)
    if COLUMNS_BLOCK not in (line.strip() for line in lines):
        return {}
    start = next(i for i, line in enumerate(lines) if line.strip() == COLUMNS_BLOCK)
    out: dict[str, str] = {}
    last = None
    for line in lines[start + 1 :]:
        if (column := _COLUMN_LINE.match(line)) is not None:
            last = column.group(1)
            if last in out:
                raise ValueError(f"{file}: column {last} is described twice")
            out[last] = column.group(2).strip()
        elif last is not None and (more := _CONTINUATION.match(line)) is not None:
            out[last] = f"{out[last]} {more.group(1).strip()}"
        else:
            break
    return out


def read_view_file(text: str, *, file: str) -> list[ViewStatement]:
    """The statements of one view file. Each must be `CREATE VIEW name AS …`: the loader knows
    no other kind, and a file that holds one is an error, not something to run blindly."""
    materialise = text.startswith(MATERIALISE)
    out = []
    for comments, statement in split_with_comments(text):
        match = _CREATE_VIEW.fullmatch(statement)
        if match is None:
            raise ValueError(f"{file}: not a 'CREATE VIEW name AS …' statement: {statement[:60]!r}")
        name = match.group(1)
        out.append(
            ViewStatement(
                name, match.group(2), materialise, file, description=view_description(name, comments),
                columns=column_descriptions(comments, file=file),
            )
        )
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
    for view in statements:
        comment_view(con, view)


def undescribed(con: duckdb.DuckDBPyConnection, view: ViewStatement) -> tuple[list[str], list[str]]:
    """The view's columns that its file does not describe, and the described columns it lacks."""
    columns = [c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal "
        "ORDER BY column_index", [view.name],
    ).fetchall()]
    return [c for c in columns if not view.columns.get(c)], [c for c in view.columns if c not in columns]


def comment_view(con: duckdb.DuckDBPyConnection, view: ViewStatement) -> None:
    """COMMENT ON the view (or materialised table) and each of its columns, from its file; a
    column without a description, or a description of no column, is an error."""
    missing, extra = undescribed(con, view)
    if missing or extra or not view.description:
        problems = [f"no description of {', '.join(missing)}" if missing else "",
                    f"describes no such column {', '.join(extra)}" if extra else "",
                    f"no '-- {view.name}: …' line" if not view.description else ""]
        raise ValueError(f"{view.file}: {view.name}: {'; '.join(p for p in problems if p)}")
    con.execute(f"COMMENT ON {view.kind} {view.name} IS {sql_string(view.description)}")
    for column, text in view.columns.items():
        con.execute(f'COMMENT ON COLUMN {view.name}."{column}" IS {sql_string(text)}')


def view_columns(statements: list[ViewStatement]) -> dict[str, list[tuple[str, str]]]:
    """Each view's columns and DuckDB types, from the views created over empty tables (for the
    data dictionary: no warehouse needed)."""
    from ofsted_findings.schemas import TABLES, arrow_schema

    con = duckdb.connect()
    try:
        for table in TABLES:
            con.register("empty", arrow_schema(table).empty_table())
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM empty')
            con.unregister("empty")
        con.execute(f"CREATE TABLE {SCOPE} (la_urn BIGINT)")
        out = {}
        for view in statements:
            con.execute(view.sql)
            out[view.name] = con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                "AND NOT internal ORDER BY column_index", [view.name],
            ).fetchall()
        return out
    finally:
        con.close()


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
