"""The scheduled flow: fetch from a fake Ofsted site on 127.0.0.1, then the pipeline as a subflow;
when the site is down, the pipeline still runs on what is held and the artifact says so."""

import shutil

import pytest

from ofsted_findings.errors import PipelineError
from ofsted_findings.fetch.http import Policy
from ofsted_findings.fetch.run import FetchOptions
from ofsted_findings.fetch.site import Site
from ofsted_findings.flows.scheduled import scheduled_flow
from ofsted_findings.run.options import RunOptions
from tests.conftest import RAW
from tests.fake_site import FakeOfsted, File, tiny_pdf

pytestmark = pytest.mark.flow

NAME = "dudley_2023-03-01_monitoring-visit.pdf"


def _fetching(site: FakeOfsted, raw) -> FetchOptions:
    return FetchOptions(raw_dir=raw, site=Site(site.base_url), policy=Policy(rate=0, backoff=0, retries=0))


def test_scheduled_flow_fetches_then_publishes_even_when_the_site_is_down(tmp_path):
    from prefect.artifacts import Artifact

    site = FakeOfsted()
    letter = ["Dudley Metropolitan Borough Council", "Monitoring visit to Dudley children's services"]
    site.add(
        80464,
        "Dudley Metropolitan Borough Council",
        ("Monitoring visit - 1 March 2023, pdf", File(tiny_pdf(letter))),
    )
    site.start()
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(RAW, raw)
    params = dict(
        fetch_options=_fetching(site, raw),
        fetch_retries=1,
        fetch_retry_delay=0,
        options=RunOptions(workers=1),
    )
    try:
        up = scheduled_flow(str(raw), str(wh), **params)
        site.search_status = 503
        down = scheduled_flow(str(raw), str(wh), **params)
    finally:
        site.stop()

    assert up.fetch_error is None and up.fetch.downloaded == [NAME]
    assert (
        sum(up.run.documents_by_status.values()) == len(list(RAW.iterdir())) + 1
    )  # the sample and the new letter
    assert (wh / "ofsted.duckdb").exists()

    assert down.fetch is None
    assert down.fetch_error.startswith("site unreachable: http://127.0.0.1:")
    assert [r.path for r in site.log].count("/search") == 1 + 2  # the fetch task ran twice when down
    assert sum(down.run.documents_by_status.values()) == len(list(RAW.iterdir())) + 1  # what is held
    # the pipeline ran again, incrementally: nothing new, so the published version stays (it was
    # a new version while scheduled_flow passed `workers` positionally into `full`)
    assert down.run.run_id != up.run.run_id and down.run.version == up.run.version
    assert down.run.plan.to_process == []
    artifact = Artifact.get("ofsted-findings-fetch-summary")
    assert "The fetch failed: site unreachable" in artifact.data


def test_a_second_scheduled_run_with_nothing_new_processes_nothing(tmp_path):
    """`workers` reaches the pipeline as workers, not as `full`: the second run is incremental."""
    import pyarrow.parquet as pq

    site = FakeOfsted()
    letter = ["Dudley Metropolitan Borough Council", "Monitoring visit to Dudley children's services"]
    site.add(
        80464,
        "Dudley Metropolitan Borough Council",
        ("Monitoring visit - 1 March 2023, pdf", File(tiny_pdf(letter))),
    )
    site.start()
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(RAW, raw)
    params = dict(fetch_options=_fetching(site, raw), fetch_retries=0, options=RunOptions(workers=2))
    try:
        first = scheduled_flow(raw_dir=str(raw), warehouse_dir=str(wh), **params)
        second = scheduled_flow(raw_dir=str(raw), warehouse_dir=str(wh), **params)
    finally:
        site.stop()

    held = len(list(RAW.iterdir())) + 1  # the sample and the letter the first fetch downloaded
    assert first.fetch.downloaded == [NAME] and second.fetch.downloaded == []
    assert len(first.run.plan.to_process) == held
    assert second.run.plan.to_process == [] and second.run.plan.nothing_to_do
    assert second.run.version == first.run.version
    runs = pq.read_table(wh / "runs.parquet").to_pylist()
    assert [r["files_processed"] for r in runs] == [held, 0]


def test_a_scheduled_run_over_an_emptied_raw_folder_is_refused_unless_allow_shrink(tmp_path, sample_tables):
    import datetime as dt

    from ofsted_findings.run.sequence import publish_run
    from ofsted_findings.warehouse.publish import current_version

    raw, wh = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()  # e.g. a share that did not mount
    publish_run(sample_tables, wh, "run-one", dt.datetime.now(dt.UTC), 8)
    published = current_version(wh)
    documents = len(sample_tables.frames["documents"])
    site = FakeOfsted()  # unreachable: the fetch fails and the pipeline runs on what is held
    site.search_status = 503
    site.start()
    params = dict(fetch_options=_fetching(site, raw), fetch_retries=0, options=RunOptions(workers=2))
    try:
        refused = scheduled_flow(raw_dir=str(raw), warehouse_dir=str(wh), return_state=True, **params)
        assert refused.is_failed()
        with pytest.raises(PipelineError, match=f"would drop {documents} of the {documents} published"):
            refused.result()
        assert current_version(wh) == published
        params["options"] = RunOptions(workers=2, allow_shrink=True)
        allowed = scheduled_flow(raw_dir=str(raw), warehouse_dir=str(wh), **params)
    finally:
        site.stop()
    assert allowed.run.documents_by_status == {} and current_version(wh) != published
