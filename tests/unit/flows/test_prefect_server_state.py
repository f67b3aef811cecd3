"""The pieces that decide the shared local Prefect server, on their own and without starting one
(the server itself: tests/slow/flows/test_prefect_server.py): the mode setting, the state file,
the health token, the idle count."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest

from ofsted_findings.errors import UsageError
from ofsted_findings.flows.prefect_server import (
    STATE_FILE,
    ServerState,
    _write_state,
    healthy,
    prefect_mode,
    read_state,
    server_status,
)
from ofsted_findings.flows.server_process import Activity
from tests.foreign_server import foreign_server


@pytest.fixture
def foreign():
    with foreign_server() as port:
        yield port


def test_the_mode_setting_is_checked(monkeypatch):
    monkeypatch.setenv("OFSTED_FINDINGS_PREFECT", "Ephemeral ")
    assert prefect_mode() == "ephemeral"
    monkeypatch.delenv("OFSTED_FINDINGS_PREFECT")
    assert prefect_mode() == "shared"
    monkeypatch.setenv("OFSTED_FINDINGS_PREFECT", "temporary")
    with pytest.raises(UsageError, match="OFSTED_FINDINGS_PREFECT='temporary'"):
        prefect_mode()


def test_a_stale_or_unreadable_state_file_means_no_server(tmp_path):
    assert read_state(tmp_path) is None
    (tmp_path / STATE_FILE).write_text("{not json")
    assert read_state(tmp_path) is None
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    state = ServerState(pid=dead.pid, port=1, prefect_version="3.9.1", started_at="2026-01-01T00:00:00+00:00",
                        token="0123abcd", idle_minutes=30, prefect_home=str(tmp_path))
    _write_state(tmp_path, state)
    assert read_state(tmp_path) == state
    assert server_status(tmp_path) == (state, "stopped")
    # a live process that is not the recorded server (a reused pid) is not the server either
    _write_state(tmp_path, ServerState(**{**state.__dict__, "pid": os.getpid()}))
    assert server_status(tmp_path)[1] == "stopped"


def test_the_health_check_knows_a_foreign_server_from_ours(foreign):
    url = f"http://127.0.0.1:{foreign}/api"
    assert healthy(url)  # it answers like a Prefect server...
    assert not healthy(url, "our-token")  # ...but not with the token of ours


def test_activity_counts_open_connections_and_stamps_the_token():
    sent = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await asyncio.sleep(0.2)

    activity = Activity(app, "tok")

    async def send(message):
        sent.append(message)

    async def main():
        request = asyncio.ensure_future(activity({"type": "http"}, None, send))
        await asyncio.sleep(0.1)
        assert activity.open == 1 and activity.idle_seconds() == 0.0  # a client is connected
        await request

    asyncio.run(main())
    assert activity.open == 0
    time.sleep(0.05)
    assert activity.idle_seconds() >= 0.05
    assert (b"x-ofsted-findings-server", b"tok") in sent[0]["headers"]
