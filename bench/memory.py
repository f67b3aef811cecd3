"""Peak memory of processes, read from /proc: what both benchmarks report for every process
(the command, its workers, a Prefect server it started); and a command run with its CPU time.

Not ru_maxrss for workers: Linux carries the high-water mark of the memory a process had before
exec into its ru_maxrss, so a spawned worker reports the RSS its parent had when it was started
(measured: 147 MB against a VmHWM of 35 MB). VmHWM belongs to the exec'd image only.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SAMPLE_SECONDS = 0.05


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
        out.append(p)
    return out


def peak_kib(pid: int) -> int:
    """The process's peak resident set (VmHWM), 0 when gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for row in f:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except OSError:
        pass
    return 0


class WorkerPeak:
    """The largest VmHWM among this process's descendants while the block runs (sampled)."""

    def __init__(self) -> None:
        self.kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            for pid in descendants(me):
                if pid != me:
                    self.kib = max(self.kib, peak_kib(pid))
            time.sleep(SAMPLE_SECONDS)


# ---- a run of the command line, as a user types it ------------------------------------------------

SERVER_MODULE = "ofsted_findings.flows.server_process"  # the shared Prefect server's command line
_SPENT = re.compile(r"— ([\d.]+) s \((.*)\)\s*$", re.M)


def role(pid: int, main: int) -> str:
    """What a process is: `main` (the command), `server` (a Prefect server it started) or `worker`."""
    if pid == main:
        return "main"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "worker"
    return "server" if SERVER_MODULE in cmdline else "worker"


@dataclass
class CliRun:
    """One command run: wall and CPU seconds (the command and the workers it waited for, from
    wait4), the peak resident set (VmHWM) of each role's largest process, sampled from /proc,
    and the command's output."""

    returncode: int
    seconds: float
    cpu_s: float
    peak_kib: dict[str, int]
    processes: dict[str, int]  # processes seen, by role
    stdout: str
    stderr: str

    def peak_mb(self, which: str) -> float:
        return self.peak_kib.get(which, 0) / 1024

    def parts(self) -> str:
        """The command's own account of its time ("start-up and Prefect API 3.8 s, ..."), with
        underscores for spaces; '' when it printed none."""
        found = _SPENT.search(self.stdout)
        if not found:
            return ""
        return ",".join(p.strip().replace(" s", "s").replace(" ", "_") for p in found.group(2).split(","))


def run_command(cmd: list[str], env: dict[str, str], server_pid: Callable[[], int | None] | None = None,
                timeout: float | None = None) -> CliRun:
    """Run `cmd`, sampling the peak memory of it and of every process below it (and of the
    process `server_pid()` names, a server started by an earlier run and no longer its child)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak: dict[str, int] = {}
    seen: dict[str, set[int]] = {}
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((proc.stdout, out), (proc.stderr, err))]
    for t in readers:
        t.start()
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = {p: role(p, proc.pid) for p in descendants(proc.pid)}
            extra = server_pid() if server_pid else None
            if extra and extra not in pids:
                pids[extra] = "server"
            for p, r in pids.items():
                kib = peak_kib(p)
                if kib:
                    peak[r] = max(peak.get(r, 0), kib)
                    seen.setdefault(r, set()).add(p)
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.monotonic() > deadline:
            proc.kill()
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join(5)
    for t in readers:
        t.join(5)
    return CliRun(
        returncode=proc.returncode,
        seconds=seconds,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_kib=peak,
        processes={r: len(p) for r, p in seen.items()},
        stdout="".join(out),
        stderr="".join(err),
    )
