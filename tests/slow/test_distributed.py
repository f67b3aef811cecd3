"""`run --dask-address` on a local Dask cluster: one Prefect server for the flow and every Dask
worker, and the same tables as a local run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ofsted_findings.warehouse.publish import VERSIONED_TABLES, current_version
from tests.conftest import RAW

CLI = Path(sys.executable).with_name("ofsted-findings")


def _tables(wh: Path) -> dict:
    version = current_version(wh)
    return {t: pq.read_table(version / f"{t}.parquet").to_pandas() for t in VERSIONED_TABLES}


@pytest.mark.slow
def test_dask_run_matches_local_run(tmp_path, monkeypatch, request):
    distributed = pytest.importorskip("distributed")
    from ofsted_findings.flows.prefect_server import PrefectApi, stop_shared

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("OFSTED_FINDINGS_DATA_DIR", str(tmp_path / "data"))
    # the workers are started after the API's URL is exported, so they inherit PREFECT_API_URL:
    # one API for all (the shared server, stopped at the end)
    request.addfinalizer(lambda: stop_shared(directory=tmp_path / "data"))
    with (
        PrefectApi() as prefect_api,
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
    ):
        api = prefect_api.ready()
        env = {**os.environ, "PREFECT_API_URL": api}
        timings = {}
        for name, extra in (("local", []), ("dask", ["--dask-address", cluster.scheduler_address])):
            started = time.monotonic()
            out = subprocess.run(
                [str(CLI), "run", "--raw", str(raw), "--warehouse", str(tmp_path / name), *extra],
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
            )
            timings[name] = time.monotonic() - started
            assert out.returncode == 0, out.stdout + out.stderr
        workers = cluster.scheduler_info["workers"]
        assert len(workers) == 2
    overhead = timings["dask"] - timings["local"]
    documents = len(list(raw.iterdir()))
    print(
        f"local {timings['local']:.1f} s, dask {timings['dask']:.1f} s, overhead {overhead:+.1f} s "
        f"({documents} documents, 2 workers)"
    )
    local, dask = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    for table in VERSIONED_TABLES:
        assert local[table].equals(dask[table]), table
