"""An empty or wrong raw folder must not wipe the warehouse: a run that would drop more than
SHRINK_LIMIT of the published documents is refused before any work, unless allow_shrink."""

from __future__ import annotations

import datetime as dt
import math
import shutil

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from ofsted_findings.cli import main
from ofsted_findings.errors import PipelineError
from ofsted_findings.run.sequence import publish_run, run_pipeline
from ofsted_findings.run.shrink import shrink_refusal
from ofsted_findings.settings import SHRINK_LIMIT
from ofsted_findings.warehouse.publish import current_version
from tests.conftest import RAW

SAMPLE = sorted(p.name for p in RAW.iterdir())


@pytest.fixture()
def published(tmp_path):
    """The sample published by a run; returns (raw, warehouse)."""
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(RAW, raw)
    run_pipeline(raw, wh, workers=1)
    return raw, wh


def _state(wh):
    return current_version(wh), {p: p.stat().st_mtime_ns for p in wh.rglob("*") if p.is_file()}


def test_an_empty_raw_folder_is_refused_and_nothing_changes(published, tmp_path):
    raw, wh = published
    empty = tmp_path / "empty"
    empty.mkdir()
    before = _state(wh)
    for full in (False, True):
        with pytest.raises(PipelineError) as refused:
            run_pipeline(empty, wh, workers=1, full=full)
        message = str(refused.value)
        n = len(SAMPLE)
        assert message.startswith(f"{empty}: this run would drop {n} of the {n} published documents")
        assert "holds 0 files" in message and "--allow-shrink" in message and "\n" not in message
    assert _state(wh) == before  # nothing published, not even a runs row
    assert len(pq.read_table(wh / "runs.parquet")) == 1


def test_a_wrong_folder_is_refused_even_when_it_holds_more_files(published, tmp_path):
    _, wh = published
    other = tmp_path / "other"
    other.mkdir()
    for i in range(len(SAMPLE) * 2):
        shutil.copy(RAW / SAMPLE[0], other / f"elsewhere_{i}.txt")
    with pytest.raises(PipelineError, match=f"would drop {len(SAMPLE)} of the {len(SAMPLE)} published"):
        run_pipeline(other, wh, workers=1)


def test_allow_shrink_publishes_the_smaller_warehouse(published, tmp_path):
    raw, wh = published
    for name in SAMPLE[1:]:
        (raw / name).unlink()
    summary = run_pipeline(raw, wh, workers=1, allow_shrink=True)
    assert summary.plan.deleted == len(SAMPLE) - 1
    assert pq.read_table(wh / "documents.parquet").column("source_path").to_pylist() == [SAMPLE[0]]


def test_the_limit_is_more_than_the_setting_of_the_published_documents(sample_tables, tmp_path):
    wh, raw = tmp_path / "wh", tmp_path / "raw"
    publish_run(sample_tables, wh, "run-one", dt.datetime.now(dt.UTC), len(SAMPLE))
    published = len(sample_tables.frames["documents"])
    allowed = math.floor(SHRINK_LIMIT * published)

    def refusal(dropped):
        paths = [raw / name for name in SAMPLE[dropped:]] + [raw / "a_new_file.txt"]
        return shrink_refusal(raw_dir=raw, paths=paths, warehouse_dir=wh)

    assert refusal(allowed) is None
    assert f"would drop {allowed + 1} of the {published} published documents" in refusal(allowed + 1)
    assert shrink_refusal(raw_dir=raw, paths=[], warehouse_dir=tmp_path / "new") is None  # a first run


def test_cli_run_refuses_at_once_in_one_line(published, tmp_path):
    """Before Prefect starts (no flow runs here): one line naming the folder and the counts."""
    _, wh = published
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / SAMPLE[0]).write_bytes((RAW / SAMPLE[0]).read_bytes())
    before = _state(wh)
    result = CliRunner().invoke(main, ["run", "--raw", str(empty), "--warehouse", str(wh)])
    n = len(SAMPLE)
    assert result.exit_code == 1
    assert result.output == (
        f"error: {empty}: this run would drop {n - 1} of the {n} published documents "
        "(the folder holds 1 file, 1 of them published); nothing published. "
        "Check --raw, or pass --allow-shrink to publish it anyway\n"
    )
    assert _state(wh) == before
