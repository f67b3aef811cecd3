"""The polite client, against an in-memory transport and a fake clock (no sockets, no waiting)."""

import httpx
import pytest

from ofsted_findings.fetch.http import BudgetSpent, Client, FetchFailed, Policy

URL = "https://files.ofsted.gov.uk/v1/file/1"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def client(answers, policy: Policy, time: FakeTime, seen: list | None = None) -> Client:
    """A client whose transport gives `answers` in turn (a status, (status, headers) or an exception)."""
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return httpx.Response(status, headers=headers, content=b"%PDF-1.7 body" if status == 200 else b"")

    return Client(policy, transport=httpx.MockTransport(handler), clock=time.clock, sleep=time.sleep)


def test_5xx_is_retried_with_exponential_back_off():
    t = FakeTime()
    r = client([503, 500, 200], Policy(rate=0, backoff=1), t).get(URL)
    assert (r.status, r.content, r.attempts) == (200, b"%PDF-1.7 body", 3)
    assert t.sleeps == [1, 2]


def test_gives_up_after_the_retries_with_one_line():
    t = FakeTime()
    with pytest.raises(FetchFailed) as caught:
        client([500], Policy(rate=0, backoff=1, retries=3), t).get(URL)
    assert str(caught.value) == f"{URL}: HTTP 500 Internal Server Error (4 attempts)"
    assert caught.value.status == 500
    assert t.sleeps == [1, 2, 4]


def test_a_404_is_not_retried():
    t = FakeTime()
    c = client([404], Policy(rate=0), t)
    with pytest.raises(FetchFailed, match="HTTP 404 Not Found$"):
        c.get(URL)
    assert len(c.records) == 1 and t.sleeps == []


def test_timeouts_and_connection_errors_are_retried():
    t = FakeTime()
    with pytest.raises(FetchFailed, match=r"timed out after 30 s \(2 attempts\)$"):
        client([httpx.ReadTimeout("slow")], Policy(rate=0, retries=1), t).get(URL)
    r = client([httpx.ConnectError("refused"), 200], Policy(rate=0, retries=1), t).get(URL)
    assert r.status == 200
    with pytest.raises(FetchFailed, match="cannot connect: refused$"):
        client([httpx.ConnectError("refused")], Policy(rate=0, retries=0), t).get(URL)


def test_retry_after_is_honoured():
    t = FakeTime()
    r = client([(429, {"Retry-After": "7"}), 200], Policy(rate=0, backoff=1), t).get(URL)
    assert r.status == 200 and t.sleeps == [7]


def test_rate_limit_spaces_requests():
    t = FakeTime()
    c = client([200], Policy(rate=2), t)
    for _ in range(3):
        c.get(URL)
    assert t.sleeps == [0.5, 0.5]


def test_time_budget_stops_before_running_over():
    t = FakeTime()
    c = client([500], Policy(rate=0, backoff=1, retries=5, budget=2.5), t)
    with pytest.raises(BudgetSpent, match="time budget of 2.5 s spent"):
        c.get(URL)
    assert t.sleeps == [1]  # the next wait (2 s) would pass the budget
    assert c.remaining() == pytest.approx(1.5)


def test_conditional_get_sends_validators_and_accepts_304():
    t, seen = FakeTime(), []
    c = client([(304, {"ETag": '"abc"'})], Policy(rate=0), t, seen)
    r = c.get(URL, etag='"abc"', last_modified="Mon, 10 Dec 2018 09:00:00 GMT")
    assert r.status == 304 and r.etag == '"abc"'
    assert seen[0].headers["If-None-Match"] == '"abc"'
    assert seen[0].headers["If-Modified-Since"] == "Mon, 10 Dec 2018 09:00:00 GMT"
    assert seen[0].headers["User-Agent"].startswith("ofsted-findings/")
    assert c.records[0].conditional
