"""The flow itself, under Prefect's test harness, and the CLI that runs it."""

import json
import shutil

import pytest
from click.testing import CliRunner

from ofsted_findings.cli import main
from ofsted_findings.flows.pipeline import pipeline_flow
from ofsted_findings.run.options import RunOptions
from tests.conftest import RAW

pytestmark = pytest.mark.flow


def test_flow_publishes_the_sample(tmp_path):
    summary = pipeline_flow(str(RAW), str(tmp_path / "wh"), options=RunOptions(workers=2))
    # the 2018 report is there as its PDF and as its text: one publication, one document
    assert summary.documents_by_status == {"ok": len(list(RAW.iterdir())) - 1, "same_publication": 1}
    assert summary.rows_by_table["judgements"] >= 10
    assert (tmp_path / "wh" / "ofsted.duckdb").exists()


def test_cli_run_then_sql(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    runner = CliRunner()
    result = runner.invoke(main, ["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 0, result.output
    assert "ofsted.duckdb" in result.output
    result = runner.invoke(
        main,
        [
            "sql",
            "select distinct area, grade from judgements j join documents d using (document_id) "
            "where d.document_type='inspection_report' and year(d.inspection_end_date) = 2018 order by area",
            "--warehouse",
            str(tmp_path / "wh"),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "area,grade",
        "children_in_care_and_care_leavers,good",
        "help_and_protection,requires_improvement",
        "impact_of_leaders,good",
        "overall_effectiveness,requires_improvement",
    ]


def test_strict_run_fails_without_publishing_when_a_document_fails(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "broken.pdf").write_bytes(b"<html><body>Report not found</body></html>")
    runner = CliRunner()
    result = runner.invoke(main, ["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"), "--strict"])
    assert result.exit_code == 1
    assert "--strict" in result.output
    assert not (tmp_path / "wh" / "ofsted.duckdb").exists()
    result = runner.invoke(main, ["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 0, result.output
    assert "not a PDF: the file is an HTML page" in result.output


def test_missing_raw_folder_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["run", "--raw", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "raw folder not found" in result.output


def test_cli_run_over_every_hostile_input_exits_0_and_reports_each(tmp_path):
    from tests.integration.test_hostile_inputs import EXPECTED, make_hostile_folder

    raw = make_hostile_folder(tmp_path / "raw")
    result = CliRunner().invoke(main, ["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 0, result.output
    out = CliRunner().invoke(
        main,
        [
            "sql",
            "select source_path, status from documents",
            "--warehouse",
            str(tmp_path / "wh"),
            "--format",
            "json",
        ],
    )
    statuses = {r["source_path"]: r["status"] for r in json.loads(out.output)}
    for name, (status, _) in EXPECTED.items():
        assert statuses[name] == status, name


def test_dask_batches_keep_the_per_document_time_limit(tmp_path):
    # A batch runs in a supervised process on the Dask worker: a document over its time limit
    # becomes a failed row and the batch goes on (was: in the Dask worker's own process, no limit).
    from ofsted_findings.flows.pipeline import process_batch_task

    paths = sorted(RAW.glob("*.md"))[:1] + sorted(RAW.glob("*.txt"))[:1]
    over = process_batch_task.fn(raw_dir=RAW, paths=paths, time_limit=0.001)
    assert [r.status for r in over] == ["failed", "failed"]
    assert all("per-document time limit" in r.error for r in over)
    within = process_batch_task.fn(raw_dir=RAW, paths=paths, time_limit=120)
    assert [r.status for r in within] == ["ok", "ok"]


def test_cli_run_with_allow_shrink_publishes_an_empty_raw_folder(tmp_path, sample_tables):
    # without --allow-shrink it is refused before the flow starts (tests/integration/test_shrink.py)
    import datetime as dt

    import pyarrow.parquet as pq

    from ofsted_findings.run.sequence import publish_run
    from ofsted_findings.warehouse.publish import current_version

    wh, empty = tmp_path / "wh", tmp_path / "empty"
    empty.mkdir()
    publish_run(sample_tables, wh, "run-one", dt.datetime.now(dt.UTC), 8)
    published = current_version(wh)
    result = CliRunner().invoke(main, ["run", "--raw", str(empty), "--warehouse", str(wh), "--allow-shrink"])
    assert result.exit_code == 0, result.output
    assert current_version(wh) != published
    assert pq.read_metadata(wh / "documents.parquet").num_rows == 0

def test_a_failing_summary_artifact_does_not_fail_a_published_run(tmp_path, monkeypatch, caplog):
    """The Prefect API going away after publishing (httpx.ConnectError while saving the summary
    artifact) is a one-line warning, not a failed run."""
    import httpx

    from ofsted_findings.flows import pipeline as flow_module

    def unreachable(**kwargs):
        raise httpx.ConnectError("All connection attempts failed")

    monkeypatch.setattr(flow_module, "create_markdown_artifact", unreachable)
    summary = pipeline_flow(str(RAW), str(tmp_path / "wh"), options=RunOptions(workers=1))
    assert summary.version is not None and (tmp_path / "wh" / "ofsted.duckdb").exists()
    warnings = [r.getMessage() for r in caplog.records if "not saved" in r.getMessage()]
    assert warnings == [
        "artifact ofsted-findings-run-summary not saved (ConnectError: All connection attempts failed); "
        "the run is unaffected"
    ]


def test_the_flow_and_the_plain_sequence_publish_the_same_tables(tmp_path):
    """One sequence: the flow (each step a Prefect task) and run_pipeline without Prefect give
    the same published tables, and the flow's steps are tasks the Prefect UI shows."""
    import asyncio

    import pyarrow.parquet as pq
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from ofsted_findings.run.sequence import run_pipeline
    from ofsted_findings.warehouse.publish import VERSIONED_TABLES, current_version

    state = pipeline_flow(str(RAW), str(tmp_path / "flow"), options=RunOptions(workers=2), return_state=True)
    plain = run_pipeline(RAW, tmp_path / "plain", options=RunOptions(workers=2))
    flowed = state.result()
    run_columns = {"run_id", "started_at", "finished_at", "published_at", "processed_at"}
    for table in VERSIONED_TABLES:
        a, b = (pq.read_table(current_version(tmp_path / w) / f"{table}.parquet") for w in ("flow", "plain"))
        keep = [c for c in a.column_names if c not in run_columns]
        assert a.select(keep).equals(b.select(keep)), table
    assert flowed.documents_by_status == plain.documents_by_status
    assert list(flowed.timings) == list(plain.timings) == ["planning", "processing", "publishing"]

    async def task_names() -> list[str]:
        async with get_client() as client:
            runs = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
            )
            return sorted(r.name.rsplit("-", 1)[0] for r in runs)

    steps = ["discover", "link-and-validate", "plan", "process-documents", "publish"]
    assert asyncio.run(task_names()) == steps
