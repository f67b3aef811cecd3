"""Make a child process die with its parent, so that nothing a run starts outlives it.

A run killed with `kill -9` cannot clean up: its children (the temporary Prefect API, worker
processes) must notice by themselves. On Linux the kernel sends them SIGKILL when the parent
dies (prctl PR_SET_PDEATHSIG); elsewhere, and for the moment before prctl takes effect, a
thread polls the parent's pid.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

# Set by a process whose direct children should die with it even when they are started by a
# library that gives no hook for it (the flow-run processes `serve`'s Prefect runner starts).
PARENT_ENV = "OFSTED_FINDINGS_DIE_WITH"
_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.5


def die_with_parent(parent_pid: int, *, poll: bool = True) -> None:
    """From now on, this process ends when `parent_pid` (its parent) does."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    if poll:
        threading.Thread(target=_watch, args=(parent_pid,), name="lifeline", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_POLL_SECONDS)
    os._exit(1)


def from_environment() -> None:
    """die_with_parent when the parent asked for it (PARENT_ENV holds its pid); a grandchild,
    whose parent is another process, is left alone."""
    value = os.environ.get(PARENT_ENV, "")
    if value.isdigit() and int(value) == os.getppid():
        die_with_parent(int(value))
