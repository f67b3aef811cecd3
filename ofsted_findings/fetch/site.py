"""Ofsted's report site: its URLs, and the two kinds of page the fetch reads.

- The search for local authority children's services providers lists each provider as a link
  whose path contains `/provider/` and ends with the Ofsted URN; the link text is its name.
- A provider page lists each publication as `<a class="publication-link" href="…">` whose
  `<span class="nonvisual">` names it: "Children's services inspection - 10 December 2018, pdf".
  The href is a file URL on files.ofsted.gov.uk.

Parsing uses the standard library's HTMLParser: the pages are simple and a missing tag must not
crash the fetch (a page that lists nothing parses to an empty list).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

DEFAULT_BASE_URL = "https://reports.ofsted.gov.uk"
OFSTED_FILES_URL = "https://files.ofsted.gov.uk"
# Children's social care (level 1 = 3) > Local authority children's services (level 2 = 12).
SEARCH_PATH = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
MAX_ROWS = 100  # the site's largest page of search results

# Publication types, as codes for file names and --types; first match wins, else the title's slug.
TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern, re.I))
    for code, pattern in (
        ("joint-targeted-area-inspection", r"joint targeted area|\bJTAI\b"),
        ("focused-visit", r"focused visit"),
        ("monitoring-visit", r"monitoring visit"),
        (
            "childrens-services-inspection",
            r"children'?s services inspection|inspection of (?:local authority )?children'?s"
            r"|children in need of help and protection",
        ),
    )
)

_LABEL = re.compile(
    r"^(?P<title>.*?)\s+[-–—]\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*(?:,\s*(?P<fmt>[A-Za-z0-9]+))?\s*$"
)
_FORMAT_SUFFIX = re.compile(r",\s*(?P<fmt>pdf|docx?|html?|odt|txt)\s*$", re.I)


@dataclass(frozen=True)
class ProviderLink:
    urn: int
    name: str  # the link text, as the site writes it
    url: str  # absolute, as linked (before any rewrite to a mirror)


@dataclass(frozen=True)
class PublicationLink:
    url: str  # absolute, as linked
    label: str  # the nonvisual text, e.g. "Children's services inspection - 10 December 2018, pdf"
    title: str  # "Children's services inspection"
    type: str  # "childrens-services-inspection"
    date: dt.date | None
    fmt: str  # "pdf"


@dataclass(frozen=True)
class Site:
    """Where to fetch from. `base_url` serves the search and provider pages; file links that
    point at files.ofsted.gov.uk are fetched from `files_base_url` instead, which defaults to
    files.ofsted.gov.uk for the live site and to `base_url` for any other (a mirror or a test
    server serving `/search`, `/provider/…` and `/v1/file/…` from one host)."""

    base_url: str = DEFAULT_BASE_URL
    files_base_url: str | None = None
    rows: int = MAX_ROWS  # search results per page

    @property
    def base(self) -> str:
        return self.base_url.rstrip("/")

    @property
    def files_base(self) -> str:
        if self.files_base_url:
            return self.files_base_url.rstrip("/")
        return OFSTED_FILES_URL if _origin(self.base) == _origin(DEFAULT_BASE_URL) else self.base

    def search_url(self, start: int = 0) -> str:
        return f"{self.base}{SEARCH_PATH}&start={start}&rows={self.rows}"

    def fetch_url(self, url: str) -> str | None:
        """The URL to request for a link found on the site, or None for a link off the site.

        Links to reports.ofsted.gov.uk / files.ofsted.gov.uk are rewritten to `base_url` /
        `files_base_url`; links to those two hosts are kept; any other host is not followed.
        """
        origin = _origin(url)
        rest = url[len(origin) :]
        if origin == _origin(OFSTED_FILES_URL):
            return _join(self.files_base, rest)
        if origin == _origin(DEFAULT_BASE_URL):
            return _join(self.base, rest)
        if origin in (_origin(self.base), _origin(self.files_base)):
            return url
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _join(base: str, rest: str) -> str:
    """`base` (which may carry a path prefix) followed by the path and query of a link."""
    path_prefix = urlsplit(base).path.rstrip("/")
    if path_prefix and rest.startswith(path_prefix + "/"):
        rest = rest[len(path_prefix) :]
    return base + (rest if rest.startswith("/") else "/" + rest)


def type_code(title: str) -> str:
    title = title.replace("’", "'")
    for code, pattern in TYPE_PATTERNS:
        if pattern.search(title):
            return code
    return slug(title) or "publication"


def slug(text: str) -> str:
    """Lower-case words joined by hyphens: "Children's services" -> "childrens-services"."""
    text = text.lower().replace("’", "").replace("'", "").replace("&", " and ")
    return "-".join(re.findall(r"[a-z0-9]+", text))


def parse_label(label: str) -> tuple[str, dt.date | None, str]:
    """Title, date and format of a publication's label; date None when it has none we can read."""
    label = " ".join(label.split())
    m = _LABEL.match(label)
    if m:
        date = _parse_date(m.group("date"))
        if date is not None:
            return m.group("title").strip(), date, (m.group("fmt") or "pdf").lower()
    fmt_match = _FORMAT_SUFFIX.search(label)
    fmt = fmt_match.group("fmt").lower() if fmt_match else "pdf"
    title = label[: fmt_match.start()] if fmt_match else label
    return title.strip(), None, fmt


def _parse_date(text: str) -> dt.date | None:
    text = re.sub(r"\bSept\b", "Sep", text, flags=re.I)
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class _LinkCollector(HTMLParser):
    """Every <a>: its attributes, its whole text, and the text of its span.nonvisual."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[dict[str, str], str, str | None]] = []
        self._attrs: dict[str, str] | None = None
        self._text: list[str] = []
        self._nonvisual: list[str] | None = None
        self._span_depth = 0  # spans open inside the current nonvisual span

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._close_link()
            self._attrs = {k: v or "" for k, v in attrs}
            self._text, self._nonvisual, self._span_depth = [], None, 0
        elif tag == "span" and self._attrs is not None:
            if self._nonvisual is not None and self._span_depth:
                self._span_depth += 1
            elif "nonvisual" in dict(attrs).get("class", "").split() and self._nonvisual is None:
                self._nonvisual, self._span_depth = [], 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close_link()
        elif tag == "span" and self._span_depth:
            self._span_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._attrs is None:
            return
        self._text.append(data)
        if self._nonvisual is not None and self._span_depth:
            self._nonvisual.append(data)

    def close(self) -> None:
        super().close()
        self._close_link()

    def _close_link(self) -> None:
        if self._attrs is not None:
            nonvisual = " ".join("".join(self._nonvisual).split()) if self._nonvisual is not None else None
            self.links.append((self._attrs, " ".join("".join(self._text).split()), nonvisual))
        self._attrs = None


def _links(html: str) -> list[tuple[dict[str, str], str, str | None]]:
    parser = _LinkCollector()
    parser.feed(html)
    parser.close()
    return parser.links


_PROVIDER_PATH = re.compile(r"/provider/(?:[^?#]*/)?(?P<urn>\d+)/?(?:[?#].*)?$")


def parse_search_page(html: str, page_url: str) -> list[ProviderLink]:
    """The providers a search results page lists, in page order, one per URN."""
    seen: dict[int, ProviderLink] = {}
    for attrs, text, _ in _links(html):
        href = attrs.get("href", "")
        m = _PROVIDER_PATH.search(href) if "/provider/" in href else None
        if not m:
            continue
        urn = int(m.group("urn"))
        if urn not in seen:
            seen[urn] = ProviderLink(urn=urn, name=text, url=urljoin(page_url, href))
    return list(seen.values())


def parse_provider_page(html: str, page_url: str) -> list[PublicationLink]:
    """The publications a provider page lists, in page order (newest first on the site)."""
    out: list[PublicationLink] = []
    seen: set[str] = set()
    for attrs, text, nonvisual in _links(html):
        if "publication-link" not in attrs.get("class", "").split() or not attrs.get("href"):
            continue
        url = urljoin(page_url, attrs["href"].strip())
        if url in seen:
            continue
        seen.add(url)
        label = nonvisual or text
        title, date, fmt = parse_label(label)
        out.append(PublicationLink(url, label, title, type_code(title), date, fmt))
    return out
