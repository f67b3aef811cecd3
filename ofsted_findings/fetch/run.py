"""The whole fetch as one plain function: list the providers, read each provider page, and
download the publications not yet held (conditional GETs for those held), recording every
publication seen in the manifest. The CLI and the Prefect flow both call `fetch`."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ofsted_findings.errors import PipelineError, UnsupportedInput, UsageError
from ofsted_findings.fetch.http import BudgetSpent, Client, FetchFailed, Policy, Response
from ofsted_findings.fetch.manifest import Entry, Manifest
from ofsted_findings.fetch.plan import (
    Provider,
    candidate_names,
    extension,
    file_stem,
    link_new_file,
    not_selected,
    provider,
)
from ofsted_findings.fetch.site import PublicationLink, Site, parse_provider_page, parse_search_page
from ofsted_findings.ingest.pdf import sniff_pdf
from ofsted_findings.settings import MAX_SEARCH_PAGES

LOCK_NAME = ".fetch.lock"
PART_PREFIX, PART_SUFFIX = ".fetch-", ".part"  # a download in progress, hidden from discovery


class FetchError(PipelineError):
    """The fetch as a whole could not run (the site unreachable, its pages not as expected)."""

    stage = "fetch"


class SiteUnreachable(FetchError):
    pass


@dataclass(frozen=True)
class FetchOptions:
    raw_dir: Path
    site: Site = field(default_factory=Site)
    authorities: frozenset[int] | None = None  # URNs; None for every provider listed
    types: frozenset[str] | None = None  # type codes; None for every type
    since: dt.date | None = None  # publications dated on or after this
    policy: Policy = field(default_factory=Policy)
    recheck: bool = True  # conditional GET for publications already held (False: skip them)


@dataclass
class FetchSummary:
    raw_dir: str
    base_url: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    providers_listed: int = 0
    providers_selected: int = 0
    providers_checked: int = 0
    publications_seen: int = 0
    downloaded: list[str] = field(default_factory=list)  # new files
    changed: list[tuple[str, str]] = field(default_factory=list)  # (new file, the file it supersedes)
    unchanged: int = 0  # 304, or the same bytes again
    not_rechecked: int = 0  # held, and --no-recheck
    skipped: int = 0  # left out by --types / --since
    errors: list[str] = field(default_factory=list)  # one line per URL that failed
    warnings: list[str] = field(default_factory=list)
    budget_spent: bool = False
    requests: int = 0
    conditional_requests: int = 0
    manifest: str = ""

    @property
    def seconds(self) -> float:
        return ((self.finished_at or self.started_at) - self.started_at).total_seconds()


Report = Callable[[str, str], None]  # (kind, message): kind is "new", "changed", "error" or "warning"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@contextmanager
def fetch_lock(raw_dir: Path) -> Iterator[None]:
    """One fetch per raw folder at a time; a second one stops at once and says why."""
    fd = os.open(raw_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchError(f"another fetch is running on {raw_dir} ({raw_dir / LOCK_NAME})") from None
        yield
    finally:
        os.close(fd)


def fetch(
    options: FetchOptions,
    report: Report | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FetchSummary:
    """Fetch what is new into `options.raw_dir`; returns what happened.

    Failures of single URLs are recorded (manifest `error`, summary `errors`) and the fetch goes
    on. Raises SiteUnreachable when the first search page cannot be fetched, FetchError when the
    site lists no providers, UsageError for a raw folder that is not a folder.
    """
    raw_dir = Path(options.raw_dir)
    if raw_dir.exists() and not raw_dir.is_dir():
        raise UsageError(f"{raw_dir}: not a folder")
    raw_dir.mkdir(parents=True, exist_ok=True)
    summary = FetchSummary(str(raw_dir), options.site.base, dt.datetime.now(dt.UTC))
    say = _Reporter(summary, report)
    with fetch_lock(raw_dir), Client(options.policy, transport=transport) as client:
        for left in raw_dir.glob(f"{PART_PREFIX}*{PART_SUFFIX}"):  # of a fetch that was killed
            left.unlink(missing_ok=True)
        manifest = Manifest.load(raw_dir)
        try:
            _fetch(options, client, manifest, summary, say)
        except BudgetSpent as exc:
            summary.budget_spent = True
            say.warning(
                f"stopped: {exc}; {summary.providers_selected - summary.providers_checked} "
                "provider page(s) not checked"
            )
        finally:
            if manifest.entries:
                summary.manifest = str(manifest.save(raw_dir))
            summary.requests = len(client.records)
            summary.conditional_requests = sum(r.conditional for r in client.records)
            summary.finished_at = dt.datetime.now(dt.UTC)
    return summary


@dataclass
class _Reporter:
    summary: FetchSummary
    report: Report | None

    def __call__(self, kind: str, message: str) -> None:
        if self.report:
            self.report(kind, message)

    def error(self, message: str) -> None:
        self.summary.errors.append(message)
        self("error", message)

    def warning(self, message: str) -> None:
        self.summary.warnings.append(message)
        self("warning", message)


def _fetch(
    options: FetchOptions, client: Client, manifest: Manifest, summary: FetchSummary, say: _Reporter
) -> None:
    site = options.site
    providers = _list_providers(client, site, say)
    summary.providers_listed = len(providers)
    if options.authorities is not None:
        listed = {p.urn for p in providers}
        for urn in sorted(options.authorities - listed):
            say.warning(f"URN {urn}: not listed by the site's search")
        providers = [p for p in providers if p.urn in options.authorities]
    summary.providers_selected = len(providers)
    for p in providers:
        if not p.resolved:
            say.warning(f"{p.name} (URN {p.urn}): not in the reference list; files named {p.slug}_…")
        page_url = site.fetch_url(p.url)
        if page_url is None:
            say.error(f"{p.url}: off-site link, not followed")
            summary.providers_checked += 1
            continue
        try:
            page = client.get(page_url)
        except FetchFailed as exc:
            say.error(f"{p.authority}, provider page: {exc}")
            summary.providers_checked += 1
            continue
        summary.providers_checked += 1
        publications = parse_provider_page(page.text, page.url)
        if not publications:
            say.warning(f"{p.authority}: {page_url} lists no publications (has the page changed?)")
        for pub in publications:
            summary.publications_seen += 1
            _publication(options, client, manifest, summary, say, p, pub)
        manifest.save(Path(options.raw_dir))  # after each provider: a killed run loses little


def _list_providers(client: Client, site: Site, say: _Reporter) -> list[Provider]:
    found: dict[int, Provider] = {}
    for page_no in range(MAX_SEARCH_PAGES):
        url = site.search_url(start=page_no * site.rows)
        try:
            r = client.get(url)
        except FetchFailed as exc:
            if page_no == 0:
                raise SiteUnreachable(f"site unreachable: {exc}") from exc
            say.error(str(exc))
            break
        links = parse_search_page(r.text, r.url)
        new = [link for link in links if link.urn not in found]
        for link in new:
            found[link.urn] = provider(link)
        if len(links) < site.rows or not new:
            break
    if not found:
        raise FetchError(f"{site.search_url()}: the search lists no providers (has the site changed?)")
    return list(found.values())


def _entry(p: Provider, pub: PublicationLink) -> Entry:
    return Entry(
        url=pub.url,
        urn=str(p.urn),
        authority=p.authority,
        title=pub.title,
        type=pub.type,
        date=pub.date.isoformat() if pub.date else "",
    )


def _publication(
    options: FetchOptions,
    client: Client,
    manifest: Manifest,
    summary: FetchSummary,
    say: _Reporter,
    p: Provider,
    pub: PublicationLink,
) -> None:
    raw_dir = Path(options.raw_dir)
    current = manifest.current(pub.url)
    if not_selected(pub, options.types, options.since):
        summary.skipped += 1
        if current is None:
            manifest.add(_entry(p, pub))  # seen, not fetched: path empty
        return
    held = current if current and current.path and (raw_dir / current.path).is_file() else None
    if held and not options.recheck:
        summary.not_rechecked += 1
        return
    url = options.site.fetch_url(pub.url)
    fd, name = tempfile.mkstemp(dir=raw_dir, prefix=PART_PREFIX, suffix=PART_SUFFIX)
    part, sink = Path(name), os.fdopen(fd, "w+b")  # the body streams to the part file
    try:
        try:
            if url is None:
                raise FetchFailed(pub.url, "off-site link, not followed")
            r = client.get(url, *((held.etag, held.last_modified) if held else ("", "")), sink=sink)
            sink.close()
            if held and (r.status == 304 or r.sha256 == held.sha256):
                held.checked_at, held.http_status, held.error = _now(), str(r.status), ""
                if r.status == 200:
                    held.etag, held.last_modified = r.etag, r.last_modified
                summary.unchanged += 1
                return
            if r.status == 304:  # a 304 to a request that was not conditional
                raise FetchFailed(url, "HTTP 304 to an unconditional request", 304)
            problem = _not_a_document(pub, part)
            if problem:
                raise FetchFailed(url, problem, r.status)
        except FetchFailed as exc:
            entry = current or manifest.add(_entry(p, pub))
            entry.checked_at, entry.http_status, entry.error = _now(), str(exc.status or ""), exc.reason
            say.error(f"{p.authority}, {pub.label}: {exc}")
            return
        except BudgetSpent as exc:  # recorded against this publication, then the fetch stops
            entry = current or manifest.add(_entry(p, pub))
            entry.checked_at, entry.http_status, entry.error = _now(), "", str(exc)
            say.error(f"{p.authority}, {pub.label}: {url}: {exc}")
            raise
        _store(raw_dir, manifest, summary, say, p, pub, current, r, part)
    finally:
        sink.close()
        part.unlink(missing_ok=True)


def _not_a_document(pub: PublicationLink, part: Path) -> str | None:
    """Why the bytes are not the publication (an HTML error page served as a PDF), or None."""
    if pub.fmt != "pdf":
        return None
    with part.open("rb") as fh:
        head = fh.read(4096)
    try:
        sniff_pdf(head)
    except UnsupportedInput as exc:
        return str(exc)
    return None


def _store(
    raw_dir: Path,
    manifest: Manifest,
    summary: FetchSummary,
    say: _Reporter,
    p: Provider,
    pub: PublicationLink,
    current: Entry | None,
    r: Response,
    part: Path,
) -> None:
    """Keep the downloaded `part` as a new file (never over an old one) and record it."""
    sha = r.sha256
    same = manifest.with_sha(sha, raw_dir)
    if same is not None:  # these bytes are held already, under another link
        name = same.path
        say.warning(f"{pub.url}: same bytes as {name} (linked elsewhere); not saved again")
    else:
        names = candidate_names(file_stem(p, pub), extension(pub), sha)
        taken = manifest.paths()
        if current is not None and current.path and current.sha256 == sha:  # a held file was deleted
            names.insert(0, current.path)
            taken.discard(current.path)
        name = link_new_file(raw_dir, names, part, sha, taken)
    if current is None or not current.path or current.path == name:
        entry = current or manifest.add(_entry(p, pub))
        if same is None:
            summary.downloaded.append(name)
            say("new", name)
    else:  # held before, different bytes now: a new version of the publication
        entry = manifest.add(_entry(p, pub))
        entry.supersedes = current.path
        summary.changed.append((name, current.path))
        say("changed", f"{name} (supersedes {current.path})")
    entry.path, entry.sha256, entry.bytes = name, sha, str(r.size)
    entry.fetched_at = entry.checked_at = _now()
    entry.http_status, entry.error = str(r.status), ""
    entry.etag, entry.last_modified = r.etag, r.last_modified
