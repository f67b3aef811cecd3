"""`ofsted-findings sql` runs one read-only statement and nothing else: every way of getting a
write, a second statement or a read outside the warehouse past it is refused, and the published
files are byte for byte the same afterwards. Queries stop at the time limit and on Ctrl-C."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ofsted_findings.cli import main
from ofsted_findings.errors import UsageError
from ofsted_findings.run.sequence import publish_run
from ofsted_findings.warehouse.query import run_query
from tests.conftest import as_from_a_terminal

CLI = Path(sys.executable).with_name("ofsted-findings")
SECRET = "the-contents-of-a-file-outside"
CROSS_JOIN = "select count(*) from findings a, findings b, findings c, findings d"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, sample_tables):
    path = tmp_path_factory.mktemp("wh")
    publish_run(sample_tables, path, "sandbox", dt.datetime.now(dt.UTC), 5)
    return path


def _contents(folder: Path) -> dict[str, str]:
    """Every file and link under the folder: a file's SHA-256, a link's target."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[key] = "-> " + os.readlink(path)
        elif path.is_file():
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _bypasses(w: str) -> list[str]:
    """Statements that write, reach outside the warehouse, or change the sandbox, written the
    ways a text filter misses."""
    grades = "SELECT * REPLACE ($$outstanding$$ AS grade) FROM judgements"
    return [
        f"/**/COPY ({grades}) TO $${w}/current/judgements.parquet$$ (FORMAT parquet)",
        f"--\nCOPY ({grades}) TO '{w}/current/judgements.parquet' (FORMAT parquet)",
        f"/**/COPY documents TO $${w}/ofsted.duckdb$$ (FORMAT csv)",
        f"/**/ATTACH $${w}/evil.duckdb$$",
        f"/* a */ -- b\n ATTACH '{w}/evil.duckdb' AS evil",
        f"select 1; COPY documents TO '{w}/documents.csv'",
        f"SELECT $$;$$; /**/COPY documents TO $${w}/documents.csv$$",
        "PRAGMA enable_profiling",
        f"PRAGMA profiling_output = '{w}/profile.json'",
        "SET memory_limit = '100GB'",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "SET VARIABLE ofsted_warehouse = '/etc'",
        "CALL pragma_version()",
        f"EXPORT DATABASE '{w}/exported'",
        f"/**/EXPORT DATABASE $${w}/exported$$",
        f"IMPORT DATABASE '{w}'",
        "INSTALL httpfs",
        "/**/LOAD httpfs",
        "CREATE TABLE t AS SELECT 1",
        "DROP VIEW documents",
        "USE memory",
        "DETACH warehouse",
        "CHECKPOINT",
        f"EXPLAIN ANALYZE COPY documents TO '{w}/documents.csv'",
        f"EXPLAIN /**/ ANALYSE -- x\n COPY documents TO '{w}/documents.csv'",
        f"EXPLAIN (FORMAT json) COPY documents TO '{w}/documents.csv'",
        "EXPLAIN CREATE TABLE t AS SELECT 1",
        "",
        "-- only a comment",
    ]


@pytest.fixture(scope="module")
def attempts(warehouse, tmp_path_factory):
    """Every bypass and outside read, run once against the warehouse from a working directory
    whose .tmp folder (DuckDB's default temporary directory) holds a file: their errors, and
    the warehouse's contents before and after."""
    cwd = tmp_path_factory.mktemp("cwd")
    (cwd / ".tmp").mkdir()
    (cwd / ".tmp" / "secret.txt").write_text(SECRET)
    before = _contents(warehouse)
    outcomes = {}
    here = Path.cwd()
    os.chdir(cwd)
    try:
        for statement in [*_bypasses(str(warehouse)), *_outside_reads(warehouse)]:
            try:
                outcomes[statement] = run_query(warehouse, statement)
            except Exception as exc:  # noqa: BLE001 - anything but a UsageError fails the tests
                outcomes[statement] = exc
    finally:
        os.chdir(here)
    return before, _contents(warehouse), outcomes, cwd


def _outside_reads(warehouse: Path) -> list[str]:
    return [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from read_blob('/proc/self/environ')",
        "select * from glob('/root/*')",
        "select * from read_text('.tmp/secret.txt')",
        "select * from glob('.tmp/*')",
        f"select * from glob('{warehouse}/*')",
        f"select * from read_text('{warehouse}/.lock')",
        "select * from query('COPY documents TO ''/tmp/x.csv''')",
    ]


def test_every_bypass_is_refused_before_it_runs(warehouse, attempts):
    _, _, outcomes, _ = attempts
    for statement in _bypasses(str(warehouse)):
        outcome = outcomes[statement]
        assert isinstance(outcome, UsageError), (statement, outcome)
        assert str(outcome).startswith("refused:") and "\n" not in str(outcome), (statement, outcome)


def test_no_read_outside_the_published_files(warehouse, attempts):
    _, _, outcomes, _ = attempts
    for statement in _outside_reads(warehouse):
        outcome = outcomes[statement]
        assert isinstance(outcome, UsageError), (statement, outcome)
        assert "\n" not in str(outcome)
        assert SECRET not in str(outcome)


def test_the_published_files_are_unchanged_and_nothing_was_written(warehouse, attempts):
    before, after, _, cwd = attempts
    assert after == before
    assert sorted(p.name for p in (cwd / ".tmp").iterdir()) == ["secret.txt"]
    assert [p.name for p in cwd.iterdir()] == [".tmp"]


def test_every_grade_still_reads_as_published(warehouse, sample_tables):
    _, rows = run_query(warehouse, "select grade, count(*) from judgements group by grade order by grade")
    expected = sample_tables.frames["judgements"]["grade"].value_counts()
    assert dict(rows) == {k: int(v) for k, v in expected.items()}


@pytest.mark.parametrize(
    "statement",
    [
        "/* leading comment */ select count(*) from documents",
        "-- a line comment\nselect count(*) from documents",
        "with d as (select * from documents) select count(*) from d",
        "from documents select count(*)",
        "select count(*) from documents;",
        "values (1), (2)",
        "describe judgements",
        "show tables",
        "summarize documents",
        "select * from duckdb_columns() where table_name = 'documents'",
        "explain select count(*) from documents",
        "explain analyze select count(*) from documents",
        "pivot judgements on grade in ('good', 'inadequate') using count(*) group by area",
        "select $$a;b$$ as s",
    ],
)
def test_read_only_queries_run(warehouse, statement):
    columns, rows = run_query(warehouse, statement)
    assert columns and rows


def test_an_sql_error_is_one_line_with_duckdbs_hint(warehouse):
    with pytest.raises(UsageError) as caught:
        run_query(warehouse, "select area, grade from judgement")
    message = str(caught.value)
    assert "\n" not in message
    assert 'Did you mean "judgements"' in message
    assert message.startswith("SQL error: Catalog Error")


def test_the_cli_prints_refusals_and_errors_on_one_line(warehouse):
    runner = CliRunner()
    for statement in [f"/**/ATTACH $${warehouse}/evil.duckdb$$", "select * from judgement"]:
        result = runner.invoke(main, ["sql", "--warehouse", str(warehouse), statement])
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and result.output.startswith("error: "), result.output
    assert not (warehouse / "evil.duckdb").exists()


def test_a_query_over_the_memory_limit_fails_instead_of_spilling(warehouse):
    settings = "select current_setting('memory_limit'), current_setting('temp_directory')"
    _, rows = run_query(warehouse, settings)
    assert rows == [("1.8 GiB", "")]  # 2GB, as DuckDB shows it
    with pytest.raises(UsageError, match="Out of Memory"):
        run_query(
            warehouse,
            "select count(distinct s) from (select x::varchar || repeat('x', 50) s from range(2000000) t(x))",
            memory_limit="32MB",
        )


def test_a_timeout_stops_a_runaway_query_promptly(warehouse):
    started = time.monotonic()
    result = CliRunner().invoke(main, ["sql", "--warehouse", str(warehouse), "--timeout", "1", CROSS_JOIN])
    took = time.monotonic() - started
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "time limit (1 s" in result.output, result.output
    assert took < 10, took


def _has_open(pid: int, name: str) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").endswith(name):
                return True
        except OSError:
            continue
    return False


NEEDS_PROC = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the query start"
)


def _ctrl_c(warehouse: Path, *, after: float) -> tuple[int, str, float]:
    """Start the cross join, press Ctrl-C `after` seconds from when the command opens the
    database file; its exit status, its stderr and the seconds it took to end after the Ctrl-C."""
    proc = subprocess.Popen(
        [str(CLI), "sql", "--warehouse", str(warehouse), CROSS_JOIN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
    )
    try:
        deadline = time.monotonic() + 60
        while not _has_open(proc.pid, "ofsted.duckdb") and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.0005)
        time.sleep(after)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = proc.communicate(timeout=30)
        return proc.returncode, err, time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@NEEDS_PROC
def test_ctrl_c_stops_the_query_and_exits_130(warehouse):
    returncode, err, took = _ctrl_c(warehouse, after=1.0)  # the cross join is under way
    assert returncode == 130, err
    assert err.count("\n") == 1 and err.startswith("error: interrupted"), err
    assert took < 5, took


@NEEDS_PROC
@pytest.mark.parametrize("delay", [0.0, 0.001, 0.003, 0.01, 0.03])
def test_ctrl_c_at_any_moment_of_the_query_start_exits_130_with_one_line(warehouse, delay):
    """Ctrl-C while the connection is still being made: DuckDB, in the main thread, would turn
    it into its own RuntimeError (a traceback); a thread stopped inside DuckDB by the interpreter's
    shutdown aborts the process. Seen at these delays after the database file is opened."""
    returncode, err, _ = _ctrl_c(warehouse, after=delay)
    assert returncode == 130, err
    assert err == "error: interrupted (Ctrl-C); the query was stopped\n", err


def test_a_query_duckdb_has_not_let_go_of_is_seen(monkeypatch):
    """The command exits at once (os._exit) while a stopped query's thread is still in DuckDB:
    the interpreter's shutdown would otherwise wait for the query (seen on a loaded machine)."""
    import threading

    from ofsted_findings.warehouse import query

    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    monkeypatch.setattr(query, "_RUNNING", {thread})
    assert query.query_still_running()
    release.set()
    thread.join()
    assert not query.query_still_running()
