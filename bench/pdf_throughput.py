"""PDF throughput: the command a user types against the floor of merely extracting the text, in
one run on one machine.

    .venv/bin/python bench/pdf_throughput.py CORPUS_DIR [--workers N] [--repeat N] [--pipeline]
        [--work-only] [--compare] [--stages] [--tracemalloc]

(a) floor: the text of every PDF with pypdfium2 (open, every page's text, close) in one
    process — what any pipeline reading these PDFs must spend at least;
(b) first: `ofsted-findings run --raw CORPUS_DIR --warehouse EMPTY` as a user types it (layout
    reading, cleaning, every extractor in worker processes on every core, spooling, linking,
    validation, publishing, the Prefect flow and its API), into an empty warehouse;
(c) repeat: the same command again with nothing changed (it finds nothing to do);
(d) with --pipeline, also `ofsted_findings.run.sequence.run_pipeline` in this process (no Prefect).
    --work-only times (a) and (d) alone, with no command and no Prefect server on the machine:
    the work's own ratio, comparable with benches of trees that had no CLI runs here.

The command runs with a data folder of its own, so the first run of round 1 starts a Prefect
server (reported as server_started=yes) that later runs reuse and that is stopped at the end.
With --repeat N (default 3) the runs are timed N times, interleaved (floor, first, repeat, floor,
...) so that all meet the same conditions on a shared machine; the ratios are of the best times
(the least disturbed, as timeit does), and of CPU seconds (the floor's process_time against the
command's and its workers', from wait4), which other work on the machine hardly moves.

Prints every round, the best and median times, their ratios, documents per second, and the peak
resident set (VmHWM, sampled from /proc: bench/memory.py says why not ru_maxrss) of every process:
the command (main), its largest worker, and the Prefect server; with --tracemalloc the peak of
Python allocations in this process during (d). --compare also times other PDF libraries that are
installed (pypdf; AGPL ones are not used). --stages runs every stage of one document in this
process, CPU seconds per stage: where the pipeline's time goes.

Every result is one line of `key=value` fields.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from memory import CliRun, WorkerPeak, run_command  # noqa: E402  (bench/memory.py, beside this script)

from ofsted_findings.errors import PipelineError  # noqa: E402
from ofsted_findings.ingest.pdf import pdf_text  # noqa: E402
from ofsted_findings.run.documents import default_workers  # noqa: E402
from ofsted_findings.run.sequence import run_pipeline as pipeline_run  # noqa: E402

# The speed the issue measures against: 2.4 s per PDF (the scraper's), to beat 40-fold end to end.
BASELINE_SECONDS_PER_PDF = 2.4
TARGET_SPEEDUP = 40.0
# The command against the floor (issue 16), and the peak memory of any process of a full run.
TARGET_RATIO = 1.3
MEMORY_TARGET_MB = 500


def _pdfs(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")


def extract_floor(paths: list[Path]) -> tuple[float, int, int]:
    """Seconds to extract the text of every PDF (one process); characters and pages read."""
    chars = pages = 0
    started = time.perf_counter()
    for path in paths:
        try:
            text, n = pdf_text(path.read_bytes())
        except PipelineError:
            continue  # not a PDF (an HTML page saved as .pdf): the pipeline refuses it too
        chars += len(text)
        pages += n
    return time.perf_counter() - started, chars, pages


def extract_with_pypdf(paths: list[Path]) -> float | None:
    try:
        import pypdf
    except ImportError:
        return None
    started = time.perf_counter()
    for path in paths:
        try:
            reader = pypdf.PdfReader(str(path))
            "\f".join(page.extract_text() or "" for page in reader.pages)
        except Exception:  # noqa: BLE001 - a file pypdf cannot read costs its time all the same
            continue
    return time.perf_counter() - started


def stage_cpu(paths: list[Path]) -> dict[str, float]:
    """CPU seconds of each per-document stage over every PDF, in this process."""
    from ofsted_findings.clean import clean_pdf
    from ofsted_findings.extract.document import extract_document
    from ofsted_findings.extract.findings import extract_findings
    from ofsted_findings.extract.judgements import extract_judgements
    from ofsted_findings.extract.metrics import extract_metrics
    from ofsted_findings.extract.recommendations import extract_recommendations
    from ofsted_findings.ingest.pdf import pdf_layout
    from ofsted_findings.models import own_grades
    from ofsted_findings.run.worker import finding_models

    models = finding_models()  # as the workers read findings: with the shipped models
    cpu: dict[str, float] = {}

    def timed(name, func, *args):
        t = time.process_time()
        out = func(*args)
        cpu[name] = cpu.get(name, 0.0) + time.process_time() - t
        return out

    for path in paths:
        data = path.read_bytes()
        try:
            timed("text_floor", pdf_text, data)
        except PipelineError:
            continue
        layout = timed("layout", pdf_layout, data)
        doc = timed("clean", clean_pdf, path.name, path.name, layout)
        facts = timed("document_facts", extract_document, doc, layout.text)
        judgements = timed("judgements", extract_judgements, doc, facts.framework)
        timed("recommendations", extract_recommendations, doc)
        grades = own_grades(judgements)  # as worker.extract_rows reads them
        timed("findings", lambda d, g: extract_findings(d, models=models, grades=g), doc, grades)
        timed("metrics", extract_metrics, doc)
    return cpu


def run_pipeline(corpus: Path, workers: int, trace: bool) -> dict[str, float]:
    """The run without Prefect, in this process (streaming, all files, into a temporary warehouse)."""
    with tempfile.TemporaryDirectory(prefix="bench-wh-") as tmp:
        if trace:
            tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        with WorkerPeak() as workers_peak:
            pipeline_run(corpus, Path(tmp) / "warehouse", workers=workers, full=True)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
    return {"seconds": seconds, "cpu_main_s": cpu, "tracemalloc_peak_mb": peak / 2**20,
            "worker_peak_mb": workers_peak.kib / 1024}


def command() -> list[str]:
    """`ofsted-findings`, as installed beside this interpreter (the venv's console script)."""
    script = Path(sys.executable).parent / "ofsted-findings"
    if not script.exists():
        raise SystemExit(f"error: {script}: not found; install the project into this venv first")
    return [str(script)]


class Cli:
    """`ofsted-findings run` with a data folder (and so a Prefect server) of its own."""

    def __init__(self, corpus: Path, workers: int, scratch: Path) -> None:
        self.corpus, self.workers, self.scratch = corpus, workers, scratch
        self.data = scratch / "data"
        self.env = {**os.environ, "OFSTED_FINDINGS_DATA_DIR": str(self.data),
                    "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
        self.env.pop("PREFECT_API_URL", None)  # the default a user gets: the local shared server

    def server_pid(self) -> int | None:
        try:
            return int(json.loads((self.data / "server.json").read_text())["pid"])
        except (OSError, ValueError, KeyError):
            return None

    def run(self, warehouse: Path) -> tuple[CliRun, bool]:
        """One run into `warehouse`; and whether it started the server."""
        had_server = self.server_pid() is not None
        cmd = [*command(), "run", "--raw", str(self.corpus), "--warehouse", str(warehouse),
               "--workers", str(self.workers)]
        done = run_command(cmd, self.env, server_pid=self.server_pid)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
            raise SystemExit(f"error: {' '.join(cmd)}: exit {done.returncode}: {tail[0]}")
        return done, not had_server

    def stop_server(self) -> None:
        if self.server_pid() is not None:
            subprocess.run([*command(), "server", "stop"], env=self.env, capture_output=True, check=False)


RUNS = ("first", "repeat", "pipeline")


def _cli_runs(cli: Cli, warehouse: Path) -> list[tuple[str, CliRun, bool]]:
    """The command into an empty warehouse, then again with nothing changed; the warehouse is
    removed afterwards. Each with whether it started the server."""
    try:
        first, started = cli.run(warehouse)
        repeat, _ = cli.run(warehouse)
    finally:
        shutil.rmtree(warehouse, ignore_errors=True)
    return [("first", first, started), ("repeat", repeat, False)]


def _load() -> str:
    return "/".join(f"{v:.2f}" for v in os.getloadavg())


def _mb(kilobytes: int) -> float:
    return kilobytes / 1024  # ru_maxrss is in KiB on Linux


def _best(values: list[float]) -> tuple[float, float]:
    return min(values), statistics.median(values)


def _ratio(name: str, value: float, cpu: float, rounds: int, target: float) -> None:
    print(f"ratio name={name} value={value:.2f} cpu_value={cpu:.2f} rounds={rounds} target=<={target} "
          f"ok={'yes' if value <= target else 'no'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--repeat", type=int, default=3, help="rounds of floor + runs (best of)")
    ap.add_argument("--pipeline", action="store_true", help="also time run_pipeline in this process")
    ap.add_argument("--work-only", action="store_true",
                    help="time only the floor and run_pipeline in this process (no command, no server)")
    ap.add_argument("--compare", action="store_true", help="also time pypdf, if installed")
    ap.add_argument("--tracemalloc", action="store_true", help="peak Python allocations during --pipeline")
    ap.add_argument("--stages", action="store_true", help="CPU seconds per stage, in this process")
    args = ap.parse_args(argv)
    args.pipeline = args.pipeline or args.work_only
    if args.repeat < 1:
        ap.error("--repeat must be 1 or more")
    if not args.corpus.is_dir():
        ap.error(f"{args.corpus}: not a folder")
    paths = _pdfs(args.corpus)
    n = len(paths)
    files = sum(1 for p in args.corpus.iterdir() if p.is_file() and not p.name.startswith("."))
    cpu = platform.processor() or platform.machine()
    print(f"machine cores={os.cpu_count()} usable_cores={default_workers()} "
          f"python={platform.python_version()} cpu={cpu.replace(' ', '_')} pdfs={n} files={files} "
          f"load_avg={_load()}")

    rounds: list[dict[str, float]] = []
    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch:
        cli = Cli(args.corpus, args.workers, Path(scratch))
        try:
            for round_no in range(1, args.repeat + 1):
                c0 = time.process_time()
                floor, chars, pages = extract_floor(paths)
                floor_cpu = time.process_time() - c0
                if round_no == 1:
                    print(f"floor library=pypdfium2 pages={pages} chars={chars}")
                    extras(args, paths, floor)
                r = {"floor": floor, "floor_cpu": floor_cpu}
                runs = [] if args.work_only else _cli_runs(cli, Path(scratch) / f"warehouse-{round_no}")
                for name, done, started in runs:
                    r.update({name: done.seconds, f"{name}_cpu": done.cpu_s})
                    for who in ("main", "worker", "server"):
                        key = f"{name}_{who}"
                        peaks[key] = max(peaks.get(key, 0.0), done.peak_mb(who))
                    print(f"run n={round_no} run={name} seconds={done.seconds:.3f} cpu_s={done.cpu_s:.3f} "
                          f"peak_rss_main_mb={done.peak_mb('main'):.0f} "
                          f"peak_rss_worker_mb={done.peak_mb('worker'):.0f} "
                          f"workers={done.processes.get('worker', 0)} "
                          f"peak_rss_server_mb={done.peak_mb('server'):.0f} "
                          f"server_started={'yes' if started else 'no'} "
                          f"parts={done.parts() or '-'}")
                if args.pipeline:
                    p = run_pipeline(args.corpus, args.workers, args.tracemalloc)
                    r.update(pipeline=p["seconds"], pipeline_cpu=p["cpu_main_s"])
                    peaks["pipeline_worker"] = max(peaks.get("pipeline_worker", 0.0), p["worker_peak_mb"])
                    peaks["pipeline_tracemalloc"] = max(peaks.get("pipeline_tracemalloc", 0.0),
                                                        p["tracemalloc_peak_mb"])
                rounds.append(r)
                times = " ".join(f"{name}_seconds={r[name]:.3f}" for name in RUNS if name in r)
                ratios = " ".join(f"{name}_vs_floor={r[name] / floor:.2f}" for name in RUNS if name in r)
                print(f"round n={round_no} floor_seconds={floor:.3f} floor_cpu_s={floor_cpu:.3f} "
                      f"{times} {ratios} load_avg={_load()}")
        finally:
            cli.stop_server()

    floor, floor_median = _best([r["floor"] for r in rounds])
    floor_cpu = min(r["floor_cpu"] for r in rounds)
    print(f"floor library=pypdfium2 best_seconds={floor:.3f} median_seconds={floor_median:.3f} "
          f"best_cpu_s={floor_cpu:.3f} docs_per_s={n / floor:.1f}")
    for name in RUNS:
        if name not in rounds[0]:
            continue
        best, median = _best([r[name] for r in rounds])
        cpu_best = min(r[f"{name}_cpu"] for r in rounds)
        print(f"{'cli' if name != 'pipeline' else 'in_process'} run={name} workers={args.workers} "
              f"best_seconds={best:.3f} median_seconds={median:.3f} best_cpu_s={cpu_best:.3f} "
              f"docs_per_s={files / best:.1f} s_per_pdf={best / max(1, n):.3f}")
    if not args.work_only:
        print(f"memory run=first peak_rss_main_mb={peaks['first_main']:.0f} "
              f"peak_rss_worker_mb={peaks['first_worker']:.0f} "
              f"peak_rss_server_mb={peaks['first_server']:.0f}")
        print(f"memory run=repeat peak_rss_main_mb={peaks['repeat_main']:.0f} "
              f"peak_rss_server_mb={peaks['repeat_server']:.0f}")
    if args.pipeline:
        main_mb = _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        memory = (f"memory run=pipeline peak_rss_main_mb={main_mb:.0f} "
                  f"peak_rss_worker_mb={peaks['pipeline_worker']:.0f}")
        if args.tracemalloc:
            memory += f" tracemalloc_peak_main_mb={peaks['pipeline_tracemalloc']:.0f}"
        print(memory)
    if not args.work_only:
        largest = max(v for k, v in peaks.items() if k.startswith(("first_", "repeat_")))
        print(f"memory peak_any_process_mb={largest:.0f} target=<={MEMORY_TARGET_MB} "
              f"ok={'yes' if largest <= MEMORY_TARGET_MB else 'no'}")
    for name in RUNS:
        if name in rounds[0]:
            best = min(r[name] for r in rounds)
            cpu_best = min(r[f"{name}_cpu"] for r in rounds)
            _ratio(f"{name}_vs_floor", best / floor, cpu_best / floor_cpu, args.repeat, TARGET_RATIO)
    best = min(r["first" if "first" in rounds[0] else "pipeline"] for r in rounds)
    speedup = BASELINE_SECONDS_PER_PDF / (best / max(1, n))
    print(f"ratio name=speedup_vs_2.4s_per_pdf value={speedup:.1f} target=>={TARGET_SPEEDUP:.0f} "
          f"ok={'yes' if speedup >= TARGET_SPEEDUP else 'no'}")
    return 0


def extras(args: argparse.Namespace, paths: list[Path], floor: float) -> None:
    """--compare and --stages, once."""
    n = len(paths)
    if args.compare:
        pypdf_s = extract_with_pypdf(paths)
        if pypdf_s is None:
            print("compare library=pypdf installed=no")
        else:
            print(f"compare library=pypdf seconds={pypdf_s:.2f} docs_per_s={n / pypdf_s:.1f} "
                  f"vs_pypdfium2={pypdf_s / floor:.1f}")
    if args.stages:
        cpu = stage_cpu(paths)
        floor_cpu = cpu["text_floor"]
        print("stages " + " ".join(f"{k}_cpu_s={v:.2f}" for k, v in cpu.items()))
        print("stages " + " ".join(f"{k}_x_floor={v / floor_cpu:.2f}" for k, v in cpu.items()))


if __name__ == "__main__":
    raise SystemExit(main())
