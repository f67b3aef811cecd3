"""The shared local Prefect server: one for concurrent starters, found again by later runs,
stale records and foreign processes ignored, another Prefect version replaced, stopped by
itself when idle (the pieces that decide it, on their own: tests/unit/flows/
test_prefect_server_state.py).

Every test uses a data folder of its own module (OFSTED_FINDINGS_DATA_DIR) and stops what it
started, so no shared server outlives the session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ofsted_findings.flows.prefect_server import (
    STATE_FILE,
    ServerState,
    _write_state,
    find_or_start_shared,
    healthy,
    installed_prefect_version,
    read_state,
    stop_shared,
    wait_ready,
)
from tests.foreign_server import foreign_server

CLI = Path(sys.executable).with_name("ofsted-findings")


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return {**env, "OFSTED_FINDINGS_DATA_DIR": str(data), **extra}


def _servers_of(data: Path) -> list[int]:
    """Pids of server processes recording themselves in this data folder."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"ofsted_findings.flows.server_process" in cmdline and str(data / STATE_FILE).encode() in cmdline:
            found.append(int(proc.name))
    return found


def _gone(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) == "Z"
    except OSError:
        return True


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("OFSTED_FINDINGS_DATA_DIR", str(folder))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    yield folder
    stop_shared(directory=folder)
    for pid in _servers_of(folder):  # a server not recorded (a failed test): never left running
        os.kill(pid, 9)


@pytest.fixture
def foreign():
    with foreign_server() as port:
        yield port


# --- with a server (each start takes ~10 s) ------------------------------------------------------


@pytest.mark.slow
def test_runs_starting_at_once_share_one_server_that_later_runs_find_then_stop(data):
    starters = [
        subprocess.Popen([str(CLI), "server", "start"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=_env(data))
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in starters]
    assert [p.returncode for p in starters] == [0, 0], outs
    urls = {out.strip() for out, _ in outs}
    assert len(urls) == 1, outs  # both use the same server...
    assert len(_servers_of(data)) == 1  # ...and only one was started
    said = "".join(err for _, err in outs)
    assert said.count("starting a local Prefect server") == 1
    state = read_state(data)
    assert state.api_url in urls and state.prefect_version == installed_prefect_version()
    assert (data / "prefect").is_dir() and state.prefect_home == str(data / "prefect")

    again = find_or_start_shared(directory=data)  # a later run finds it: no new process
    assert again == state and _servers_of(data) == [state.pid]
    status = subprocess.run([str(CLI), "server", "status"], capture_output=True, text=True, env=_env(data))
    assert status.stdout.startswith(f"running: {state.api_url}") and f"pid {state.pid}" in status.stdout

    stopped = subprocess.run([str(CLI), "server", "stop"], capture_output=True, text=True, env=_env(data))
    assert stopped.returncode == 0 and f"pid {state.pid}" in stopped.stdout
    assert _gone(state.pid) and read_state(data) is None
    status = subprocess.run([str(CLI), "server", "status"], capture_output=True, text=True, env=_env(data))
    assert status.stdout.startswith("stopped")


@pytest.mark.slow
def test_a_dead_server_with_a_foreign_process_on_its_port_is_replaced(data, foreign):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    data.mkdir()
    stale = ServerState(pid=dead.pid, port=foreign, prefect_version=installed_prefect_version(),
                        started_at="2026-01-01T00:00:00+00:00", token="old", idle_minutes=30,
                        prefect_home=str(data / "prefect"))
    _write_state(data, stale)
    state = find_or_start_shared(directory=data)
    wait_ready(state, directory=data)
    assert state.port != foreign and state.pid != dead.pid
    assert healthy(state.api_url, state.token)
    assert read_state(data) == state


@pytest.mark.slow
def test_a_server_of_another_prefect_version_is_stopped_and_replaced(data):
    said = []
    first = find_or_start_shared(directory=data)
    wait_ready(first, directory=data)
    _write_state(data, ServerState(**{**first.__dict__, "prefect_version": "3.8.8"}))
    second = find_or_start_shared(directory=data, say=said.append)
    assert any("it runs Prefect 3.8.8, this is " in line for line in said), said
    assert _gone(first.pid)
    assert second.pid != first.pid and second.prefect_version == installed_prefect_version()
    wait_ready(second, directory=data)
    assert _servers_of(data) == [second.pid]


@pytest.mark.slow
def test_the_server_stops_itself_when_nobody_uses_it(data, monkeypatch):
    monkeypatch.setenv("OFSTED_FINDINGS_SERVER_IDLE_MINUTES", "0.1")  # 6 s
    state = find_or_start_shared(directory=data)
    wait_ready(state, directory=data)
    assert json.loads((data / STATE_FILE).read_text())["idle_minutes"] == 0.1
    busy_until = time.monotonic() + 10
    while time.monotonic() < busy_until:  # a client keeps it up past its idle time
        assert healthy(state.api_url, state.token)
        time.sleep(1)
    deadline = time.monotonic() + 30
    while not _gone(state.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _gone(state.pid), "the idle server did not stop"
    assert read_state(data) is None  # it removed its own record
