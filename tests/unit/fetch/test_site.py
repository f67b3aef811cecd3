"""Reading the site's pages and labels, and pointing its links at a mirror."""

import datetime as dt

import pytest

from ofsted_findings.errors import UsageError
from ofsted_findings.fetch.plan import authority_slug, authority_urns, provider, type_codes
from ofsted_findings.fetch.site import (
    Site,
    parse_label,
    parse_provider_page,
    parse_search_page,
    type_code,
)

SEARCH = """
<html><body>
<a href="/">Home</a> <a href="/provider/help">About providers</a>
<ul>
 <li><h3><a href="/provider/44/80464">Dudley Metropolitan
     Borough Council</a></h3></li>
 <li><h3><a href="https://reports.ofsted.gov.uk/provider/44/80441">Bristol City Council</a></h3></li>
 <li><a href="/provider/44/80464">Dudley (again)</a></li>
</ul></body></html>
"""

PROVIDER = """
<html><body><ul>
<li><a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/50045806">
  Children&#39;s services inspection
  <span class="nonvisual">Children's services inspection - 10 December 2018, pdf</span></a></li>
<li><a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/50001">Focused visit
  <span class="nonvisual">Focused visit - <span>4 July 2019</span>, pdf</span>
  <span class="nonvisual">ignored</span></a></li>
<li><a class="other-link" href="https://files.ofsted.gov.uk/v1/file/9">Not a publication</a></li>
<li><a class="publication-link" href="/v1/file/77">Joint targeted area inspection of Dudley, pdf</a></li>
<li><a class="publication-link">no href</a></li>
</ul></body></html>
"""


def test_search_page_lists_each_provider_once_with_its_urn():
    links = parse_search_page(SEARCH, "https://reports.ofsted.gov.uk/search?q=")
    assert [(p.urn, p.name) for p in links] == [
        (80464, "Dudley Metropolitan Borough Council"),
        (80441, "Bristol City Council"),
    ]
    assert links[0].url == "https://reports.ofsted.gov.uk/provider/44/80464"


def test_provider_page_lists_publications_from_their_nonvisual_labels():
    pubs = parse_provider_page(PROVIDER, "https://reports.ofsted.gov.uk/provider/44/80464")
    assert [(p.url, p.title, p.type, p.date, p.fmt) for p in pubs] == [
        (
            "https://files.ofsted.gov.uk/v1/file/50045806",
            "Children's services inspection",
            "childrens-services-inspection",
            dt.date(2018, 12, 10),
            "pdf",
        ),
        (
            "https://files.ofsted.gov.uk/v1/file/50001",
            "Focused visit",
            "focused-visit",
            dt.date(2019, 7, 4),
            "pdf",
        ),
        (
            "https://reports.ofsted.gov.uk/v1/file/77",
            "Joint targeted area inspection of Dudley",
            "joint-targeted-area-inspection",
            None,
            "pdf",
        ),
    ]


def test_a_page_without_the_expected_markup_lists_nothing():
    assert parse_provider_page("<html><p>Service unavailable", "https://x/provider/1") == []
    assert parse_search_page("", "https://x/search") == []


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (
            "Children's services inspection - 10 December 2018, pdf",
            ("Children's services inspection", "2018-12-10"),
        ),
        ("Monitoring visit – 3 Sept 2019, pdf", ("Monitoring visit", "2019-09-03")),
        ("Monitoring visit - 3 Sep 2019, pdf", ("Monitoring visit", "2019-09-03")),
        ("Joint targeted area inspection - 5 March 2019", ("Joint targeted area inspection", "2019-03-05")),
        ("Inspection - 31 February 2019, pdf", ("Inspection - 31 February 2019", None)),
    ],
)
def test_labels(label, expected):
    title, date, fmt = parse_label(label)
    assert (title, date.isoformat() if date else None) == expected
    assert fmt == "pdf"


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Children’s services inspection", "childrens-services-inspection"),
        ("Inspection of local authority children's services", "childrens-services-inspection"),
        ("Children's services focused visit", "focused-visit"),
        ("Monitoring visit", "monitoring-visit"),
        ("Joint targeted area inspection (JTAI)", "joint-targeted-area-inspection"),
        (
            "Review of the Local Safeguarding Children Board",
            "review-of-the-local-safeguarding-children-board",
        ),
    ],
)
def test_type_codes(title, code):
    assert type_code(title) == code


def test_base_url_rewrites_ofsted_links_to_the_mirror():
    live = Site()
    assert live.fetch_url("https://files.ofsted.gov.uk/v1/file/1") == "https://files.ofsted.gov.uk/v1/file/1"
    mirror = Site("http://127.0.0.1:8000/")
    assert mirror.search_url(100).startswith("http://127.0.0.1:8000/search?q=&")
    assert mirror.search_url(100).endswith("&start=100&rows=100")
    assert mirror.fetch_url("https://files.ofsted.gov.uk/v1/file/1") == "http://127.0.0.1:8000/v1/file/1"
    assert (
        mirror.fetch_url("https://reports.ofsted.gov.uk/provider/44/1")
        == "http://127.0.0.1:8000/provider/44/1"
    )
    assert mirror.fetch_url("http://127.0.0.1:8000/provider/44/1") == "http://127.0.0.1:8000/provider/44/1"
    assert mirror.fetch_url("https://example.com/file.pdf") is None  # off-site: not followed
    split = Site("http://mirror.test/ofsted", files_base_url="http://files.mirror.test/")
    assert split.fetch_url("https://files.ofsted.gov.uk/v1/file/1") == "http://files.mirror.test/v1/file/1"
    assert (
        split.fetch_url("https://reports.ofsted.gov.uk/provider/44/1")
        == "http://mirror.test/ofsted/provider/44/1"
    )


def test_providers_are_named_through_the_reference_list():
    from ofsted_findings.fetch.site import ProviderLink

    p = provider(ProviderLink(80441, "Bristol City Council", "u"))
    assert (p.authority, p.slug, p.resolved) == ("Bristol, City of", "bristol", True)
    p = provider(ProviderLink(1, "Council of Nowhere", "u"))
    assert (p.authority, p.slug, p.resolved) == ("Council of Nowhere", "council-of-nowhere", False)
    assert authority_slug("Bath and North East Somerset") == "bath-and-north-east-somerset"


def test_authority_and_type_options():
    assert authority_urns(["Dudley", "80487", "Bristol, City of"]) == {80464, 80487, 80441}
    assert authority_urns([]) is None
    with pytest.raises(UsageError, match="Atlantis"):
        authority_urns(["Atlantis"])
    assert type_codes(["focused-visit,Monitoring visit"]) == {"focused-visit", "monitoring-visit"}
    assert type_codes([]) is None
