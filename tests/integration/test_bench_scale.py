"""The scale benchmark end to end at a tiny size: the generator's corpus, then bench/scale.py."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

BENCH = REPO / "bench"


def _generate(out: Path, n: int, seed: int = 3) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCH / "generate_corpus.py"), str(out), "--documents", str(n),
         "--seed", str(seed)],
        capture_output=True, text=True, timeout=60, check=True,
    )


def _parse(line: str) -> tuple[str, dict[str, str]]:
    kind, *pairs = line.split()
    return kind, dict(p.split("=", 1) for p in pairs)


def test_generator_writes_distinct_documents_for_other_authorities_and_dates(tmp_path):
    out = tmp_path / "corpus"
    _generate(out, 20)
    files = sorted(p for p in out.iterdir() if not p.name.startswith("."))
    assert len(files) == 20
    assert len({hashlib.sha256(p.read_bytes()).digest() for p in files}) == 20
    manifest = list(csv.DictReader((out / ".manifest.csv").open(encoding="utf-8")))
    assert len(manifest) == 20
    assert {m["file"] for m in manifest} == {p.name for p in files}
    for m in manifest:
        text = (out / m["file"]).read_text(encoding="utf-8")
        if m["authority"] != "Dudley":
            assert "Dudley" not in text
        assert m["authority"] in text
        assert re.match(r"[a-z0-9-]+_(\d{4}-\d{2}-\d{2}|undated)_[a-z_]+_\d{5}\.(txt|md)$", m["file"])
    # dates moved, and stay within 2013-2026
    years = {int(y) for p in files for y in re.findall(r"\b\d{1,2} [A-Z][a-z]+ (20\d\d)\b", p.read_text())}
    assert years and min(years) >= 2012 and max(years) <= 2026
    assert len(years) > 2
    # deterministic for a seed
    again = tmp_path / "again"
    _generate(again, 20)
    assert [p.read_bytes() for p in files] == [(again / p.name).read_bytes() for p in files]


def test_generator_shifts_ranges_and_weekdays_consistently():
    sys.path.insert(0, str(BENCH))
    try:
        import generate_corpus as gen
    finally:
        sys.path.remove(str(BENCH))

    def shifted(phrase: str, days: int) -> str:
        return gen._render_date(gen._parse_date_phrase(phrase), dt.timedelta(days=days))

    assert shifted("30 and 31 October 2016", 1) == "31 October and 1 November 2016"
    assert shifted("Wednesday 26 October 2016", 1) == "Thursday 27 October 2016"
    assert shifted("29 October 2018 to 9 November 2018", 64) == "1 January 2019 to 12 January 2019"
    assert shifted("30 and 31 December 2019", 1) == "31 December 2019 and 1 January 2020"
    assert shifted("30 and 31 December 2019", 3) == "2 and 3 January 2020"
    # a whole text: the authority, dates, months and years move; an act's year does not
    source = (
        "Monitoring visit of Dudley Metropolitan Borough Council children's services on 12 and 13 October\n"
        "2016, judged inadequate in January 2016 under the Children Act 2004; since 2015 in Dudley.\n"
    )
    block = gen.Block(gen._tokens(source, gen._master_pattern("Dudley")), False)
    template = gen.Template(Path("x.txt"), "letter", ".txt", [block], [], True, None, None, "Dudley")
    text = gen.render(template, gen.Variant("Barnet", dt.timedelta(days=366), {}), random.Random(0))
    assert text == (
        "Monitoring visit of Barnet Council children's services on 13 and 14 October\n"
        "2017, judged inadequate in January 2017 under the Children Act 2004; since 2016 in Barnet.\n"
    )


def test_scale_bench_end_to_end_at_a_tiny_size(tmp_path):
    done = subprocess.run(
        [sys.executable, str(BENCH / "scale.py"), "--sizes", "12", "--workdir", str(tmp_path),
         "--workers", "1", "--repeat", "2"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [_parse(line) for line in done.stdout.splitlines() if line.strip()]
    kinds = [k for k, _ in lines]
    assert kinds[0] == "machine" and int(lines[0][1]["cores"]) >= 1 and lines[0][1]["python"]
    run = next(f for k, f in lines if k == "run")
    assert run["size"] == "12" and run["documents"] == "12"
    assert float(run["seconds"]) > 0 and float(run["docs_per_s"]) > 0
    assert int(run["peak_rss_main_mb"]) > 0 and int(run["peak_rss_worker_mb"]) > 0
    rows = dict(p.split(":") for p in run["rows"].split(","))
    assert int(rows["documents"]) == 12 and int(rows["findings"]) > 0
    queries = {f["name"]: f for k, f in lines if k == "query"}
    assert {"grade_trajectories", "persistent_weaknesses", "recurring_recommendations_top",
            "metrics_by_year_region", "statistical_neighbours_one"} <= set(queries)
    assert all(float(q["median_ms"]) > 0 and int(q["runs"]) == 2 for q in queries.values())
    assert int(queries["grade_trajectories"]["rows"]) > 0
    assert float(run["cpu_ms_per_doc"]) > 0 and float(run["processing_docs_per_s"]) > 0
    ratios = [f["name"] for k, f in lines if k == "ratio"]
    assert ratios == ["docs_per_s", "processing_docs_per_s", "cpu_ms_per_doc", "peak_rss_main_mb",
                      "peak_rss_worker_mb"]
    assert {f["timing"] for k, f in lines if k == "queries"} == {"open_connection", "run_query"}
