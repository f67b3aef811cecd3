"""The PDF throughput benchmark end to end on the fixture PDFs (one per era + an HTML page)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_pdf_bench_prints_floor_cli_runs_ratios_and_memory_of_every_process():
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pdf_throughput.py"), str(REPO / "tests" / "fixtures" / "pdf"),
         "--repeat", "1", "--workers", "2"],
        capture_output=True, text=True, check=True, cwd=REPO, timeout=600,
    ).stdout
    fields = {}
    for line in out.splitlines():
        kind, _, rest = line.partition(" ")
        fields.setdefault(kind, []).append(dict(re.findall(r"(\w+)=(\S+)", rest)))
    assert len(fields["round"]) == 1
    runs = {r["run"]: r for r in fields["run"]}
    assert set(runs) == {"first", "repeat"}
    assert runs["first"]["server_started"] == "yes" and runs["repeat"]["server_started"] == "no"
    assert "processing" in runs["first"]["parts"]  # the command's own account of its time
    floor = float(fields["round"][0]["floor_seconds"])
    first = float(runs["first"]["seconds"])
    ratio = {r["name"]: r for r in fields["ratio"]}
    assert abs(float(ratio["first_vs_floor"]["value"]) - first / floor) < 0.02 * first / floor + 0.01
    assert {"first_vs_floor", "repeat_vs_floor"} <= set(ratio)
    assert float(ratio["first_vs_floor"]["cpu_value"]) > 0
    memory = {m.get("run", "any"): m for m in fields["memory"]}
    # sampled VmHWM of real processes: the command, a worker (not the parent's), the server
    assert 50 < float(memory["first"]["peak_rss_main_mb"]) < 2000
    assert 10 < float(memory["first"]["peak_rss_worker_mb"]) < 1000
    assert 50 < float(memory["first"]["peak_rss_server_mb"]) < 2000
    assert float(memory["any"]["peak_any_process_mb"]) >= float(memory["first"]["peak_rss_main_mb"])
