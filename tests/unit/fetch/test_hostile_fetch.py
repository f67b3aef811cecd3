"""Hostile responses on the fake site: each is one line in the summary and the manifest, nothing
of it is saved, and the fetch goes on with the next publication (or, for a spent budget, stops
on time)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from ofsted_findings.fetch.http import Policy
from ofsted_findings.fetch.manifest import Manifest
from ofsted_findings.fetch.run import FetchOptions, fetch
from ofsted_findings.fetch.site import Site
from tests.fake_site import FakeOfsted, File
from tests.unit.fetch.conftest import DUDLEY, pdf

POLICY = Policy(rate=0, timeout=2.0, retries=0, backoff=0, max_bytes=50_000)
GOOD = "Focused visit - 20 November 2025, pdf"
LOOP = "Monitoring visit - 1 May 2020, pdf"
OFF_HOST = "Monitoring visit - 2 May 2020, pdf"
TOO_LARGE = "Monitoring visit - 3 May 2020, pdf"
CLAIMS_HUGE = "Monitoring visit - 4 May 2020, pdf"
TRUNCATED = "Monitoring visit - 5 May 2020, pdf"
MOVED = "Monitoring visit - 6 May 2020, pdf"
MOVED_FILE = 60_000_000  # where MOVED redirects to, on the same host


@pytest.fixture
def hostile_site():
    s = FakeOfsted()
    body = pdf("Dudley monitoring visit")
    s.add(
        DUDLEY,
        "Dudley Metropolitan Borough Council",
        (LOOP, File(body, redirect="{path}")),
        (OFF_HOST, File(body, redirect="http://localhost:9/v1/file/1")),
        (TOO_LARGE, File(body + b"%" * 100_000, no_length=True)),  # found too large as it arrives
        (CLAIMS_HUGE, File(body, declared_length=2_000_000_000, send=100)),
        (TRUNCATED, File(body, declared_length=len(body) + 500)),
        (MOVED, File(body, redirect=f"/v1/file/{MOVED_FILE}")),
        (GOOD, File(pdf("Dudley focused visit"))),
    )
    s.files[MOVED_FILE] = File(pdf("Dudley monitoring visit, moved"))
    s.start()
    yield s
    s.stop()


def _fetch(site: FakeOfsted, raw, policy: Policy = POLICY):
    return fetch(FetchOptions(raw_dir=raw, site=Site(site.base_url, rows=2), policy=policy))


def test_each_hostile_response_is_one_line_and_the_fetch_goes_on(hostile_site, tmp_path):
    raw = tmp_path / "raw"
    summary = _fetch(hostile_site, raw)

    line = re.compile(r"Dudley, (.+?, pdf): http://127\.0\.0\.1:\d+/v1/file/\d+: (.+)")
    errors = {m[1]: m[2] for m in map(line.fullmatch, summary.errors)}
    assert errors == {
        LOOP: "too many redirects (more than 5)",
        OFF_HOST: "redirected to another host (http://localhost:9/v1/file/1), not followed",
        TOO_LARGE: "too large: over 50,000 bytes",
        CLAIMS_HUGE: "too large: 2,000,000,000 bytes (limit 50,000)",
        TRUNCATED: f"truncated: {len(hostile_site.files[50_000_004].body):,} of "
        f"{hostile_site.files[50_000_004].declared_length:,} bytes received",
    }
    assert all("\n" not in e for e in summary.errors)
    # what came after them was fetched: the same-host redirect and the last publication
    assert summary.downloaded == [
        "dudley_2020-05-06_monitoring-visit.pdf",
        "dudley_2025-11-20_focused-visit.pdf",
    ]
    assert (raw / summary.downloaded[0]).read_bytes() == hostile_site.files[MOVED_FILE].body
    # nothing else was kept, not even a part file
    assert sorted(p.name for p in raw.iterdir() if not p.name.startswith(".")) == sorted(summary.downloaded)
    assert not list(raw.glob("*.part")) and not list(raw.glob(".*.part"))
    # never asked another host; the loop stopped after 1 + 5 requests
    assert len(hostile_site.file_requests(50_000_000)) == 6
    by_date = {e.date: e for e in Manifest.load(raw).entries}
    for label, reason in errors.items():
        entry = by_date[dt.datetime.strptime(label[19:-5], "%d %B %Y").date().isoformat()]
        assert (entry.error, entry.path) == (reason, "")


def test_the_budget_holds_while_a_body_dribbles_in(tmp_path):
    site = FakeOfsted()
    site.add(
        DUDLEY,
        "Dudley Metropolitan Borough Council",
        # a byte every 0.05 s of a body that says it is 90 MB: it would take 52 days
        (LOOP, File(b"%PDF" + b"x" * 10_000, declared_length=90_000_000, dribble=0.05)),
        (GOOD, File(pdf("Dudley focused visit"))),
    )
    site.start()
    try:
        started = time.monotonic()
        summary = _fetch(site, tmp_path / "raw", Policy(rate=0, timeout=5, retries=0, backoff=0, budget=3))
        took = time.monotonic() - started
    finally:
        site.stop()
    assert took < 6, took  # the budget, and a byte's wait at most; not the body's length
    assert summary.budget_spent and summary.downloaded == []
    assert "time budget of 3 s spent while receiving" in summary.errors[0]
    (entry,) = [e for e in Manifest.load(tmp_path / "raw").entries if e.date == "2020-05-01"]
    assert "time budget of 3 s spent" in entry.error and entry.path == ""


def test_a_response_slower_than_its_deadline_fails_and_the_next_is_fetched(tmp_path):
    site = FakeOfsted()
    site.add(
        DUDLEY,
        "Dudley Metropolitan Borough Council",
        (LOOP, File(b"%PDF" + b"x" * 10_000, dribble=0.05)),
        (GOOD, File(pdf("Dudley focused visit"))),
    )
    site.start()
    try:
        started = time.monotonic()
        summary = _fetch(site, tmp_path / "raw", Policy(rate=0, timeout=5, retries=0, backoff=0, deadline=2))
        took = time.monotonic() - started
    finally:
        site.stop()
    assert took < 8, took
    assert len(summary.errors) == 1 and "body not received in 2 s" in summary.errors[0]
    assert summary.downloaded == ["dudley_2025-11-20_focused-visit.pdf"]
