"""Run Prefect locally and offline unless the user configured otherwise.

Set before Prefect is imported, on every path that imports it (run, serve, the server process,
the flows package): analytics and telemetry stay off. With no PREFECT_API_URL the command line
points Prefect at a local server first (flows/prefect_server.py); Prefect's own
temporary API stays allowed, with time to start on a slow machine, for code that calls the flows
directly.
"""

from __future__ import annotations

import os

OFFLINE_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "true",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def configure_offline() -> None:
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)


def configure_server(*, ephemeral: bool) -> None:
    """Settings of a Prefect server this project starts (flows/server_process.py):
    analytics off whatever the environment says; the UI only on the shared server."""
    configure_offline()
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ["PREFECT_UI_ENABLED"] = "false" if ephemeral else "true"
    os.environ.pop("PREFECT_API_URL", None)
    if ephemeral:
        os.environ["PREFECT__SERVER_EPHEMERAL"] = "1"
