"""The Prefect server process this project starts: Prefect's API app under uvicorn, plus a
watchdog thread that stops it when nobody has used it for a while (the shared server) or kills
it with its parent (a server started for one run).

Started by flows/prefect_server.py as
`python -m ofsted_findings.flows.server_process --fd N --token T ...`; the launcher binds the listening
socket and passes it in, so the port is known (and exported to the run) before the server is up.
Every response carries the token in a header: a health check then knows it reached this server
and not another process that took the port.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from ofsted_findings.settings import SERVER_GRACEFUL_SECONDS, WATCHDOG_POLL_SECONDS

TOKEN_HEADER = "x-ofsted-findings-server"


class Activity:
    """ASGI middleware: stamps every response with the token and keeps the time of the last
    request and the number of open requests and websockets (a flow run keeps its events
    websocket open while it runs)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token.encode()
        self.open = 0
        self.last = time.monotonic()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return

        async def stamped(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (TOKEN_HEADER.encode(), self.token)]
                message = {**message, "headers": headers}
            await send(message)

        self.open += 1
        self.last = time.monotonic()
        try:
            await self.app(scope, receive, stamped)
        finally:
            self.open -= 1
            self.last = time.monotonic()

    def idle_seconds(self) -> float:
        return 0.0 if self.open else time.monotonic() - self.last


def _remove_state(state: Path | None) -> None:
    """Remove the state file if it still names this process (a newer server may have replaced it)."""
    if state is None:
        return
    try:
        if json.loads(state.read_text(encoding="utf-8")).get("pid") == os.getpid():
            state.unlink()
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="ofsted_findings.flows.server_process")
    parser.add_argument("--fd", type=int, required=True, help="the bound listening socket")
    parser.add_argument("--token", required=True)
    parser.add_argument("--idle-seconds", type=float, default=0.0, help="stop when idle this long; 0 never")
    parser.add_argument("--parent-pid", type=int, default=0, help="die with this parent (one run's)")
    parser.add_argument("--ephemeral", action="store_true", help="Prefect's API only: no services, no UI")
    parser.add_argument("--state", type=Path, default=None, help="the state file to remove on exit")
    args = parser.parse_args(argv)
    if args.parent_pid:
        from ofsted_findings.run.lifeline import die_with_parent

        die_with_parent(args.parent_pid)
    from ofsted_findings.flows.prefect_settings import configure_server

    configure_server(ephemeral=args.ephemeral)

    import uvicorn
    from prefect.server.api.server import create_app

    app = Activity(create_app(final=True, ephemeral=args.ephemeral), args.token)
    config = uvicorn.Config(
        app, log_level="error", lifespan="on", timeout_graceful_shutdown=SERVER_GRACEFUL_SECONDS
    )
    server = uvicorn.Server(config)

    def watch() -> None:
        while not server.started:  # idle time counts once the server answers (starting is not idle)
            time.sleep(WATCHDOG_POLL_SECONDS / 10)
        app.last = time.monotonic()
        while not server.should_exit:
            time.sleep(WATCHDOG_POLL_SECONDS)
            if args.idle_seconds and app.idle_seconds() > args.idle_seconds:
                _remove_state(args.state)  # no new client is sent here while it stops
                server.should_exit = True

    threading.Thread(target=watch, name="idle-watchdog", daemon=True).start()
    try:
        server.run(sockets=[socket.socket(fileno=args.fd)])
    finally:
        _remove_state(args.state)


if __name__ == "__main__":
    main()
