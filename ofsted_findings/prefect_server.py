"""A real Prefect server for the cases the temporary in-process API cannot serve: schedules
(which only fire from a server) and Dask workers (which would each start an API of their own).
Uses PREFECT_API_URL when configured; otherwise starts one on 127.0.0.1 and stops it on exit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ofsted_findings.errors import PipelineError

STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def prefect_server(log: Path | None = None) -> Iterator[str]:
    """Yield the API URL of a running Prefect server, starting a local one if none is configured.

    The URL is exported as PREFECT_API_URL for this process and the processes it starts.
    """
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
               "--port", str(port), "--analytics-off", "--ui", "--scheduler"]
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(api_url):
            if process.poll() is not None:
                reason = f"the local Prefect server exited (code {process.returncode})"
                raise PipelineError(reason, stage="serve")
            if time.monotonic() > deadline:
                reason = f"the local Prefect server did not start in {STARTUP_SECONDS} s"
                raise PipelineError(reason, stage="serve")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            out.close()
