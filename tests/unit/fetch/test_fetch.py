"""The whole fetch against the fake site on 127.0.0.1 (see conftest.py for what it serves)."""

import datetime as dt

import pytest

from ofsted_findings.fetch.http import Policy
from ofsted_findings.fetch.manifest import MANIFEST_NAME, Manifest, drop_superseded, superseded_paths
from ofsted_findings.fetch.run import FetchError, SiteUnreachable, fetch, fetch_lock
from ofsted_findings.fetch.site import Site
from ofsted_findings.ingest.discover import discover
from tests.fake_site import File
from tests.unit.fetch.conftest import BARNET, BRACKNELL, DUDLEY, pdf

NEW = [
    "dudley_2025-11-20_focused-visit.pdf",
    "dudley_2018-12-10_childrens-services-inspection.pdf",
    "dudley_2016-10-26_monitoring-visit.pdf",
    "bracknell-forest_2019-07-01_childrens-services-inspection.pdf",
    "barnet_2022-05-03_monitoring-visit.pdf",
]
INSPECTION = NEW[1]


def files_in(raw):
    return sorted(p.name for p in raw.iterdir() if not p.name.startswith("."))


def file_no(site, label_start: str) -> int:
    return next(
        pub.file_no for p in site.providers for pub in p.publications if pub.label.startswith(label_start)
    )


def test_first_fetch_downloads_exactly_the_new_publications_and_records_failures(site, options):
    opts = options()
    reported = []
    summary = fetch(opts, report=lambda kind, message: reported.append((kind, message)))

    assert summary.downloaded == NEW
    assert files_in(opts.raw_dir) == sorted(NEW)
    assert (opts.raw_dir / INSPECTION).read_bytes() == site.files[
        file_no(site, "Children's services inspection - 10")
    ].body
    assert (summary.providers_listed, summary.providers_checked, summary.publications_seen) == (3, 3, 7)
    # two search pages (two results a page), files fetched from this server, not files.ofsted.gov.uk
    assert [r.path for r in site.log if r.path == "/search"] == ["/search", "/search"]
    # the 500 was retried; the 404 and the slow file are one line each, and not fatal
    assert [r.status for r in site.file_requests(file_no(site, "Monitoring visit - 26"))] == [500, 200]
    assert len(summary.errors) == 2
    assert summary.errors[0].startswith(
        "Bracknell Forest, Joint targeted area inspection - 5 March 2019, pdf: http://127.0.0.1:"
    )
    assert summary.errors[0].endswith(": HTTP 404 Not Found")
    assert summary.errors[1].endswith(": timed out after 1 s (2 attempts)")
    assert all("\n" not in e for e in summary.errors)
    assert [k for k, _ in reported].count("error") == 2

    rows = {e.url: e for e in Manifest.load(opts.raw_dir).entries}
    assert len(rows) == 7
    inspection = rows[site.file_url(file_no(site, "Children's services inspection - 10"))]
    assert (inspection.urn, inspection.authority, inspection.title, inspection.type, inspection.date) == (
        "80464",
        "Dudley",
        "Children's services inspection",
        "childrens-services-inspection",
        "2018-12-10",
    )
    assert inspection.path == INSPECTION and len(inspection.sha256) == 64 and inspection.http_status == "200"
    assert inspection.etag.startswith('"') and inspection.last_modified.endswith("GMT")
    assert inspection.fetched_at.endswith("+00:00") and not inspection.supersedes and not inspection.error
    missing = rows[site.file_url(file_no(site, "Joint targeted"))]
    assert (missing.path, missing.http_status, missing.error) == ("", "404", "HTTP 404 Not Found")
    slow = rows[site.file_url(file_no(site, "Children's services inspection - 12 June"))]
    assert (slow.path, slow.http_status, slow.error) == ("", "", "timed out after 1 s (2 attempts)")


def test_second_fetch_makes_only_conditional_requests_and_downloads_nothing(site, options):
    opts = options(authorities=frozenset({DUDLEY, BRACKNELL}))  # not Barnet: its slow file costs 2 s
    fetch(opts)
    before = {name: (opts.raw_dir / name).stat().st_mtime_ns for name in files_in(opts.raw_dir)}
    site.clear_log()

    summary = fetch(opts)

    assert summary.downloaded == [] and summary.changed == []
    assert summary.unchanged == 4 and len(summary.errors) == 1  # the 404, asked for again
    assert {name: (opts.raw_dir / name).stat().st_mtime_ns for name in files_in(opts.raw_dir)} == before
    held = [e for e in Manifest.load(opts.raw_dir).entries if e.path]
    assert len(held) == 4
    for e in held:
        requests = site.file_requests(int(e.url.rsplit("/", 1)[1]))
        assert requests and all(r.conditional and r.status == 304 for r in requests), e.url
        assert e.http_status == "304"
    # Last-Modified only, ETag only, and both: each file is asked for with what it gave
    by_path = {e.path: e for e in held}
    assert not by_path["dudley_2025-11-20_focused-visit.pdf"].etag
    assert not by_path["bracknell-forest_2019-07-01_childrens-services-inspection.pdf"].last_modified
    assert by_path[INSPECTION].etag and by_path[INSPECTION].last_modified
    assert summary.conditional_requests == 4


def test_a_changed_file_is_kept_as_a_new_file_that_supersedes_the_old(site, options):
    opts = options(authorities=frozenset({DUDLEY}))
    fetch(opts)
    old_bytes = (opts.raw_dir / INSPECTION).read_bytes()
    number = file_no(site, "Children's services inspection - 10")
    site.files[number].body = pdf("Dudley inspection, corrected")

    summary = fetch(opts)

    assert summary.downloaded == [] and len(summary.changed) == 1
    new, old = summary.changed[0]
    assert old == INSPECTION
    assert new.startswith("dudley_2018-12-10_childrens-services-inspection_") and new.endswith(".pdf")
    assert (opts.raw_dir / old).read_bytes() == old_bytes  # never overwritten
    assert (opts.raw_dir / new).read_bytes() == site.files[number].body
    rows = [e for e in Manifest.load(opts.raw_dir).entries if e.url == site.file_url(number)]
    assert [(e.path, e.supersedes) for e in rows] == [(old, ""), (new, old)]
    assert new[len("dudley_2018-12-10_childrens-services-inspection_") : -4] == rows[1].sha256[:8]
    # the pipeline's discovery, with the hook, reads the new version only
    assert superseded_paths(opts.raw_dir) == {old}
    kept = [p.name for p in drop_superseded(opts.raw_dir, discover(opts.raw_dir))]
    assert new in kept and old not in kept and len(kept) == 3

    site.clear_log()
    again = fetch(opts)  # the new version's ETag is used: nothing downloaded
    assert again.changed == [] and again.downloaded == [] and again.unchanged == 3
    assert all(r.conditional for r in site.file_requests())


def test_filters_by_authority_type_and_date(site, options):
    opts = options(
        authorities=frozenset({DUDLEY}),
        types=frozenset({"focused-visit", "monitoring-visit"}),
        since=dt.date(2017, 1, 1),
    )
    summary = fetch(opts)
    assert summary.downloaded == ["dudley_2025-11-20_focused-visit.pdf"]
    assert (summary.providers_selected, summary.publications_seen, summary.skipped) == (1, 3, 2)
    assert {r.path for r in site.log if r.path.startswith("/provider/")} == {f"/provider/44/{DUDLEY}"}
    entries = Manifest.load(opts.raw_dir).entries
    assert len(entries) == 3  # every publication seen is recorded; the two left out hold no file
    assert sorted(bool(e.path) for e in entries) == [False, False, True]


def test_no_recheck_skips_held_publications(site, options):
    opts = options(authorities=frozenset({DUDLEY}), recheck=False)
    fetch(opts)
    site.clear_log()
    summary = fetch(opts)
    assert summary.not_rechecked == 3 and site.file_requests() == []


def test_a_deleted_file_is_fetched_again(site, options):
    opts = options(authorities=frozenset({DUDLEY}))
    fetch(opts)
    (opts.raw_dir / INSPECTION).unlink()
    summary = fetch(opts)
    assert summary.downloaded == [INSPECTION] and summary.changed == []
    assert len(Manifest.load(opts.raw_dir).entries) == 3


def test_an_html_page_served_as_a_pdf_is_an_error_not_a_file(site, options):
    site.add(
        80441,
        "Bristol City Council",
        (
            "Monitoring visit - 1 May 2024, pdf",
            File(b"<html><body>Sorry</body></html>", content_type="text/html"),
        ),
    )
    opts = options(authorities=frozenset({80441}))
    summary = fetch(opts)
    assert summary.downloaded == [] and files_in(opts.raw_dir) == []
    assert summary.errors[0].endswith("not a PDF: the file is an HTML page")


def test_unreachable_site_is_one_error_and_touches_nothing(site, options, tmp_path):
    opts = options(authorities=frozenset({DUDLEY}))
    fetch(opts)
    manifest_before = (opts.raw_dir / MANIFEST_NAME).read_text()
    site.search_status = 503
    with pytest.raises(SiteUnreachable) as caught:
        fetch(opts)
    assert str(caught.value).startswith("site unreachable: http://127.0.0.1:")
    assert str(caught.value).endswith("HTTP 503 Service Unavailable (2 attempts)")
    assert (opts.raw_dir / MANIFEST_NAME).read_text() == manifest_before
    site.stop()
    with pytest.raises(SiteUnreachable, match="cannot connect"):
        fetch(options(site=Site(site.base_url), raw_dir=tmp_path / "other"))


def test_a_site_listing_no_providers_is_an_error(site, options):
    site.providers.clear()
    with pytest.raises(FetchError, match="lists no providers"):
        fetch(options())


def test_time_budget_stops_the_fetch_and_keeps_what_it_got(site, options):
    opts = options(policy=Policy(rate=10, timeout=1.0, retries=0, backoff=0, budget=0.65))
    summary = fetch(opts)  # ~6 requests at 10 a second
    assert summary.budget_spent
    assert any("time budget of 0.65 s spent" in w for w in summary.warnings)
    assert 0 < summary.requests < 12
    held = {e.path for e in Manifest.load(opts.raw_dir).entries if e.path}
    assert held == set(files_in(opts.raw_dir)) == set(summary.downloaded)
    assert len(held) < len(NEW)


def test_one_fetch_per_raw_folder(site, options):
    opts = options()
    opts.raw_dir.mkdir()
    with fetch_lock(opts.raw_dir), pytest.raises(FetchError, match="another fetch is running"):
        fetch(opts)


def test_unresolved_provider_is_fetched_under_its_own_name(site, options):
    site.add(99999, "Council of Nowhere", ("Monitoring visit - 1 May 2024, pdf", File(pdf("Nowhere"))))
    summary = fetch(options(authorities=frozenset({99999, BARNET + 1000000})))
    assert summary.downloaded == ["council-of-nowhere_2024-05-01_monitoring-visit.pdf"]
    assert any("not in the reference list" in w for w in summary.warnings)
    assert any("URN 1080487: not listed" in w for w in summary.warnings)
    assert BRACKNELL not in {int(e.urn) for e in Manifest.load(options().raw_dir).entries}


def test_a_failed_provider_page_is_one_error_and_the_others_go_on(site, options):
    site.page_status[BRACKNELL] = 503
    summary = fetch(options(authorities=frozenset({DUDLEY, BRACKNELL})))
    assert len(summary.downloaded) == 3
    assert len(summary.errors) == 1
    assert summary.errors[0].startswith("Bracknell Forest, provider page: http://127.0.0.1:")
    assert summary.errors[0].endswith("/provider/44/80436: HTTP 503 Service Unavailable (2 attempts)")
