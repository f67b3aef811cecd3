"""The evidence viewer: escaped, self-contained, renders in headless Chromium."""

import datetime as dt
import shutil

import pytest

from ofsted_findings.errors import UsageError
from ofsted_findings.report.viewer import write_viewer
from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files, publish_run
from ofsted_findings.warehouse.layout import open_warehouse
from tests.chromium import CHROMIUM, run_chromium
from tests.conftest import RAW

HOSTILE = """Title of a hostile page <script>alert('x')</script>

By Joe Lepper

| 05 July 2017

Dudley Council's children's services were rated as good by Ofsted. <img src=x onerror=alert(1)>
Supervision is not always regular.
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(RAW / "dudley_2018-12-10_inspection_report.txt", raw)
    (raw / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    wh = tmp_path_factory.mktemp("wh")
    results = build_and_validate(process_files(raw, list_raw(raw)))
    publish_run(results, wh, "viewer", dt.datetime.now(dt.UTC), 2)
    return wh


def test_viewer_escapes_document_text(warehouse, tmp_path):
    out = write_viewer(warehouse, "hostile.txt", tmp_path / "h.html")
    page = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page
    assert page.count("<script") == 2  # the page's own data block and code, nothing else


def test_viewer_is_self_contained_with_highlights_and_contents(warehouse, tmp_path):
    page = write_viewer(warehouse, "dudley_2018-12-10_inspection_report.txt", tmp_path / "r.html").read_text()
    assert "http://" not in page and "https://" not in page.replace("https://www.gov.uk", "")
    assert 'class="m k-judgement' in page or "k-judgement" in page
    assert "help_and_protection" in page and "p-weakness" in page


def test_unknown_document_is_a_clear_error(warehouse):
    with pytest.raises(UsageError, match="no such document"):
        write_viewer(warehouse, "nope", None)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_viewer_renders_in_headless_chromium(warehouse, tmp_path):
    page = write_viewer(warehouse, "dudley_2018-12-10_inspection_report.txt", tmp_path / "r.html")
    shot = tmp_path / "viewer.png"
    run_chromium(tmp_path, f"--screenshot={shot}", page.as_uri(), window="1400,900")
    assert shot.stat().st_size > 10_000


def test_the_legend_counts_each_kind_of_highlight(warehouse, tmp_path):

    page = write_viewer(warehouse, "dudley_2018-12-10_inspection_report.txt", tmp_path / "r.html").read_text()
    con = open_warehouse(warehouse)
    counts = dict(con.execute(
        "select polarity, count(*) from findings f join documents d using (document_id) "
        "where d.source_path = 'dudley_2018-12-10_inspection_report.txt' group by polarity"
    ).fetchall())
    assert sum(counts.values()) == 203 and len(counts) == 4
    for polarity, n in counts.items():
        assert f'<span class="m k-finding p-{polarity}">{polarity} finding ({n})</span>' in page
    assert "(203 findings)" not in page
