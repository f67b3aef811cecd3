"""The PDF throughput benchmark end to end on the fixture PDFs (one per era + an HTML page)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_pdf_bench_prints_rounds_ratios_and_worker_memory():
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pdf_throughput.py"), str(REPO / "tests" / "fixtures" / "pdf"),
         "--repeat", "2", "--workers", "2"],
        capture_output=True, text=True, check=True, cwd=REPO,
    ).stdout
    fields = {}
    for line in out.splitlines():
        kind, _, rest = line.partition(" ")
        fields.setdefault(kind, []).append(dict(re.findall(r"(\w+)=(\S+)", rest)))
    assert len(fields["round"]) == 2
    files = len(list((REPO / "tests" / "fixtures" / "pdf").iterdir()))
    assert all(int(r["ok"]) + int(r["not_ok"]) == files for r in fields["round"])
    assert int(fields["round"][0]["not_ok"]) == 2  # the HTML page named .pdf, and truth.csv
    floor = min(float(r["floor_seconds"]) for r in fields["round"])
    best = min(float(r["pipeline_seconds"]) for r in fields["round"])
    ratio = {r["name"]: float(r["value"]) for r in fields["ratio"]}
    assert abs(ratio["pipeline_vs_floor"] - best / floor) < 0.02 * ratio["pipeline_vs_floor"] + 0.01
    worker_mb = float(fields["memory"][0]["peak_rss_worker_mb"])
    assert 10 < worker_mb < 1000  # a sampled VmHWM of a real worker, not 0 and not the parent's
