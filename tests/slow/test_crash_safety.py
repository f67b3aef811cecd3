"""Kill -9 at random moments never leaves an unreadable or mixed warehouse, and the next run
succeeds; two runs at once take turns through the lock."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ofsted_findings.errors import PipelineError
from ofsted_findings.settings import KEEP_VERSIONS
from ofsted_findings.warehouse.lock import warehouse_lock
from ofsted_findings.warehouse.publish import VERSIONED_TABLES, current_version, open_warehouse
from tests.conftest import RAW

KILLS = 50
RUN = (
    "import sys; from pathlib import Path; from ofsted_findings.run.sequence import run_pipeline; "
    "run_pipeline(Path(sys.argv[1]), Path(sys.argv[2]), workers=0, full=True)"
)


def _start(raw: Path, warehouse: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RUN, str(raw), str(warehouse)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def assert_consistent(warehouse: Path) -> str | None:
    """The published warehouse opens, every view answers, all tables come from one run."""
    version = current_version(warehouse)
    if version is None:
        return None
    run_ids = {pq.read_schema(version / f"{t}.parquet").metadata[b"run_id"] for t in VERSIONED_TABLES}
    assert len(run_ids) == 1, f"mixed warehouse: {run_ids}"
    con = open_warehouse(warehouse)
    try:
        for (view,) in con.execute("select view_name from duckdb_views() where not internal").fetchall():
            con.execute(f'select count(*) from "{view}"').fetchone()
    finally:
        con.close()
    return run_ids.pop().decode()


@pytest.mark.slow
def test_random_kills_never_leave_a_broken_or_mixed_warehouse(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(RAW, raw)
    started = time.monotonic()
    assert _start(raw, warehouse).wait(120) == 0
    full_run = time.monotonic() - started
    first = assert_consistent(warehouse)
    assert first
    rng = random.Random(20261122)
    seen_runs = {first}
    for _ in range(KILLS):
        proc = _start(raw, warehouse)
        time.sleep(rng.uniform(0.1, full_run * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        run = assert_consistent(warehouse)
        assert run is not None
        seen_runs.add(run)
    assert _start(raw, warehouse).wait(120) == 0
    last = assert_consistent(warehouse)
    assert last != first
    assert not list(warehouse.glob(".spool-*"))  # killed runs' scratch folders are gone
    versions = [p for p in (warehouse / ".versions").iterdir() if p.is_dir()]
    assert len(versions) <= KEEP_VERSIONS  # old versions and killed runs' leftovers are pruned


def test_a_second_run_waits_for_the_lock_and_says_so(tmp_path):
    said = []
    with (
        warehouse_lock(tmp_path),
        pytest.raises(PipelineError, match="another run holds the warehouse lock"),
        warehouse_lock(tmp_path, timeout=0.5, on_wait=lambda: said.append("waiting")),
    ):
        pass
    assert said == ["waiting"]
    with warehouse_lock(tmp_path, timeout=0.5):
        pass  # released: the next run gets it
