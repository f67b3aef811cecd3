"""The scale benchmark: the whole pipeline on synthetic corpora of growing size, and the
cross-inspection queries on the warehouse it publishes.

    .venv/bin/python bench/scale.py [--sizes 100,1000,10000] [--workdir DIR] [--workers N]

For each size: generate the corpus (bench/generate_corpus.py), run
`run_pipeline(raw, warehouse, full=True)` into a fresh warehouse in a child process (so peak
memory is that run's: the peak resident set, VmHWM, of the child itself and of its largest worker
process, sampled from /proc; ru_maxrss is printed too, but overstates spawned processes: see
bench/memory.py), then time the analysis queries on the warehouse, each several times (median).
Finally the ratios the scale target asks about, at the largest size against 1,000 documents:
documents/s of the whole run (no slower), documents/s while documents are processed (flat: the
whole run also carries a fixed few seconds of start-up and publishing, which weigh more on a
small run), CPU per document, peak memory; and whether every query stays under 100 ms.

Every result is one line of `key=value` fields (values without spaces), easy to read and to parse:

    machine cores=2 ram_gb=23.5 python=3.12.3 cpu=...
    run size=1000 documents=1000 seconds=12.7 docs_per_s=79.0 processing_docs_per_s=96.1 ...
    query size=1000 name=grade_trajectories rows=153 median_ms=21.4 warm_median_ms=9.8 runs=7
    ratio name=processing_docs_per_s size=10000 base=1000 value=1.02 target=0.80..1.20 ok=yes

Documents/s depends on what else the machine runs (each run line has the load average before and
after); cpu_ms_per_doc (CPU seconds of the run and its workers per document) much less so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from memory import descendants, peak_kib  # bench/memory.py, beside this script

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_WORKDIR = BENCH / "work"  # ignored by git (bench/.gitignore)

# The cross-inspection questions, over the analysis views. {authority} is the authority with the
# most inspections in the warehouse.
QUERIES: dict[str, str] = {
    # what opening the warehouse costs: every run_query connects anew
    "connect_only": "SELECT 1",
    # every authority's grade trajectory in every judgement area
    "grade_trajectories": """
        SELECT local_authority, area, count(*) AS inspections,
               list(grade ORDER BY end_date) AS grades, list(change ORDER BY end_date) AS changes
        FROM grade_history GROUP BY local_authority, area ORDER BY local_authority, area""",
    # themes criticised at an authority's last two inspections
    "persistent_weaknesses": """
        SELECT local_authority, region, theme, inspections, status_history
        FROM theme_trajectory WHERE trajectory = 'persistent_weakness'
        ORDER BY local_authority, theme""",
    # the closest earlier match of each repeated recommendation, best first
    "recurring_recommendations_top": """
        SELECT local_authority, earlier_date, later_date, score, shared_words, later_text, earlier_text
        FROM recurring_recommendations WHERE match_rank = 1
        ORDER BY score DESC, local_authority, later_date LIMIT 100""",
    # metrics compared by year, region and unit
    "metrics_by_year_region": """
        SELECT year, region, unit, count(*) AS metrics, count(DISTINCT local_authority) AS authorities,
               median(value) AS median_value
        FROM metrics_by_subject GROUP BY year, region, unit ORDER BY year, region, unit""",
    # one authority's latest grades beside its statistical neighbours'
    "statistical_neighbours_one": """
        SELECT * FROM statistical_neighbours_grades WHERE local_authority = '{authority}'""",
}
QUERY_TARGET_MS = 100.0
SAMPLE_SECONDS = 0.2
THROUGHPUT_TARGET = 0.80  # documents/s at the largest size, as a share of that at 1,000
FLAT_BAND = 0.20  # processing documents/s at the largest size within 20% of that at 1,000
# Peak memory at the largest size as a multiple of that at 1,000: it must not grow with the corpus
# (a constant base of imports and DuckDB buffers, and ~20 MB of run-to-run noise, aside).
MEMORY_TARGET = 1.15


def machine() -> dict[str, str]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    load = "/".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": str(cores),
        "ram_gb": f"{ram:.1f}",
        "python": platform.python_version(),
        "os": f"{platform.system()}-{platform.release()}",
        "cpu": cpu,
        "loadavg": load,  # other work on the machine makes documents/s lower
    }


def line(kind: str, fields: dict[str, object]) -> str:
    """One result line: `kind key=value ...`; spaces in values become underscores."""
    parts = [kind]
    for k, v in fields.items():
        if isinstance(v, float):
            v = f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
        parts.append(f"{k}={str(v).replace(' ', '_')}")
    return " ".join(parts)


def parse_line(text: str) -> tuple[str, dict[str, str]]:
    kind, *pairs = text.split()
    return kind, dict(p.split("=", 1) for p in pairs)


def emit(kind: str, fields: dict[str, object]) -> None:
    print(line(kind, fields), flush=True)


# ---- the child: one pipeline run -------------------------------------------------------------------


def child(raw: Path, warehouse: Path, workers: int | None, progress: bool) -> int:
    """Run the pipeline once and print one JSON line with what it did and its peak memory."""
    sys.path.insert(0, str(REPO))
    from ofsted_findings.run.sequence import run_pipeline

    total = sum(1 for p in raw.iterdir() if not p.name.startswith("."))
    done = 0
    started = time.perf_counter()
    first = last = started  # when the first and the last document came back from a worker

    def on_result(_result: object) -> None:
        nonlocal done, first, last
        done += 1
        last = time.perf_counter()
        if done == 1:
            first = last
        if progress and (done % max(1, total // 20) == 0 or done == total):
            rate = done / (last - started)
            print(f"  ... {done}/{total} documents processed ({rate:.1f}/s)", file=sys.stderr, flush=True)

    summary = run_pipeline(raw, warehouse, full=True, workers=workers, on_result=on_result)
    seconds = time.perf_counter() - started
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    hwm = peak_kib(os.getpid())
    print(json.dumps({
        "seconds": seconds,
        # documents/s between the first and the last document back from the workers: the rate of
        # the per-document work, without the run's fixed start-up and publishing
        "processing_docs_per_s": (done - 1) / (last - first) if done > 1 and last > first else 0.0,
        "documents": sum(summary.documents_by_status.values()),
        "documents_by_status": summary.documents_by_status,
        "rows_by_table": summary.rows_by_table,
        "quarantined_by_table": summary.quarantined_by_table,
        "peak_rss_main_mb": (hwm or me.ru_maxrss) / 1024,
        # ru_maxrss (KiB on Linux) of the largest worker; see ChildRun for why it is not used
        "ru_maxrss_main_mb": me.ru_maxrss / 1024,
        "ru_maxrss_worker_mb": children.ru_maxrss / 1024,
        "cpu_main_s": me.ru_utime + me.ru_stime,
        "cpu_workers_s": children.ru_utime + children.ru_stime,
    }))
    return 0


_PROGRESS = re.compile(r"\.\.\. (\d+)/(\d+) documents processed")


class ChildRun:
    """The child's progress (from its standard error, echoed) and, sampled from /proc every
    SAMPLE_SECONDS, the peak memory (VmHWM) of it and of its largest worker.

    Not ru_maxrss for the workers (see memory.py).
    """

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.processed = 0
        self.main_kib = self.worker_kib = 0
        self.output: list[str] = []
        self.started = time.perf_counter()
        jobs = (self._out, self._err, self._sample)
        self._threads = [threading.Thread(target=f, daemon=True) for f in jobs]
        for t in self._threads:
            t.start()

    def join(self) -> None:
        for t in self._threads:
            t.join(5)

    def _out(self) -> None:
        self.output.extend(self.proc.stdout)

    def _err(self) -> None:
        for text in self.proc.stderr:
            sys.stderr.write(text)
            m = _PROGRESS.search(text)
            if m:
                self.processed = int(m.group(1))

    def _sample(self) -> None:
        while self.proc.poll() is None:
            for pid in descendants(self.proc.pid):
                kib = peak_kib(pid)
                if pid == self.proc.pid:
                    self.main_kib = max(self.main_kib, kib)
                else:
                    self.worker_kib = max(self.worker_kib, kib)
            time.sleep(SAMPLE_SECONDS)


def run_child(raw: Path, warehouse: Path, workers: int | None, timeout: float | None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(raw), str(warehouse), "--progress"]
    if workers:
        cmd += ["--workers", str(workers)]
    # its own process group, so that a run over the time limit is stopped with its workers
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=REPO)
    watch = ChildRun(proc)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        seconds = time.perf_counter() - watch.started
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        watch.join()
        return {"stopped": True, "seconds": seconds, "processed": watch.processed,
                "sampled_main_mb": watch.main_kib / 1024, "sampled_worker_mb": watch.worker_kib / 1024}
    watch.join()
    if proc.returncode != 0:
        raise RuntimeError(f"pipeline run failed (exit code {proc.returncode})")
    result = json.loads(watch.output[-1])
    result["sampled_main_mb"], result["sampled_worker_mb"] = watch.main_kib / 1024, watch.worker_kib / 1024
    result["peak_rss_worker_mb"] = result["sampled_worker_mb"]
    return result


# ---- queries -------------------------------------------------------------------------------------------


def busiest_authority(warehouse: Path) -> str | None:
    from ofsted_findings.warehouse.query import run_query

    _, rows = run_query(
        warehouse,
        "SELECT local_authority FROM grade_history GROUP BY local_authority "
        "ORDER BY count(DISTINCT inspection_id) DESC, local_authority LIMIT 1",
    )
    return rows[0][0] if rows else None


def time_queries(warehouse: Path, repeat: int) -> list[dict[str, object]]:
    """Each query `repeat` times through run_query (a new read-only connection each time, as the
    `sql` command does), then `repeat` times on one open connection; medians in ms."""
    from ofsted_findings.warehouse.query import run_query, sandboxed_connection

    authority = (busiest_authority(warehouse) or "Dudley").replace("'", "''")
    queries = {name: sql.format(authority=authority) for name, sql in QUERIES.items()}
    results = []
    for name, sql in queries.items():
        cold = []
        rows = 0
        for _ in range(repeat):
            t = time.perf_counter()
            _, fetched = run_query(warehouse, sql)
            cold.append((time.perf_counter() - t) * 1000)
            rows = len(fetched)
        results.append({"name": name, "rows": rows, "median_ms": statistics.median(cold),
                        "max_ms": max(cold)})
    # (not while run_query runs: a second sandboxed connection in one process finds the
    # database's configuration locked by the first)
    con = sandboxed_connection(warehouse)
    try:
        for result, sql in zip(results, queries.values(), strict=True):
            warm = []
            for _ in range(repeat):
                t = time.perf_counter()
                con.execute(sql).fetchall()
                warm.append((time.perf_counter() - t) * 1000)
            result["warm_median_ms"] = statistics.median(warm)
            result["runs"] = repeat
    finally:
        con.close()
    return results


# ---- the benchmark ---------------------------------------------------------------------------------------


def dir_mb(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path, followlinks=False):
        for f in files:
            p = Path(root) / f
            if not p.is_symlink():
                total += p.stat().st_size
    return total / 2**20


def bench_size(size: int, workdir: Path, workers: int | None, seed: int, repeat: int,
               timeout: float | None, source: Path | None) -> dict | None:
    from generate_corpus import DEFAULT_SOURCE, generate

    base = workdir / f"n{size}"
    if base.exists():
        shutil.rmtree(base)
    raw, warehouse = base / "raw", base / "warehouse"
    t = time.perf_counter()
    generate(raw, size, seed=seed, source=source or DEFAULT_SOURCE)
    emit("corpus", {"size": size, "seconds": time.perf_counter() - t, "mb": dir_mb(raw), "path": raw})
    load_before = os.getloadavg()[0]
    r = run_child(raw, warehouse, workers, timeout)
    load = f"{load_before:.2f}/{os.getloadavg()[0]:.2f}"
    if r.get("stopped"):
        emit("run", {
            "size": size, "stopped_after_s": r["seconds"], "documents_processed": r["processed"],
            "docs_per_s": r["processed"] / r["seconds"],
            "peak_rss_main_mb_sampled": round(r["sampled_main_mb"]),
            "peak_rss_worker_mb_sampled": round(r["sampled_worker_mb"]),
            "load_before_after": load,
        })
        return None
    rows = ",".join(f"{k}:{v}" for k, v in sorted(r["rows_by_table"].items()))
    statuses = ",".join(f"{k}:{v}" for k, v in sorted(r["documents_by_status"].items()))
    quarantined = ",".join(f"{k}:{v}" for k, v in sorted(r["quarantined_by_table"].items())) or "none"
    result = {
        "size": size,
        "documents": r["documents"],
        "seconds": r["seconds"],
        "docs_per_s": r["documents"] / r["seconds"],
        "processing_docs_per_s": r["processing_docs_per_s"],
        "peak_rss_main_mb": round(r["peak_rss_main_mb"]),
        "peak_rss_worker_mb": round(r["peak_rss_worker_mb"]),
        "ru_maxrss_main_mb": round(r["ru_maxrss_main_mb"]),
        "ru_maxrss_worker_mb": round(r["ru_maxrss_worker_mb"]),
        "cpu_main_s": r["cpu_main_s"],
        "cpu_workers_s": r["cpu_workers_s"],
        # CPU seconds per document (main + workers): unlike documents/s, barely affected by
        # other processes competing for the cores
        "cpu_ms_per_doc": 1000 * (r["cpu_main_s"] + r["cpu_workers_s"]) / max(1, r["documents"]),
        "load_before_after": load,
        "warehouse_mb": dir_mb(warehouse),
        "statuses": statuses,
        "quarantined": quarantined,
        "rows": rows,
    }
    emit("run", result)
    result["queries"] = time_queries(warehouse, repeat)
    for q in result["queries"]:
        emit("query", {"size": size, **q})
    return result


def ratio(name: str, runs: dict[int, dict], key: str, target: float, higher_is_better: bool,
          within: float | None = None) -> None:
    """The value at the largest size over that at 1,000 (or the smallest size), against a
    one-sided target, or with `within` a band either side of 1 (flat)."""
    sizes = sorted(runs)
    if len(sizes) < 2:
        emit("ratio", {"name": name, "value": "n/a", "reason": "one size only"})
        return
    largest = sizes[-1]
    base = 1000 if 1000 in runs and largest != 1000 else sizes[0]
    value = runs[largest][key] / runs[base][key]
    if within is not None:
        ok = 1 - within <= value <= 1 + within
        shown = f"{1 - within:.2f}..{1 + within:.2f}"
    else:
        ok = value >= target if higher_is_better else value <= target
        shown = f"{'>=' if higher_is_better else '<='}{target:.2f}"
    emit("ratio", {
        "name": name, "size": largest, "base": base, "value": value, "target": shown,
        "ok": "yes" if ok else "no",
    })


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help="where the corpora and warehouses go (each size's folder is replaced)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each query (the median is reported)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="stop a pipeline run after this many seconds (and the larger sizes)")
    parser.add_argument("--source", type=Path, default=None, help="generate from this folder (default: raw/)")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("RAW", "WAREHOUSE"), help=argparse.SUPPRESS)
    parser.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], args.child[1], args.workers, args.progress)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    emit("machine", machine())
    emit("settings", {"sizes": ",".join(map(str, sizes)), "workers": args.workers or "default",
                      "seed": args.seed, "repeat": args.repeat})
    runs: dict[int, dict] = {}
    for size in sizes:
        result = bench_size(size, args.workdir, args.workers, args.seed, args.repeat, args.timeout,
                            args.source)
        if result is None:
            break
        runs[size] = result
    if not runs:
        return 1
    ratio("docs_per_s", runs, "docs_per_s", THROUGHPUT_TARGET, higher_is_better=True)
    # flat: the per-document rate within FLAT_BAND either way (the whole-run rate above also
    # carries the run's fixed start-up and publishing, which weigh more on small runs)
    ratio("processing_docs_per_s", runs, "processing_docs_per_s", 0, True, within=FLAT_BAND)
    ratio("cpu_ms_per_doc", runs, "cpu_ms_per_doc", 1 / THROUGHPUT_TARGET, higher_is_better=False)
    ratio("peak_rss_main_mb", runs, "peak_rss_main_mb", MEMORY_TARGET, higher_is_better=False)
    ratio("peak_rss_worker_mb", runs, "peak_rss_worker_mb", MEMORY_TARGET, higher_is_better=False)
    largest = max(runs)
    timed = [q for q in runs[largest]["queries"] if q["name"] != "connect_only"]
    for key, label in (("warm_median_ms", "open_connection"), ("median_ms", "run_query")):
        slowest = max(timed, key=lambda q: q[key])  # noqa: B023
        emit("queries", {
            "size": largest,
            "timing": label,
            "under_ms": f"{QUERY_TARGET_MS:g}",
            "ok": "yes" if slowest[key] < QUERY_TARGET_MS else "no",
            "slowest": slowest["name"],
            "slowest_ms": slowest[key],
            "over": ",".join(q["name"] for q in timed if q[key] >= QUERY_TARGET_MS) or "none",
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
