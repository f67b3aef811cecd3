"""Read-only SQL over the published warehouse (`ofsted-findings sql`).

What runs is decided by DuckDB's own parser, not by matching the text: exactly one statement,
of type SELECT (which covers WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE) or an EXPLAIN of
one. A pattern over the text could be got past with a leading comment or a dollar-quoted string;
the parser cannot, since it is the one that later runs the statement.

The connection is the second wall: the database is attached read-only, external access is off
except for the warehouse's published Parquet files (no directory is allowed, not even DuckDB's
temporary one), extensions cannot be installed or loaded, and the configuration is locked.
A query runs under a time limit and a memory limit, and Ctrl-C stops it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb

from ofsted_findings.errors import UsageError
from ofsted_findings.settings import SQL_INTERRUPT_GRACE, SQL_MEMORY_LIMIT, SQL_TIMEOUT
from ofsted_findings.warehouse.layout import DATABASE, published_files, set_warehouse_variable
from ofsted_findings.warehouse.sql import sql_string

ALLOWED_KINDS = "SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, or EXPLAIN of one of these"
_OPTIONS_AFTER_EXPLAIN = {"analyze", "analyse"}


def sandboxed_connection(
    warehouse_dir: Path, *, memory_limit: str = SQL_MEMORY_LIMIT
) -> duckdb.DuckDBPyConnection:
    """A connection that can read the warehouse's published files and nothing else, and write
    nothing: the database attached read-only, no directory allowed, configuration locked.

    The warehouse is attached to a private in-memory database, so locking this connection's
    configuration never affects another connection to the same file in this process.
    """
    root = warehouse_dir.resolve()
    con = duckdb.connect(
        ":memory:",
        config={
            "temp_directory": "",  # the default, <cwd>/.tmp, would be an allowed directory
            "memory_limit": memory_limit,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    try:
        # attached before file access is shut, which would refuse its (absent) write-ahead log
        database = sql_string(str((warehouse_dir / DATABASE).resolve()))
        con.execute(f"ATTACH {database} AS warehouse (READ_ONLY)")
        con.execute("USE warehouse")
        readable = ", ".join(sql_string(str(p)) for p in published_files(root))
        con.execute(f"SET allowed_paths = [{readable}]")
        con.execute("SET allowed_directories = []")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        set_warehouse_variable(con, root)
    except BaseException:
        con.close()
        raise
    return con


def one_line(exc: BaseException) -> str:
    """DuckDB's message on one line: its first line and any hint after it ("Did you mean …?"),
    without the echo of the query and its caret."""
    kept = []
    for line in str(exc).splitlines():
        if not line.strip() or line.startswith("LINE "):
            if kept:
                break
            continue
        kept.append(line.strip())
    return " ".join(kept) or type(exc).__name__


def read_only_statement(con: duckdb.DuckDBPyConnection, query: str) -> duckdb.Statement:
    """The query's one statement, if DuckDB's parser calls it a SELECT (or an EXPLAIN of one);
    anything else is refused before it runs."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise UsageError(f"SQL error: {one_line(exc)}") from exc
    if len(statements) != 1:
        raise UsageError(f"refused: give exactly one statement (found {len(statements)})")
    statement = statements[0]
    kind = statement.type
    if kind == duckdb.StatementType.EXPLAIN:
        kind = _explained_type(con, statement.query)
    if kind != duckdb.StatementType.SELECT:
        shown = statement.type.name if kind is None or kind == statement.type else f"EXPLAIN of {kind.name}"
        raise UsageError(f"refused: {shown} statement: only read-only queries run here ({ALLOWED_KINDS})")
    return statement


def _explained_type(con: duckdb.DuckDBPyConnection, text: str) -> duckdb.StatementType | None:
    """The type of the statement an EXPLAIN [ANALYZE] [(options)] explains, by DuckDB's parse of
    what follows; None when that is not one statement (refused)."""
    tokens = duckdb.tokenize(text)
    words = [
        (start, text[start : tokens[i + 1][0] if i + 1 < len(tokens) else len(text)].strip())
        for i, (start, kind) in enumerate(tokens)
        if kind != duckdb.token_type.comment
    ]
    if not words or words[0][1].lower() != "explain":
        return None
    i = 1
    if i < len(words) and words[i][1].lower() in _OPTIONS_AFTER_EXPLAIN:
        i += 1
    if i < len(words) and words[i][1] == "(":
        depth = 0
        while i < len(words):
            depth += words[i][1].count("(") - words[i][1].count(")")
            i += 1
            if depth <= 0:
                break
    if i >= len(words):
        return None
    try:
        inner = con.extract_statements(text[words[i][0] :])
    except duckdb.Error:
        return None
    return inner[0].type if len(inner) == 1 else None


# Query threads DuckDB has not let go of after an interrupt: the command must then end with
# os._exit, since the interpreter's shutdown would wait for DuckDB to finish the query.
_RUNNING: set[threading.Thread] = set()


def query_still_running() -> bool:
    """True when a stopped query's thread is still inside DuckDB (it ignored the interrupt so far)."""
    return any(thread.is_alive() for thread in _RUNNING)


def run_query(
    warehouse_dir: Path,
    query: str,
    *,
    timeout: float | None = SQL_TIMEOUT,
    memory_limit: str = SQL_MEMORY_LIMIT,
) -> tuple[list[str], list[tuple]]:
    """Columns and rows of one read-only query. Raises UsageError (one line) for a refused
    statement, an SQL error or the time limit; KeyboardInterrupt (Ctrl-C) stops the query."""
    database = warehouse_dir / DATABASE
    if not database.exists():
        raise UsageError(f"{database}: no warehouse here; run `ofsted-findings run` first")
    con = sandboxed_connection(warehouse_dir, memory_limit=memory_limit)
    try:
        statement = read_only_statement(con, query)
    except BaseException:
        con.close()
        raise
    return _execute(con, statement, timeout)


def _execute(
    con: duckdb.DuckDBPyConnection, statement: duckdb.Statement, timeout: float | None
) -> tuple[list[str], list[tuple]]:
    """Run the statement in a thread while this one watches the clock and stays responsive to
    Ctrl-C: DuckDB does not look at Python's signals while it works, so the watcher interrupts
    it (con.interrupt()) on the time limit or on KeyboardInterrupt. Closes the connection."""
    outcome: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            cursor = con.execute(statement)
            outcome["columns"] = [d[0] for d in cursor.description or []]
            outcome["rows"] = cursor.fetchall()
        except BaseException as exc:  # noqa: BLE001 - handed to the watching thread
            outcome["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=work, name="ofsted-findings-sql", daemon=True)
    thread.start()
    try:
        timed_out = _watch(con, done, timeout)
    finally:
        if done.is_set():
            con.close()
        else:  # DuckDB has not yet honoured the interrupt: the thread ends with the process
            _RUNNING.add(thread)
    if "rows" in outcome:
        return outcome["columns"], outcome["rows"]  # type: ignore[return-value]
    error = outcome.get("error")
    if timed_out:
        raise UsageError(f"query stopped: it ran longer than the time limit ({timeout:g} s; see --timeout)")
    if isinstance(error, duckdb.PermissionException):
        raise UsageError(f"refused: {one_line(error)}") from error
    if isinstance(error, duckdb.Error):
        raise UsageError(f"SQL error: {one_line(error)}") from error
    raise error if error is not None else UsageError("query stopped: DuckDB gave no result")


def _watch(con: duckdb.DuckDBPyConnection, done: threading.Event, timeout: float | None) -> bool:
    """Wait for the query; interrupt it on the time limit (returns True) or on Ctrl-C (re-raised).

    Waits on an Event in short steps, not Thread.join: a join broken by KeyboardInterrupt marks
    the thread finished while it still runs (Python 3.11)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while not done.wait(0.1 if deadline is None else max(0.0, min(0.1, deadline - time.monotonic()))):
            if deadline is not None and time.monotonic() >= deadline:
                con.interrupt()
                done.wait(SQL_INTERRUPT_GRACE)
                return True
        return False
    except KeyboardInterrupt:
        con.interrupt()
        done.wait(SQL_INTERRUPT_GRACE)
        raise
