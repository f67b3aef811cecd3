"""Where a run's wall time went, counted from the moment the process started (the time the user
waited), not from the moment the flow began."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from ofsted_findings import IMPORTED_AT

# A command's interpreter imports the package well within this of its process's start; a larger
# gap means the process ran another program first and then exec'd this one (`bash -c "pip install
# ... && ofsted-findings run"` execs its last command), whose time is none of ours.
EXEC_GAP = 2.0


def process_started(imported_at: float | None = None) -> float:
    """This process's start as a time.time() value: from /proc (Linux), or when the package was
    imported if /proc's start is more than EXEC_GAP earlier (the process was exec'd into this
    program) or cannot be read."""
    imported_at = IMPORTED_AT if imported_at is None else imported_at
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        started = time.time() - (uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return imported_at
    return imported_at if imported_at - started > EXEC_GAP else started


@dataclass
class Clock:
    started: float = field(default_factory=process_started)
    marks: dict[str, float] = field(default_factory=dict)

    def mark(self, name: str) -> None:
        self.marks[name] = time.time()

    def parts(self, summary: Any) -> list[tuple[str, float]]:
        """[("wall", s), ("Prefect start", s), ...]: the wall time since the process started,
        then its parts; "other" is what the named parts leave (Prefect's bookkeeping, the
        discovery, this summary)."""
        wall = time.time() - self.started
        flow_began = summary.started_at.timestamp() if summary.started_at else self.started
        ready = self.marks.get("prefect_ready")
        if ready is None:  # Prefect not started (a run with nothing to do): interpreter and imports
            parts = [("start-up", max(0.0, flow_began - self.started))]
        else:  # imports and the API's start overlap: one figure; then Prefect's flow-run start
            parts = [("start-up and Prefect API", ready - self.started), ("Prefect flow start",
                                                                          max(0.0, flow_began - ready))]
        parts += [(name, seconds) for name, seconds in summary.timings.items()]
        parts.append(("other", max(0.0, wall - sum(s for _, s in parts))))
        return [("wall", wall), *parts]
