"""The HTML report on the sample: self-contained, escaped, the Dudley charts, renders in Chromium."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from ofsted_findings.cli import main
from ofsted_findings.errors import UsageError
from ofsted_findings.report import write_report
from ofsted_findings.report.data import Authority, ReportData, load_report
from ofsted_findings.report.page import render_report
from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files, publish_run
from ofsted_findings.warehouse.query import run_query
from tests.chromium import CHROMIUM, run_chromium
from tests.conftest import RAW

HOSTILE = """Title of a hostile page <script>alert('x')</script>

By Joe Lepper

| 05 July 2017

Dudley Council's children's services were rated as good by Ofsted. <img src=x onerror=alert(1)>
Supervision is not always regular <script>alert(2)</script>.
Caseloads were reduced to 45% of <script>alert(3)</script> last year.
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, sample_tables):
    path = tmp_path_factory.mktemp("wh")
    publish_run(sample_tables, path, "report", dt.datetime.now(dt.UTC), 5)
    return path


@pytest.fixture(scope="module")
def page_path(warehouse, tmp_path_factory):
    return write_report(warehouse, tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def page(page_path):
    return page_path.read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the ids in document order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def by_id(self, element_id: str) -> tuple[str, dict] | None:
        return next(((t, a) for t, a in self.tags if a.get("id") == element_id), None)


def test_report_is_self_contained(page):
    tags = Elements(page).tags
    names = {t for t, _ in tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "image", "use"}
    for tag, attrs in tags:
        for name, value in attrs.items():
            assert not re.search(r"(?i)(https?:|//|data:)", value or ""), (tag, name, value)
    # URLs may appear only as escaped text (document evidence), never in markup or style
    style = page[page.index("<style>") : page.index("</style>")]
    assert "url(" not in style and "@import" not in style
    for m in re.finditer(r"https?://", page):
        before = page[: m.start()]
        assert before.rfind(">") > before.rfind("<"), page[m.start() - 80 : m.end() + 40]


def test_report_has_the_dudley_grade_timeline_and_heat_map(page):
    elements = Elements(page)
    timeline, heatmap = elements.by_id("grade-timeline-dudley"), elements.by_id("theme-heatmap-dudley")
    assert timeline and timeline[0] == "svg" and heatmap and heatmap[0] == "svg"
    assert elements.by_id("la-dudley")[0] == "section"
    timeline_svg = page[page.index('id="grade-timeline-dudley"') :]
    timeline_svg = timeline_svg[: timeline_svg.index("</svg>")]
    assert "Overall effectiveness" in timeline_svg and "Requires improvement" in timeline_svg
    heatmap_svg = page[page.index('id="theme-heatmap-dudley"') :]
    heatmap_svg = heatmap_svg[: heatmap_svg.index("</svg>")]
    assert "2018-11" in heatmap_svg and "Supervision" in heatmap_svg
    # the overview's two charts, and the authority's recommendations and metrics
    assert elements.by_id("grades-by-year")[0] == "svg" and elements.by_id("grades-by-region")[0] == "svg"
    assert "West Midlands" in page[page.index('id="grades-by-region"') :]
    assert 'id="recommendations-dudley"' in page and '<ol class="recs">' in page
    assert 'id="metrics-dudley"' in page and '<table class="metrics">' in page


def test_ids_are_unique_across_the_charts(page):
    ids = [a["id"] for _, a in Elements(page).tags if a.get("id")]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for ref in re.findall(r"url\(#([^)]+)\)", page):
        assert ref in ids


def test_every_recommendation_is_listed_and_recurrences_attached(warehouse):
    data = load_report(warehouse, ["DUDLEY"])
    (dudley,) = data.authorities
    _, rows = run_query(
        warehouse,
        "select count(*) from recommendations r join documents d using (document_id) "
        "where d.publisher = 'Ofsted'",
    )
    assert len(dudley.recommendations) == rows[0][0] > 0
    _, earlier = run_query(
        warehouse, "select distinct earlier_recommendation_id from recurring_recommendations"
    )
    assert {r["recommendation_id"] for r in dudley.recommendations if r["came_back"]} == {
        e for (e,) in earlier
    }
    assert dudley.grades and dudley.themes and dudley.metrics and len(dudley.documents) == 8


def test_recurring_recommendations_are_marked(tmp_path):
    """The sample has no recurrence yet: render one by hand."""
    earlier = {
        "recommendation_id": "r1",
        "inspection_id": "i1",
        "seq": 1,
        "framework_ref": None,
        "text": "Improve supervision <script>alert(1)</script>",
        "themes": ["supervision"],
        "document_type": "inspection_report",
        "inspection_type": "full_inspection",
        "end_date": dt.date(2018, 11, 9),
    }
    later = {
        **earlier,
        "recommendation_id": "r2",
        "inspection_id": "i2",
        "text": "Regular supervision",
        "document_type": "focused_visit_letter",
        "inspection_type": "focused_visit",
        "end_date": dt.date(2025, 10, 22),
    }
    pair = {
        "earlier_recommendation_id": "r1",
        "earlier_date": dt.date(2018, 11, 9),
        "earlier_inspection_type": "full_inspection",
        "earlier_text": earlier["text"],
        "later_recommendation_id": "r2",
        "later_date": dt.date(2025, 10, 22),
        "later_inspection_type": "focused_visit",
        "later_text": later["text"],
        "shared_words": ["supervision", "regular"],
        "score": 0.5,
        "match_rank": 1,
    }
    earlier |= {"came_back": [pair], "repeats": None}
    later |= {"came_back": [], "repeats": pair}
    authority = Authority(name="Testshire", recommendations=[earlier, later])
    page = render_report(ReportData(dt.datetime.now(dt.UTC), None, [], [], [], [authority]))
    assert '<li class="recurs" id="rec-r1" value="1">' in page
    assert '<li class="repeats" id="rec-r2" value="1">' in page
    assert "1 made again at a later inspection" in page
    assert "came back</span> at the 2025-10 focused visit (score 0.5" in page
    assert "repeat</span> of the 2018-11 full inspection" in page
    assert "<script>" not in page and "Improve supervision &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="grade-timeline-testshire-empty"' in page  # no grades: a note, not a chart


def test_document_text_is_escaped(tmp_path_factory, tmp_path):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(RAW / "dudley_2018-12-10_inspection_report.txt", raw)
    (raw / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    wh = tmp_path_factory.mktemp("wh")
    publish_run(
        build_and_validate(process_files(raw, list_raw(raw))), wh, "report", dt.datetime.now(dt.UTC), 2
    )
    page = write_report(wh, tmp_path / "h.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page  # the hostile title, in Sources
    assert "<script" not in page and "<img" not in page


def test_authority_filter_and_errors(warehouse, tmp_path):
    result = CliRunner().invoke(
        main,
        ["report", "--out", str(tmp_path / "r.html"), "--warehouse", str(warehouse), "--authority", "dudley"],
    )
    assert result.exit_code == 0, result.output
    assert (
        result.output.strip() == str(tmp_path / "r.html")
        and 'id="la-dudley"' in (tmp_path / "r.html").read_text()
    )
    with pytest.raises(UsageError, match="Nowhere"):
        load_report(warehouse, ["Nowhere"])
    result = CliRunner().invoke(
        main, ["report", "--out", str(tmp_path / "x.html"), "--warehouse", str(tmp_path)]
    )
    assert result.exit_code == 1 and "no warehouse here" in result.output


def _chromium(tmp_path, *args: str):
    return run_chromium(tmp_path, *args)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_report_renders_in_headless_chromium_without_console_errors(page_path, tmp_path):
    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", page_path.as_uri())
    assert _console(run.stderr) == []
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1400, 2000)
    assert len(png) > 60_000  # a blank or unstyled page compresses far smaller
    dom = _chromium(tmp_path, "--dump-dom", page_path.as_uri()).stdout
    assert '<svg id="grade-timeline-dudley"' in dom and '<svg id="theme-heatmap-dudley"' in dom


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_the_console_check_sees_errors(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><svg><path d="M 0 0 L x"/></svg>', encoding="utf-8")
    run = _chromium(
        tmp_path, "--enable-logging=stderr", "--v=0", f"--screenshot={tmp_path / 'bad.png'}", bad.as_uri()
    )
    assert any("attribute d" in line for line in _console(run.stderr))


def test_recommendations_have_one_numbering_and_one_list_per_inspection(page, warehouse):
    section = page[page.index('id="recommendations-dudley"') : page.index('id="metrics-dudley"')]
    _, rows = run_query(
        warehouse,
        "select count(*), count(distinct r.inspection_id) from recommendations r "
        "join documents d using (document_id) where d.publisher = 'Ofsted'",
    )
    (recommendations, inspections), = rows
    assert f"{recommendations} recommendations from Ofsted" in section and recommendations == 49
    assert section.count('<ol class="recs">') == inspections == 5
    assert section.count("2018-11 full inspection") == 1
    items = re.findall(r'<li class="[^"]*" id="rec-[^"]*" value="(\d+)">([^<]*)', section)
    assert len(items) == recommendations
    assert not [text for _, text in items if re.match(r"\s*\d+[.)]\s", text)]  # no "1. 1. Urgently…"
    numbers = [int(n) for n, _ in items]
    assert numbers[:23] == [*range(1, 23), 133]  # the 2016 report's own numbers, LSCB paragraphs included
    assert items[0][1].startswith("Urgently implement quality assurance")


def test_metrics_are_grouped_by_subject_with_the_evidence_on_hover(page):
    section = page[page.index('id="metrics-dudley"') : page.index('id="sources-dudley"')]
    table = section[section.index('<table class="metrics">') :]
    head = re.findall(r"<th>([^<]*)</th>", table[: table.index("</thead>")])
    assert head[0] == "Subject"
    dated = [h for h in head[1:] if h[:4].isdigit()]
    assert dated == sorted(dated) and dated[0] == "2016-02 full inspection"  # in inspection order
    assert "2018-11 full inspection" in dated
    subjects = re.findall(r"<tr><td>([^<]*)</td>", table)
    assert len(subjects) == len(set(subjects))  # one row per subject key
    assert "" not in subjects and "at" not in subjects  # '%', '65%', 'at 31/03/2014' left out
    assert "care leavers" in subjects
    hovers = re.findall(r'<span class="mv" title="([^"]*)">', table)
    assert hovers and all(h.strip() for h in hovers)
    assert any("47.6% of care leavers aged 19–21 are not in EET" in h for h in hovers)
