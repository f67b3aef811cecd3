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

import signal
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


# Query threads that have not ended: while one is alive (DuckDB has not yet let go of a stopped
# query) the command must end with os._exit, since the interpreter's shutdown would wait for the
# query, or stop the thread inside DuckDB (which aborts the process).
_RUNNING: set[threading.Thread] = set()


def query_still_running() -> bool:
    """True while a query's thread is still alive (a stopped query DuckDB has not let go of)."""
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
    query_run = _QueryRun(warehouse_dir, query, memory_limit)
    thread = threading.Thread(target=query_run.work, name="ofsted-findings-sql", daemon=True)
    _RUNNING.add(thread)  # until it has ended, the command ends with os._exit
    try:
        _start_without_sigint(thread)
        timed_out = query_run.watch(timeout)
    except KeyboardInterrupt:
        query_run.interrupt()
        raise
    if query_run.done.is_set():  # the thread has only to return
        thread.join()
        _RUNNING.discard(thread)
    return query_run.result(timed_out=timed_out, timeout=timeout)


def _start_without_sigint(thread: threading.Thread) -> None:
    """Start the thread with SIGINT blocked in it (it inherits this thread's signal mask), so
    that Ctrl-C is only ever seen by the main thread, and not in the middle of Thread.start."""
    if threading.current_thread() is not threading.main_thread():
        thread.start()
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        thread.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a Ctrl-C meanwhile is raised here


class _QueryRun:
    """One query, every DuckDB call of it (connecting, parsing, running) in a thread of its own.

    The main thread only waits and watches the clock. DuckDB does not look at Python's signals
    while it works in another thread, and in the main thread it turns a Ctrl-C into its own
    RuntimeError ("Query interrupted"); so the main thread never enters DuckDB, and a Ctrl-C at
    any moment is a KeyboardInterrupt there, which interrupts the connection (con.interrupt())."""

    def __init__(self, warehouse_dir: Path, query: str, memory_limit: str) -> None:
        self.warehouse_dir, self.query, self.memory_limit = warehouse_dir, query, memory_limit
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stopped = False
        self._outcome: dict[str, object] = {}

    def work(self) -> None:
        con = None
        try:
            con = sandboxed_connection(self.warehouse_dir, memory_limit=self.memory_limit)
            with self._lock:
                self._con = con
            statement = read_only_statement(con, self.query)
            with self._lock:
                if self._stopped:
                    return
            cursor = con.execute(statement)
            self._outcome["columns"] = [d[0] for d in cursor.description or []]
            self._outcome["rows"] = cursor.fetchall()
        except BaseException as exc:  # noqa: BLE001 - handed to the watching thread
            self._outcome["error"] = exc
        finally:
            with self._lock:  # not while interrupt() uses it
                self._con = None
                if con is not None:
                    con.close()
            self.done.set()

    def interrupt(self) -> None:
        """Stop the query, and keep stopping it for the grace period: an interrupt that lands
        between the check of `_stopped` and the start of the query would otherwise be lost."""
        with self._lock:
            self._stopped = True
        deadline = time.monotonic() + SQL_INTERRUPT_GRACE
        while True:
            with self._lock:
                if self._con is not None:
                    self._con.interrupt()
            if self.done.wait(0.05) or time.monotonic() >= deadline:
                return

    def watch(self, timeout: float | None) -> bool:
        """Wait for the query; interrupt it on the time limit (returns True). Waits on an Event
        in short steps, not Thread.join: a join broken by KeyboardInterrupt marks the thread
        finished while it still runs (Python 3.11)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done.wait(_step(deadline)):
            if deadline is not None and time.monotonic() >= deadline:
                self.interrupt()
                return True
        return False

    def result(self, *, timed_out: bool, timeout: float | None) -> tuple[list[str], list[tuple]]:
        outcome = self._outcome
        if "rows" in outcome:
            return outcome["columns"], outcome["rows"]  # type: ignore[return-value]
        if timed_out:
            raise UsageError(
                f"query stopped: it ran longer than the time limit ({timeout:g} s; see --timeout)"
            )
        error = outcome.get("error")
        if isinstance(error, UsageError):
            raise error
        if isinstance(error, duckdb.PermissionException):
            raise UsageError(f"refused: {one_line(error)}") from error
        if isinstance(error, duckdb.Error):
            raise UsageError(f"SQL error: {one_line(error)}") from error
        raise error if error is not None else UsageError("query stopped: DuckDB gave no result")


def _step(deadline: float | None) -> float:
    """How long to wait before looking at the clock again: 0.1 s, or less near the deadline."""
    return 0.1 if deadline is None else max(0.0, min(0.1, deadline - time.monotonic()))
