"""A polite HTTP client: one request at a time, a rate limit, retries with exponential back-off on
timeouts, connection errors, 429 and 5xx, conditional GETs, and a time budget for the whole run.

Every failure is one line (`FetchFailed`); a spent budget is `BudgetSpent`. Nothing here knows
about Ofsted: `site` and `run` decide what to request.
"""

from __future__ import annotations

import email.utils
import re
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import httpx

from ofsted_findings import __version__

USER_AGENT = f"ofsted-findings/{__version__} (fetches Ofsted children's services reports; 1 request/s)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # seconds: a longer Retry-After is capped (the budget still applies)


@dataclass(frozen=True)
class Policy:
    rate: float = 1.0  # requests per second, 0 for no limit
    timeout: float = 30.0  # seconds per request (connect, and each read)
    retries: int = 3  # further attempts after a timeout, connection error, 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry; doubles on each further one
    budget: float | None = None  # seconds for the whole run; None for no limit
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Response:
    url: str
    status: int  # 200 or 304 (anything else is a FetchFailed)
    content: bytes
    headers: dict[str, str]  # lower-case names
    attempts: int

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
            follow_redirects=True,
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

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Response:
        """GET `url`; with `etag`/`last_modified`, a conditional GET that may return 304.

        Raises FetchFailed (one line) for a 4xx, or once retries are spent on timeouts,
        connection errors, 429 or 5xx; BudgetSpent when the budget runs out first.
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
                r = self._http.get(url, headers=headers, timeout=timeout)
            except httpx.TimeoutException:
                reason = f"timed out after {timeout:g} s"
                self.records.append(RequestRecord(url, conditional, None, reason))
            except httpx.TransportError as exc:
                reason = f"cannot connect: {_one_line(exc)}"
                self.records.append(RequestRecord(url, conditional, None, reason))
            else:
                self.records.append(RequestRecord(url, conditional, r.status_code))
                if r.status_code in (200, 304):
                    headers_out = {k.lower(): v for k, v in r.headers.items()}
                    return Response(str(r.url), r.status_code, r.content, headers_out, attempt)
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
