"""Nothing a run starts outlives it: a run killed with `kill -9` leaves no process behind (its
temporary Prefect API, its workers), and the shared server it used is still healthy."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from ofsted_findings.flows.prefect_server import find_or_start_shared, healthy, stop_shared, wait_ready
from tests.conftest import RAW

CLI = Path(sys.executable).with_name("ofsted-findings")
MARKER = "OFSTED_FINDINGS_TEST_MARKER"
KILLS = 8


def _marked(marker: str) -> list[tuple[int, str]]:
    """Processes whose environment holds the marker: (pid, command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"{MARKER}={marker}".encode() not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue  # dead, waiting to be reaped
            found.append((int(proc.name), (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except OSError:
            continue
    return found


def _wait_none_left(marker: str, seconds: float = 10) -> list[tuple[int, str]]:
    deadline = time.monotonic() + seconds
    while (left := _marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_a_worker_dies_with_its_run_even_in_the_middle_of_a_document(tmp_path):
    # the run is killed while a worker is busy: the worker must not finish its document first
    marker = uuid.uuid4().hex
    (tmp_path / "busy.py").write_text(
        "import pathlib, time\n"
        "def work(path):\n"
        "    pathlib.Path(path).touch()\n"
        "    time.sleep(600)\n"
    )
    started = [tmp_path / "a", tmp_path / "b"]
    script = textwrap.dedent(
        f"""
        import sys
        from busy import work
        from ofsted_findings.run.pool import run_supervised
        run_supervised(work, {[str(p) for p in started]!r}, workers=2, time_limit=None,
                       on_failure=lambda i, r: r)
        """
    )
    run = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, env={**os.environ, MARKER: marker})
    deadline = time.monotonic() + 60
    while not all(p.exists() for p in started) and time.monotonic() < deadline:  # both workers busy
        time.sleep(0.1)
    assert len(_marked(marker)) == 3  # the run and its two workers
    run.send_signal(signal.SIGKILL)
    run.wait(10)
    assert _wait_none_left(marker, 5) == []


def test_die_with_parent_ends_a_child_whose_parent_was_killed():
    marker = uuid.uuid4().hex
    child = (
        "import os, time; from ofsted_findings.run.lifeline import die_with_parent; "
        "die_with_parent(int(os.environ['PARENT'])); time.sleep(600)"
    )
    parent = (
        "import os, subprocess, sys, time; "
        f"subprocess.Popen([sys.executable, '-c', {child!r}], "
        "env={**os.environ, 'PARENT': str(os.getpid())}); "
        "time.sleep(600)"
    )
    run = subprocess.Popen([sys.executable, "-c", parent], env={**os.environ, MARKER: marker})
    deadline = time.monotonic() + 30
    while len(_marked(marker)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_marked(marker)) == 2
    run.send_signal(signal.SIGKILL)
    run.wait(10)
    assert _wait_none_left(marker, 5) == []


@pytest.mark.slow
def test_random_kills_leave_no_process_and_the_shared_server_healthy(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    data = tmp_path / "data"
    monkeypatch.setenv("OFSTED_FINDINGS_DATA_DIR", str(data))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    shared = find_or_start_shared(directory=data)  # started here: not one of the runs' processes
    try:
        wait_ready(shared, directory=data)
        rng = random.Random(20261204)
        marker = uuid.uuid4().hex
        with_children = 0  # kills that hit a run with processes of its own (API, workers)
        for kill in range(KILLS):
            mode = ("ephemeral", "shared")[kill % 2]
            env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
            env.update({MARKER: marker, "OFSTED_FINDINGS_PREFECT": mode})
            run = subprocess.Popen(
                [str(CLI), "run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"), "--full"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            )
            # half the kills at any moment from the start; the other half at a random moment once
            # the run has processes of its own (API, workers), however slowly a loaded machine
            # gets it there (the ephemeral API takes ~10 s, or several times that under load)
            if kill % 4 < 2:
                time.sleep(rng.uniform(0.5, 20))
            else:
                deadline = time.monotonic() + 180
                while len(_marked(marker)) < 2 and run.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(rng.uniform(0, 0.5))  # workers live only while documents are read
            with_children += len(_marked(marker)) > 1
            run.send_signal(signal.SIGKILL)
            run.wait(10)
            left = _wait_none_left(marker)
            assert left == [], f"kill {kill + 1} ({mode}) left {left}"
        assert with_children >= KILLS // 2, with_children
        assert healthy(shared.api_url, shared.token)
    finally:
        stop_shared(directory=data)
