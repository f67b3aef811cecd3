"""Thresholds and limits, in one place."""

# Seconds one document may take before its worker is killed (a PDF that hangs the extractor).
DOCUMENT_TIME_LIMIT = 120.0

# --- Prefect's API (ofsted_findings/prefect_server.py) ---------------------------------------
# With no PREFECT_API_URL, which API a run uses: "shared" (a local server that runs reuse and
# that stops itself when idle) or "ephemeral" (a temporary API started for the run and dying
# with it: CI-like use, nothing left behind).
PREFECT_MODE_ENV = "OFSTED_FINDINGS_PREFECT"
PREFECT_MODES = ("shared", "ephemeral")
# Where the shared server keeps its Prefect home, state file, lock and log [default:
# $XDG_DATA_HOME/ofsted-findings, else ~/.local/share/ofsted-findings].
DATA_DIR_ENV = "OFSTED_FINDINGS_DATA_DIR"
# Minutes without a client (no request, no open connection: no flow run, no `serve`, no UI)
# after which the shared server stops itself; 0 never.
SERVER_IDLE_ENV = "OFSTED_FINDINGS_SERVER_IDLE_MINUTES"
SERVER_IDLE_MINUTES = 30.0
# Seconds a server may take to answer its health check after starting (a first start creates
# its database; a loaded machine is slow).
SERVER_STARTUP_SECONDS = 180.0
# Seconds a server gets to stop after SIGTERM before it is killed.
SERVER_STOP_SECONDS = 10.0
# Seconds the server itself waits for open connections when it stops.
SERVER_GRACEFUL_SECONDS = 3
# Seconds one health check may take.
SERVER_HEALTH_TIMEOUT_SECONDS = 2.0
# Seconds to wait for another process that holds the server lock (it is starting a server).
SERVER_LOCK_SECONDS = 60.0
# How often a server's watchdog looks at its idle time and its parent (seconds).
WATCHDOG_POLL_SECONDS = 1.0

# --- serve -----------------------------------------------------------------------------------
# How often `serve` looks for its scheduled runs' state changes (seconds).
SERVE_POLL_SECONDS = 2.0
# Seconds `serve` takes at most to stop after Ctrl-C (pausing its schedule), then exits anyway.
SERVE_STOP_SECONDS = 4.0
