"""How a run runs: one set of options for `ofsted-findings run`, the flows' `options` parameter
and `serve`. Light to import (the command line builds it before Prefect starts)."""

from __future__ import annotations

from dataclasses import dataclass

from ofsted_findings.settings import DOCUMENT_TIME_LIMIT, WORKER_MEMORY_LIMIT


@dataclass(frozen=True)
class RunOptions:
    """The options of one run. A flow parameter too: Prefect shows its fields in the UI and a
    deployment's parameters (`serve`, prefect.yaml) carry it as a JSON object."""

    strict: bool = False  # fail, publishing nothing, if a document fails or a row is quarantined
    full: bool = False  # process every file, not only the new or changed ones
    workers: int | None = None  # worker processes on this machine; None: every core
    time_limit: float | None = DOCUMENT_TIME_LIMIT  # seconds one document may take
    memory_limit: int | None = WORKER_MEMORY_LIMIT  # bytes per worker process; 0 or None: no limit
    allow_shrink: bool = False  # publish even if the run drops most of the published documents
