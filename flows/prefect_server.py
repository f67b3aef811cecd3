"""Which Prefect API a command uses, and the local servers this project starts for it.

- PREFECT_API_URL set: that server, nothing started.
- Otherwise, by default (`OFSTED_FINDINGS_PREFECT=shared`), one local server that runs reuse:
  the first run starts it in the background on 127.0.0.1 with its own Prefect home under the
  data folder, records it (port, pid, Prefect version, start time, token) in `server.json`, and
  later runs, `serve` and Dask runs find it, check its health and use it. It stops itself after
  an idle time (flows/server_process.py). A lock file makes two runs that start at the
  same moment start one server.
- `OFSTED_FINDINGS_PREFECT=ephemeral`: a temporary API for each run (as Prefect's own temporary
  server, but started here so that it dies with the run, even a run killed with `kill -9`).

Nothing here imports Prefect: the URL is known (and exported) before Prefect reads its settings,
and a server starts while the run imports Prefect.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ofsted_findings.errors import PipelineError, UsageError
from ofsted_findings.flows.prefect_settings import configure_offline
from ofsted_findings.settings import (
    DATA_DIR_ENV,
    PREFECT_MODE_ENV,
    PREFECT_MODES,
    SERVER_HEALTH_TIMEOUT_SECONDS,
    SERVER_IDLE_ENV,
    SERVER_IDLE_MINUTES,
    SERVER_LOCK_SECONDS,
    SERVER_STARTUP_SECONDS,
    SERVER_STOP_SECONDS,
    user_folder,
)

STATE_FILE = "server.json"
LOCK_FILE = "server.lock"
LOG_FILE = "server.log"
TOKEN_HEADER = "x-ofsted-findings-server"  # as server_process.TOKEN_HEADER (not imported: cheap)
_POLL = 0.2

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


# --- where things are -------------------------------------------------------------------------


def data_dir() -> Path:
    """The folder of the shared server: OFSTED_FINDINGS_DATA_DIR, else $XDG_DATA_HOME/ofsted-findings,
    else ~/.local/share/ofsted-findings."""
    return user_folder(override=DATA_DIR_ENV, xdg="XDG_DATA_HOME", fallback=".local/share")


def prefect_mode() -> str:
    mode = os.environ.get(PREFECT_MODE_ENV, "").strip().lower() or PREFECT_MODES[0]
    if mode not in PREFECT_MODES:
        raise UsageError(f"{PREFECT_MODE_ENV}={mode!r}: expected one of {', '.join(PREFECT_MODES)}")
    return mode


def idle_minutes() -> float:
    value = os.environ.get(SERVER_IDLE_ENV, "")
    try:
        minutes = float(value) if value.strip() else SERVER_IDLE_MINUTES
    except ValueError:
        raise UsageError(f"{SERVER_IDLE_ENV}={value!r}: expected a number of minutes") from None
    if minutes < 0:
        raise UsageError(f"{SERVER_IDLE_ENV}={value!r}: expected 0 (never) or more minutes")
    return minutes


def installed_prefect_version() -> str:
    from importlib.metadata import version

    return version("prefect")


# --- the state file ---------------------------------------------------------------------------


@dataclass
class ServerState:
    pid: int
    port: int
    prefect_version: str
    started_at: str  # ISO 8601, UTC
    token: str
    idle_minutes: float
    prefect_home: str

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


def read_state(directory: Path) -> ServerState | None:
    try:
        raw = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
        return ServerState(**{k: raw[k] for k in ServerState.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no state, or a file this code did not write: treated as no server


def _write_state(directory: Path, state: ServerState) -> None:
    tmp = directory / f".{STATE_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, directory / STATE_FILE)


def _remove_state(directory: Path, state: ServerState) -> None:
    current = read_state(directory)
    if current is not None and current.token == state.token:
        with contextlib.suppress(FileNotFoundError):
            (directory / STATE_FILE).unlink()


@contextlib.contextmanager
def _locked(directory: Path, say: Say) -> Iterator[None]:
    """Hold the server lock: one process at a time looks for, starts or stops the server."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "a+b") as fh:
        deadline = time.monotonic() + SERVER_LOCK_SECONDS
        said = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not said:
                    say("waiting for another process that is starting the local Prefect server")
                    said = True
                if time.monotonic() > deadline:
                    raise PipelineError(
                        f"{directory / LOCK_FILE}: held by another process for {SERVER_LOCK_SECONDS:g} s",
                        stage="prefect",
                    ) from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --- processes and health ---------------------------------------------------------------------


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child that has exited: reaped now
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is dead
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


SERVER_MODULE = "ofsted_findings.flows.server_process"
SERVER_MODULES = {SERVER_MODULE.encode(), b"ofsted_findings.server_process"}


def _is_ours(state: ServerState) -> bool:
    """The recorded pid is still the server we started (not a reused pid)."""
    if not _alive(state.pid):
        return False
    try:
        args = Path(f"/proc/{state.pid}/cmdline").read_bytes().split(b"\0")
        # the module's name before it moved into flows/ too: a server started by an earlier install
        return bool(SERVER_MODULES & set(args)) and state.token.encode() in args
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # no /proc here: trust the pid and the health token
    except OSError:
        return False


def healthy(api_url: str, token: str | None = None) -> bool:
    """The server answers /api/health (and, given a token, it is the server that holds it)."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=SERVER_HEALTH_TIMEOUT_SECONDS) as response:
            ok = response.status == 200
            return ok and (token is None or response.headers.get(TOKEN_HEADER) == token)
    except (OSError, ValueError):
        return False


def _stop_pid(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + SERVER_STOP_SECONDS
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(_POLL)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(_POLL)


def _launch(
    *, token: str, env: dict[str, str], idle_seconds: float, parent_pid: int, ephemeral: bool,
    state_path: Path | None, log: Path | None,
) -> tuple[subprocess.Popen, int]:
    """Bind a free port on 127.0.0.1 and start the server process on it; returns it and the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        port = sock.getsockname()[1]
        command = [sys.executable, "-m", SERVER_MODULE, "--fd", str(sock.fileno()),
                   "--token", token, "--idle-seconds", str(idle_seconds)]
        if parent_pid:
            command += ["--parent-pid", str(parent_pid)]
        if ephemeral:
            command.append("--ephemeral")
        if state_path:
            command += ["--state", str(state_path)]
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
        try:
            process = subprocess.Popen(
                command, pass_fds=(sock.fileno(),), env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=out if log else None,
                # the shared server outlives the run (and Ctrl-C in the run's terminal)
                start_new_session=not parent_pid,
            )
        finally:
            if log:
                out.close()
    finally:
        sock.close()
    return process, port


def _server_env(home: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    return env


def wait_healthy(
    api_url: str, token: str, *, alive: Callable[[], bool], deadline: float, what: str,
    log: Path | None = None,
) -> None:
    while not healthy(api_url, token):
        if not alive():
            where = f"; its log: {log}" if log else ""
            raise PipelineError(f"{what} exited while starting{where}", stage="prefect")
        if time.monotonic() > deadline:
            raise PipelineError(f"{what} did not answer in {SERVER_STARTUP_SECONDS:g} s", stage="prefect")
        time.sleep(_POLL)


# --- the shared server ------------------------------------------------------------------------


def server_status(directory: Path | None = None) -> tuple[ServerState | None, str]:
    """The recorded server and what it is: 'running', 'starting', 'unresponsive' or 'stopped'
    (no state file, or a stale one: its process is gone or is not the server recorded)."""
    directory = directory or data_dir()
    state = read_state(directory)
    if state is None or not _is_ours(state):
        return state, "stopped"
    if healthy(state.api_url, state.token):
        return state, "running"
    started = dt.datetime.fromisoformat(state.started_at)
    young = (dt.datetime.now(dt.UTC) - started).total_seconds() < SERVER_STARTUP_SECONDS
    return state, "starting" if young else "unresponsive"


def find_or_start_shared(*, say: Say = _quiet, directory: Path | None = None) -> ServerState:
    """The shared server's state, starting the server if none runs. Returns at once when the
    server is starting (wait_ready() waits for it): the caller can import Prefect meanwhile."""
    directory = directory or data_dir()
    installed = installed_prefect_version()
    with _locked(directory, say):
        state, status = server_status(directory)
        if status in ("running", "starting") and state.prefect_version == installed:
            return state
        if status != "stopped":
            why = (f"it runs Prefect {state.prefect_version}, this is {installed}"
                   if state.prefect_version != installed else "it does not answer")
            say(f"stopping the local Prefect server (pid {state.pid}): {why}")
            _stop_pid(state.pid)
        if state is not None:
            _remove_state(directory, state)  # stale: its process is gone or replaced
        home = directory / "prefect"
        home.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        minutes = idle_minutes()
        process, port = _launch(
            token=token, env=_server_env(home), idle_seconds=minutes * 60, parent_pid=0, ephemeral=False,
            state_path=directory / STATE_FILE, log=directory / LOG_FILE,
        )
        state = ServerState(
            pid=process.pid, port=port, prefect_version=installed,
            started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), token=token,
            idle_minutes=minutes, prefect_home=str(home),
        )
        _write_state(directory, state)
        say(f"starting a local Prefect server at {state.api_url} (stops after {minutes:g} idle minutes)")
        return state


def wait_ready(state: ServerState, *, directory: Path | None = None) -> None:
    started = dt.datetime.fromisoformat(state.started_at)
    deadline = time.monotonic() + SERVER_STARTUP_SECONDS - (dt.datetime.now(dt.UTC) - started).total_seconds()
    log = (directory or data_dir()) / LOG_FILE
    wait_healthy(state.api_url, state.token, alive=lambda: _is_ours(state), deadline=deadline,
                 what="the local Prefect server", log=log)


def stop_shared(*, directory: Path | None = None, say: Say = _quiet) -> ServerState | None:
    """Stop the shared server; returns the state of the server stopped, None if none ran."""
    directory = directory or data_dir()
    with _locked(directory, say):
        state, status = server_status(directory)
        if status != "stopped":
            _stop_pid(state.pid)
        if state is not None:
            _remove_state(directory, state)
        return state if status != "stopped" else None


# --- what a command uses ----------------------------------------------------------------------


class PrefectApi:
    """The API a command uses, as a context manager: `url` is known (and exported as
    PREFECT_API_URL) on entry, before Prefect is imported; `ready()` waits until it answers.
    A server started for this command alone (ephemeral mode) dies with it, whatever kills it.

    `services`: the server must run Prefect's services (schedules fire: `serve`); a temporary
    API for a run does without them and starts faster.
    """

    def __init__(self, *, say: Say = _quiet, services: bool = False) -> None:
        self.say = say
        self.services = services
        self.url: str = ""
        self.shared: ServerState | None = None
        self._process: subprocess.Popen | None = None
        self._token = ""
        self._exported = False

    def __enter__(self) -> PrefectApi:
        configure_offline()
        configured = os.environ.get("PREFECT_API_URL")
        if configured:
            self.url = configured
            return self
        if prefect_mode() == "shared":
            self.shared = find_or_start_shared(say=self.say)
            self.url = self.shared.api_url
        else:
            self._token = uuid.uuid4().hex
            self._process, port = _launch(
                token=self._token, env=_server_env(None), idle_seconds=0, parent_pid=os.getpid(),
                ephemeral=not self.services, state_path=None, log=None,
            )
            self.url = f"http://127.0.0.1:{port}/api"
        os.environ["PREFECT_API_URL"] = self.url
        self._exported = True
        return self

    def ready(self) -> str:
        """Wait until the API answers; returns its URL."""
        if self.shared is not None:
            wait_ready(self.shared)
        elif self._process is not None:
            process = self._process
            wait_healthy(self.url, self._token, alive=lambda: process.poll() is None,
                         deadline=time.monotonic() + SERVER_STARTUP_SECONDS, what="the temporary Prefect API")
        return self.url

    def __exit__(self, *exc: object) -> None:
        if self._exported:
            os.environ.pop("PREFECT_API_URL", None)
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(SERVER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
