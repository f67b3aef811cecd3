"""The PDF throughput benchmark end to end on the fixture PDFs (one per era + an HTML page)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def _fields(out: str) -> dict[str, list[dict[str, str]]]:
    """The bench's lines by their first word, each line's key=value fields as a dict."""
    fields: dict[str, list[dict[str, str]]] = {}
    for line in out.splitlines():
        kind, _, rest = line.partition(" ")
        fields.setdefault(kind, []).append(dict(re.findall(r"(\w+)=(\S+)", rest)))
    return fields


def test_pdf_bench_prints_floor_cli_runs_ratios_and_memory_of_every_process():
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pdf_throughput.py"), str(REPO / "tests" / "fixtures" / "pdf"),
         "--repeat", "1", "--workers", "2"],
        capture_output=True, text=True, check=True, cwd=REPO, timeout=600,
    ).stdout
    fields = _fields(out)
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


def test_pdf_bench_work_only_times_the_floor_and_the_pipeline_in_process_and_starts_no_command():
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pdf_throughput.py"), str(REPO / "tests" / "fixtures" / "pdf"),
         "--repeat", "2", "--workers", "1", "--work-only"],
        capture_output=True, text=True, check=True, cwd=REPO, timeout=600,
    ).stdout
    fields = _fields(out)
    assert "run" not in fields and "memory" in fields  # no command, no server; the pipeline's memory
    rounds = fields["round"]
    assert len(rounds) == 2 and all("pipeline_seconds" in r and "first_seconds" not in r for r in rounds)
    ratio = {m["name"]: m for m in fields["ratio"]}
    assert set(ratio) == {"pipeline_vs_floor", "speedup_vs_2.4s_per_pdf"}
    best_pipeline = min(float(r["pipeline_seconds"]) for r in rounds)
    best_floor = min(float(r["floor_seconds"]) for r in rounds)
    expected = best_pipeline / best_floor
    assert abs(float(ratio["pipeline_vs_floor"]["value"]) - expected) < 0.02 * expected + 0.01
