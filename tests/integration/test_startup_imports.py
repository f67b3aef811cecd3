"""Commands that only read the warehouse start without Prefect, pandas, Pandera or pypdfium2
(each costs from a few hundred milliseconds to seconds at every start)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ofsted_findings.run.sequence import run_pipeline
from tests.conftest import RAW

HEAVY = ("prefect", "pandas", "pandera", "pypdfium2", "dask")
CHECK = """
import sys
from ofsted_findings.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
print("exit", code, "heavy", sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("startup")
    raw = root / "raw"
    raw.mkdir()
    for name in ("dudley_2018-12-10_inspection_report.txt", "dudley_2016-10-26_monitoring_visit_letter.txt"):
        shutil.copy(RAW / name, raw / name)
    run_pipeline(raw, root / "wh", workers=0)
    return root / "wh"


@pytest.mark.parametrize(
    "args",
    [
        ["sql", "select count(*) from judgements"],
        ["show", "dudley_2018-12-10_inspection_report.txt", "--out", "{out}"],
    ],
    ids=["sql", "show"],
)
def test_read_only_commands_do_not_import_heavy_libraries(warehouse, tmp_path, args):
    args = [a.replace("{out}", str(tmp_path / "page.html")) for a in args]
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(heavy=HEAVY), *args, "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=120,
    )
    assert "exit 0 heavy []" in done.stderr, done.stderr


def test_a_run_with_nothing_changed_starts_neither_prefect_nor_pandas(warehouse, tmp_path):
    """Nothing new, changed or deleted: the run is decided and recorded in runs.parquet before
    Prefect, pandas, Pandera or pypdfium2 are imported, and its summary says where the time went."""
    raw = warehouse.parent / "raw"
    before = pq.read_table(warehouse / "runs.parquet").to_pylist()
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(heavy=HEAVY), "run", "--raw", str(raw),
         "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert "exit 0 heavy []" in done.stderr, done.stdout + done.stderr
    assert "(start-up " in done.stdout and "planning " in done.stdout and "publishing " in done.stdout
    after = pq.read_table(warehouse / "runs.parquet").to_pylist()
    assert len(after) == len(before) + 1
    row = after[-1]
    assert (row["files_seen"], row["files_unchanged"], row["files_processed"], row["published_version"]) == (
        2, 2, 0, None
    )
