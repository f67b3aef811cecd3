"""`serve` as a user sees it on a terminal: no analytics notice, its schedule registered on the
shared local server, a line when a scheduled run starts and one when it finishes with its
summary, and Ctrl-C ends it within 5 s, quietly, with exit status 0."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ofsted_findings.flows.prefect_server import healthy, read_state, stop_shared
from tests.conftest import RAW

CLI = Path(sys.executable).with_name("ofsted-findings")


def _post(url: str, body: dict) -> list[dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


class Terminal:
    """A process on a pseudo-terminal (Prefect shows its notices only there); its output lines."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        self.text = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            if not chunk:
                return
            self.text += chunk.decode(errors="replace")

    def wait_for(self, pattern: str, seconds: float) -> re.Match | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.text):
                return match
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        return re.search(pattern, self.text)


@pytest.mark.slow
def test_serve_reports_its_runs_and_stops_quietly_on_ctrl_c(tmp_path):
    raw, wh, data = tmp_path / "raw", tmp_path / "wh", tmp_path / "data"
    shutil.copytree(RAW, raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DO_NOT_TRACK"))}
    env["PREFECT_HOME"] = str(tmp_path / "client-home")  # a first Prefect start: notices would show
    env["OFSTED_FINDINGS_DATA_DIR"] = str(data)
    term = Terminal(
        [str(CLI), "serve", "--cron", "* * * * *", "--timezone", "UTC", "--raw", str(raw),
         "--warehouse", str(wh), "--no-fetch", "--name", "every-minute"],
        env,
    )
    try:
        serving = term.wait_for(r"Prefect API (http://127\.0\.0\.1:\d+/api)", 300)
        assert serving, term.text
        api = serving.group(1)
        assert api == read_state(data).api_url  # the shared server, found through its record
        deployments = _post(f"{api}/deployments/filter", {})
        assert [d["name"] for d in deployments] == ["every-minute"]
        assert deployments[0]["schedules"][0]["schedule"]["cron"] == "* * * * *"

        started = term.wait_for(r"run (\S+) started", 200)
        assert started, term.text
        # the sample: 8 files, the 2018 report's text the same publication as its PDF
        finished = term.wait_for(
            rf"run {re.escape(started.group(1))} finished: documents: ok 7, same_publication 1; "
            r"\d+ rows, 0 quarantined; [\d.]+ s",
            300,
        )
        assert finished, term.text
        runs = _post(f"{api}/flow_runs/filter", {})
        completed = [r for r in runs if r["state_type"] == "COMPLETED" and r["name"] == started.group(1)]
        assert completed and completed[0]["deployment_id"] == deployments[0]["id"]
        run_ids = [r["run_id"] for r in pq.read_table(wh / "runs.parquet").to_pylist()]
        assert completed[0]["id"] in run_ids  # the run record carries the Prefect flow-run id

        sent = time.monotonic()
        term.proc.send_signal(signal.SIGINT)
        code = term.proc.wait(30)
        took = time.monotonic() - sent
        time.sleep(0.5)  # the last output
        assert code == 0, term.text
        assert took < 5, f"serve took {took:.1f} s to stop"
        assert "Traceback" not in term.text and "Error" not in term.text, term.text
        assert "anonymous usage data" not in term.text
        assert healthy(api, read_state(data).token)  # the shared server outlives serve
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
        stop_shared(directory=data)
