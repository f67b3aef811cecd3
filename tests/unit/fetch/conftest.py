"""The fake Ofsted site, with three authorities over two search pages (two results a page)."""

from __future__ import annotations

import pytest

from ofsted_findings.fetch.http import Policy
from ofsted_findings.fetch.run import FetchOptions
from ofsted_findings.fetch.site import Site
from tests.fake_site import FakeOfsted, File, tiny_pdf

DUDLEY, BRACKNELL, BARNET = 80464, 80436, 80487
# Tests wait for nothing but the slow file: no rate limit, no back-off, one retry; the timeout is
# generous for a loaded machine, and the slow file takes well over it (so it costs 2 x 1 s).
FAST = Policy(rate=0, timeout=1.0, retries=1, backoff=0)
SLOW_SECONDS = 3.0


def pdf(*lines: str) -> bytes:
    return tiny_pdf(list(lines))


@pytest.fixture
def site():
    s = FakeOfsted()
    s.add(
        DUDLEY,
        "Dudley Metropolitan Borough Council",
        ("Focused visit - 20 November 2025, pdf", File(pdf("Dudley focused visit"), etag=False)),
        ("Children's services inspection - 10 December 2018, pdf", File(pdf("Dudley inspection"))),
        ("Monitoring visit - 26 October 2016, pdf", File(pdf("Dudley monitoring visit"), fail_first=1)),
    )
    s.add(
        BRACKNELL,
        "Bracknell Forest Council",
        ("Joint targeted area inspection - 5 March 2019, pdf", File(b"", status=404)),
        (
            "Children's services inspection - 1 July 2019, pdf",
            File(pdf("Bracknell Forest inspection"), last_modified=None),
        ),
    )
    s.add(
        BARNET,
        "London Borough of Barnet",
        ("Children's services inspection - 12 June 2023, pdf", File(pdf("Barnet"), delay=SLOW_SECONDS)),
        ("Monitoring visit - 3 May 2022, pdf", File(pdf("Barnet monitoring visit"))),
    )
    s.start()
    yield s
    s.stop()


@pytest.fixture
def options(site, tmp_path):
    def make(**kw) -> FetchOptions:
        kw.setdefault("raw_dir", tmp_path / "raw")
        kw.setdefault("site", Site(site.base_url, rows=2))
        kw.setdefault("policy", FAST)
        return FetchOptions(**kw)

    return make
