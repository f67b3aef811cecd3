"""`serve` starts its own Prefect server, registers the schedule, and a scheduled run fires by
itself and completes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW

CLI = Path(sys.executable).with_name("ofsted-findings")


def _post(url: str, body: dict) -> list[dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_serve_registers_a_schedule_that_fires_and_completes(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(RAW, raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # a fresh server database
    proc = subprocess.Popen(
        [str(CLI), "serve", "--cron", "* * * * *", "--timezone", "UTC", "--raw", str(raw),
         "--warehouse", str(wh), "--no-fetch", "--name", "every-minute"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    api = None
    try:
        deadline = time.monotonic() + 150
        while api is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            match = re.search(r"Prefect API: (http://127\.0\.0\.1:\d+/api)", line)
            api = match.group(1) if match else None
        assert api, "serve did not report its API"
        deployments = []
        while not deployments and time.monotonic() < deadline:
            deployments = _post(f"{api}/deployments/filter", {})
            time.sleep(1)
        assert deployments and deployments[0]["name"] == "every-minute"
        schedules = deployments[0]["schedules"]
        assert schedules and schedules[0]["schedule"]["cron"] == "* * * * *"
        deadline = time.monotonic() + 200
        completed = []
        while not completed and time.monotonic() < deadline:
            runs = _post(f"{api}/flow_runs/filter", {})
            completed = [r for r in runs if r["state_type"] == "COMPLETED"]
            time.sleep(3)
        assert completed, f"no scheduled run completed: {[r['state_type'] for r in runs]}"
        assert completed[0]["deployment_id"] == deployments[0]["id"]
        run_ids = [r["run_id"] for r in pq.read_table(wh / "runs.parquet").to_pylist()]
        assert completed[0]["id"] in run_ids  # the run record carries the Prefect flow-run id
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    if api:
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{api}/health", timeout=2)  # the server stopped with serve
