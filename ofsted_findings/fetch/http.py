"""A polite HTTP client: one request at a time, a rate limit, retries with exponential back-off on
timeouts, connection errors, 429 and 5xx, conditional GETs, and a time budget for the whole run.

Hostile servers are bounded: bodies are streamed (to a file when asked) with a size cap, a
deadline per response and the budget checked as bytes arrive, the length checked against
Content-Length, and redirects followed here, to the same host only and a few at most.

Every failure is one line (`FetchFailed`); a spent budget is `BudgetSpent`. Nothing here knows
about Ofsted: `site` and `run` decide what to request.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import BinaryIO

import httpx

from ofsted_findings import __version__
from ofsted_findings.settings import (
    FETCH_MAX_BYTES,
    FETCH_MAX_REDIRECTS,
    FETCH_REQUEST_DEADLINE,
    MAX_RETRY_AFTER,
)

USER_AGENT = f"ofsted-findings/{__version__} (fetches Ofsted children's services reports; 1 request/s)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Policy:
    rate: float = 1.0  # requests per second, 0 for no limit
    timeout: float = 30.0  # seconds per request (connect, and each read)
    retries: int = 3  # further attempts after a timeout, connection error, 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry; doubles on each further one
    budget: float | None = None  # seconds for the whole run; None for no limit
    user_agent: str = USER_AGENT
    max_bytes: int = FETCH_MAX_BYTES  # largest body kept
    deadline: float = FETCH_REQUEST_DEADLINE  # seconds for one response, body included
    max_redirects: int = FETCH_MAX_REDIRECTS  # same-host redirects followed per request


@dataclass(frozen=True)
class Response:
    url: str
    status: int  # 200 or 304 (anything else is a FetchFailed)
    content: bytes  # empty when the body went to a file (`get(..., sink=)`)
    headers: dict[str, str]  # lower-case names
    attempts: int
    sha256: str = ""  # of the body
    size: int = 0  # bytes of the body

    @property
    def text(self) -> str:
        """The body decoded with the charset the server names (UTF-8 if none); bad bytes replaced."""
        m = re.search(r"charset=[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        try:
            return self.content.decode(m.group(1) if m else "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


@dataclass(frozen=True)
class RequestRecord:
    """One attempt, for the summary and for tests: what was asked and what came back."""

    url: str
    conditional: bool
    status: int | None  # None when no response (timeout, connection error)
    error: str = ""


class FetchFailed(Exception):
    """A URL that could not be fetched; `str()` is one line naming the URL and the reason."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


class BudgetSpent(Exception):
    """The run's time budget is used up; no further requests are made."""


class _Refused(Exception):
    """A response not to keep and not to ask for again in this run (too large, off-host)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class _Incomplete(Exception):
    """A body cut short or too slow: worth another attempt, like a timeout."""


@dataclass
class Client:
    """GETs with the policy applied. `clock` and `sleep` are injectable for tests."""

    policy: Policy = field(default_factory=Policy)
    transport: httpx.BaseTransport | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    records: list[RequestRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._started = self.clock()
        self._last_request: float | None = None
        self._http = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            follow_redirects=False,  # followed in `_exchange`: same host only
            timeout=self.policy.timeout,
            transport=self.transport,
            verify=_ssl_context(),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- time ------------------------------------------------------------------------------

    def remaining(self) -> float | None:
        if self.policy.budget is None:
            return None
        return self.policy.budget - (self.clock() - self._started)

    def _wait(self, seconds: float) -> None:
        """Sleep `seconds`, or raise BudgetSpent if that would run past the budget."""
        remaining = self.remaining()
        if remaining is not None and seconds >= remaining:
            raise BudgetSpent(f"time budget of {self.policy.budget:g} s spent")
        if seconds > 0:
            self.sleep(seconds)

    def _wait_turn(self, extra: float = 0.0) -> None:
        gap = 0.0
        if self.policy.rate > 0 and self._last_request is not None:
            gap = self._last_request + 1.0 / self.policy.rate - self.clock()
        self._wait(max(gap, extra, 0.0))
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            raise BudgetSpent(f"time budget of {self.policy.budget:g} s spent")

    # -- requests --------------------------------------------------------------------------

    def get(
        self, url: str, etag: str = "", last_modified: str = "", sink: BinaryIO | None = None
    ) -> Response:
        """GET `url`; with `etag`/`last_modified`, a conditional GET that may return 304. With
        `sink`, the body is written there (emptied before each attempt), not kept in memory.

        Raises FetchFailed (one line) for a 4xx, a body over `max_bytes`, a redirect to another
        host or too many redirects, or once retries are spent on timeouts, connection errors,
        bodies cut short, 429 or 5xx; BudgetSpent when the budget runs out first, also while a
        body is arriving.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        conditional = bool(headers)
        attempts = self.policy.retries + 1
        delay = 0.0
        reason = ""
        for attempt in range(1, attempts + 1):
            self._wait_turn(delay)
            self._last_request = self.clock()
            timeout = self.policy.timeout
            remaining = self.remaining()
            if remaining is not None:
                timeout = max(0.001, min(timeout, remaining))
            try:
                r, body = self._exchange(url, headers, timeout, sink)
            except httpx.TimeoutException:
                reason = f"timed out after {timeout:g} s"
                self.records.append(RequestRecord(url, conditional, None, reason))
            except _Incomplete as exc:
                reason = str(exc)
                self.records.append(RequestRecord(url, conditional, None, reason))
            except _Refused as exc:
                self.records.append(RequestRecord(url, conditional, exc.status, str(exc)))
                raise FetchFailed(url, str(exc), exc.status) from None
            except httpx.TransportError as exc:
                reason = f"cannot connect: {_one_line(exc)}"
                self.records.append(RequestRecord(url, conditional, None, reason))
            except httpx.HTTPError as exc:  # an unusable URL or response: one line, not retried
                reason = _one_line(exc)
                self.records.append(RequestRecord(url, conditional, None, reason))
                raise FetchFailed(url, reason) from None
            else:
                self.records.append(RequestRecord(url, conditional, r.status_code))
                if r.status_code in (200, 304):
                    headers_out = {k.lower(): v for k, v in r.headers.items()}
                    content, digest, size = body
                    return Response(str(r.url), r.status_code, content, headers_out, attempt, digest, size)
                reason = f"HTTP {r.status_code} {r.reason_phrase}".strip()
                if r.status_code not in RETRY_STATUSES:
                    raise FetchFailed(url, reason, r.status_code)
                if attempt == attempts:
                    raise FetchFailed(url, _after(reason, attempts), r.status_code)
                retry_after = _retry_after(r.headers.get("retry-after")) or 0.0
                delay = max(retry_after, self.policy.backoff * 2 ** (attempt - 1))
                continue
            if attempt == attempts:
                raise FetchFailed(url, _after(reason, attempts))
            delay = self.policy.backoff * 2 ** (attempt - 1)
        raise AssertionError("unreachable")  # pragma: no cover


    def _exchange(
        self, url: str, headers: dict[str, str], timeout: float, sink: BinaryIO | None
    ) -> tuple[httpx.Response, tuple[bytes, str, int]]:
        """One request, its same-host redirects followed; the body of a 200 read (see `_body`)."""
        started = self.clock()
        deadline = started + self.policy.deadline
        remaining = self.remaining()
        budget_end = None if remaining is None else started + remaining
        origin = _origin(httpx.URL(url))
        current = httpx.URL(url)
        for hop in range(self.policy.max_redirects + 1):
            if hop:
                self._wait_turn()
                self._last_request = self.clock()
            with self._http.stream("GET", current, headers=headers, timeout=timeout) as r:
                if r.status_code in REDIRECT_STATUSES:
                    location = r.headers.get("location", "")
                    if not location:
                        raise _Refused(f"HTTP {r.status_code} redirect without a Location", r.status_code)
                    target = current.join(location)
                    if _origin(target) != origin:
                        raise _Refused(f"redirected to another host ({target}), not followed", r.status_code)
                    current = target
                    continue
                if r.status_code != 200:
                    return r, (b"", "", 0)
                return r, self._body(r, deadline, budget_end, sink)
        raise _Refused(f"too many redirects (more than {self.policy.max_redirects})")

    def _body(
        self, r: httpx.Response, deadline: float, budget_end: float | None, sink: BinaryIO | None
    ) -> tuple[bytes, str, int]:
        """(content, sha256, size) of a body read as it arrives: at most `max_bytes`, before
        the response's deadline and the budget, and as long as its Content-Length says."""
        limit = self.policy.max_bytes
        declared = r.headers.get("content-length", "")
        length = int(declared) if declared.isdigit() else None
        if length is not None and length > limit:
            raise _Refused(f"too large: {length:,} bytes (limit {limit:,})", r.status_code)
        if sink is not None:
            sink.seek(0)
            sink.truncate()
        digest, size, chunks = hashlib.sha256(), 0, []
        try:
            for chunk in r.iter_bytes():
                now = self.clock()
                if budget_end is not None and now >= budget_end:
                    spent = f"time budget of {self.policy.budget:g} s spent"
                    raise BudgetSpent(f"{spent} while receiving {r.url}")
                if now >= deadline:
                    took = f"body not received in {self.policy.deadline:g} s"
                    raise _Incomplete(f"{took} ({size:,} bytes by then)")
                size += len(chunk)
                if size > limit:
                    raise _Refused(f"too large: over {limit:,} bytes", r.status_code)
                digest.update(chunk)
                if sink is None:
                    chunks.append(chunk)
                else:
                    sink.write(chunk)
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            if length is not None and _received(r, size) < length:
                raise _Incomplete(_truncated(_received(r, size), length)) from None
            raise _Incomplete(f"body cut short: {_one_line(exc)}") from None
        if length is not None and _received(r, size) != length:
            raise _Incomplete(_truncated(_received(r, size), length))
        if sink is not None:
            sink.flush()
        return b"".join(chunks), digest.hexdigest(), size


def _received(r: httpx.Response, size: int) -> int:
    """Bytes of the body as sent, which Content-Length counts: `size` unless it was encoded."""
    if r.headers.get("content-encoding", "identity").lower() in ("", "identity"):
        return size
    return r.num_bytes_downloaded


def _truncated(received: int, length: int) -> str:
    return f"truncated: {received:,} of {length:,} bytes received"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


@cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default verification, built once (loading the CA bundle takes ~0.1 s)."""
    return httpx.create_ssl_context()


def _after(reason: str, attempts: int) -> str:
    return reason if attempts == 1 else f"{reason} ({attempts} attempts)"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), capped; None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))
