"""The pipeline flow with its per-document tasks on a Dask cluster (prefect-dask).

Dask worker processes run Prefect tasks and report to the Prefect API: with the temporary
in-process API each worker would start an API of its own, so a distributed run always uses one
real server (PREFECT_API_URL, or a local one started for the run; workers on other machines
need PREFECT_API_URL set to a server they can reach).
"""

from __future__ import annotations

import importlib.util
from typing import Any

# prefect-dask is an extra (pyproject.toml says why): the default install leaves it out.
DASK_MISSING = (
    "--dask-address needs prefect-dask, which the default install leaves out: "
    "pip install 'ofsted-findings[dask]'"
)


def dask_installed() -> bool:
    """Whether prefect-dask can be imported (looked up, not imported: importing costs seconds)."""
    return importlib.util.find_spec("prefect_dask") is not None


def dask_flow(address: str) -> Any:
    from prefect_dask import DaskTaskRunner

    from ofsted_findings.flows.pipeline import pipeline_flow

    return pipeline_flow.with_options(task_runner=DaskTaskRunner(address=address))
