"""`serve` as a user sees it: one line when it starts serving, one per scheduled run (started,
finished with its summary, failed with its reason), and Ctrl-C stops it within a few seconds,
quietly, with exit status 0.

Prefect's `flow.serve()` leaves Ctrl-C to a KeyboardInterrupt raised wherever the event loop is
(tracebacks from every task it cancels) and prints nothing about runs. Here the runner is driven
directly: Ctrl-C or SIGTERM asks it to stop (its schedule is paused on the way out), and a
timer ends the process if that takes longer than SERVE_STOP_SECONDS. The run lines come from
the API: a thread polls the deployment's flow runs and prints each change of state.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import signal
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

from ofsted_findings.run.lifeline import PARENT_ENV
from ofsted_findings.settings import SERVE_POLL_SECONDS, SERVE_STOP_SECONDS

Echo = Callable[[str], None]
_TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
_REPORTED = ["PENDING", "RUNNING", "CANCELLING", *sorted(_TERMINAL)]


def one_line(text: str | None) -> str:
    return " ".join((text or "").split()) or "no reason given"


def run_line(run: dict[str, Any], seen: str | None) -> list[str]:
    """The lines to print for a flow run whose state is now `run['state']` and was `seen`."""
    state = run.get("state") or {}
    kind, message, name = state.get("type"), state.get("message"), run.get("name", "?")
    if kind == seen or kind not in ({"RUNNING"} | _TERMINAL):
        return []
    lines = [] if seen in ("RUNNING", *_TERMINAL) else [f"run {name} started"]
    if kind == "COMPLETED":
        lines.append(f"run {name} finished: {one_line(message)}")
    elif kind in ("FAILED", "CRASHED"):
        lines.append(f"run {name} failed: {one_line(message)}")
    elif kind == "CANCELLED":
        lines.append(f"run {name} cancelled: {one_line(message)}")
    return lines


def _flow_runs(api_url: str, deployment_id: str) -> list[dict[str, Any]]:
    # runs past SCHEDULED only: Prefect schedules up to a hundred runs ahead
    body = {
        "flow_runs": {"deployment_id": {"any_": [deployment_id]}, "state": {"type": {"any_": _REPORTED}}},
        "sort": "EXPECTED_START_TIME_DESC",
        "limit": 20,
    }
    request = urllib.request.Request(f"{api_url}/flow_runs/filter", data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def watch_runs(api_url: str, deployment_id: str, echo: Echo, stop: threading.Event) -> None:
    """Print a line for each state change of the deployment's runs until `stop` is set."""
    seen: dict[str, str | None] | None = None
    while not stop.wait(0 if seen is None else SERVE_POLL_SECONDS):
        try:
            runs = _flow_runs(api_url, deployment_id)
        except (OSError, ValueError):
            continue  # the server is busy or restarting: try again
        if seen is None:  # runs from before this serve started are not reported
            seen = {r["id"]: (r.get("state") or {}).get("type") for r in runs}
            continue
        for run in reversed(runs):
            for line in run_line(run, seen.get(run["id"])):
                echo(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {line}")
            seen[run["id"]] = (run.get("state") or {}).get("type")


def serve_flow(
    *, flow: Any, name: str, cron: str, timezone: str, parameters: dict[str, Any], api_url: str, echo: Echo
) -> None:
    """Serve `flow` on the cron schedule until Ctrl-C or SIGTERM."""
    from prefect.runner import Runner
    from prefect.schedules import Cron

    # the flow runs the runner starts die with serve (flows/__init__.py reads this)
    os.environ[PARENT_ENV] = str(os.getpid())
    runner = Runner(name=name, pause_on_shutdown=True)
    deployment_id = str(
        runner.add_flow(flow, name=name, schedule=Cron(cron, timezone=timezone), parameters=parameters)
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        if stop.is_set():
            return
        stop.set()
        logging.disable(logging.CRITICAL)  # the runner's cancellations are not the user's news
        timer = threading.Timer(SERVE_STOP_SECONDS, lambda: (echo("serve stopped"), os._exit(0)))
        timer.daemon = True
        timer.start()
        if runner.started and runner._loop is not None:
            runner.stopping = True
            runner.execute_in_background(runner.astop)
        else:  # not serving yet: nothing to pause
            echo("serve stopped")
            os._exit(0)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    ui = api_url.removesuffix("/api")
    echo(f"serving {flow.name}/{name} on {cron!r} ({timezone}); Prefect API {api_url} (UI: {ui}); "
         "Ctrl-C stops")
    threading.Thread(target=watch_runs, args=(api_url, deployment_id, echo, stop), daemon=True).start()
    with contextlib.suppress(asyncio.CancelledError, KeyboardInterrupt):
        asyncio.run(runner.start())
    if not stop.is_set():
        stop.set()
    echo("serve stopped")
