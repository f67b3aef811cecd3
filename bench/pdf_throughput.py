"""PDF throughput: the whole pipeline against the floor of merely extracting the text, in one run
on one machine.

    .venv/bin/python bench/pdf_throughput.py CORPUS_DIR [--workers N] [--repeat N] [--compare]
        [--stages] [--tracemalloc]

(a) floor: the text of every PDF with pypdfium2 (open, every page's text, close) in one
    process — what any pipeline reading these PDFs must spend at least;
(b) pipeline: `ofsted_findings.run.sequence.run_pipeline` (layout reading, cleaning, every extractor
    in `--workers` processes, default: every core; spooling, linking, validation, publishing)
    into a temporary warehouse.

With --repeat N (default 3) the two are timed N times, interleaved (floor, pipeline, floor,
pipeline, ...) so that both meet the same conditions on a shared machine; the ratio is of the
best times (the least disturbed, as timeit does), and every round is printed with the medians.

Prints both times, their ratio, documents per second and seconds per PDF, and peak memory:
`ru_maxrss` of this process and the peak resident set (VmHWM) of its largest worker, sampled
from /proc (bench/memory.py says why not ru_maxrss), and with --tracemalloc
the peak of Python allocations in this process during (b) (tracing slows that process a little).
--compare also times other PDF libraries that are installed (pypdf; AGPL ones are not used).
--stages runs every stage of one document in this process, CPU seconds per stage (process_time,
so other work on the machine hardly moves it): where the pipeline's time goes.

Every result is one line of `key=value` fields.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from memory import WorkerPeak  # noqa: E402  (bench/memory.py, beside this script)

from ofsted_findings.errors import PipelineError  # noqa: E402
from ofsted_findings.ingest.pdf import pdf_text  # noqa: E402
from ofsted_findings.run.sequence import default_workers  # noqa: E402
from ofsted_findings.run.sequence import run_pipeline as pipeline_run  # noqa: E402

# The speed the issue measures against: 2.4 s per PDF (the scraper's), to beat 30-fold.
BASELINE_SECONDS_PER_PDF = 2.4
TARGET_SPEEDUP = 30.0
TARGET_RATIO = 1.5


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
        timed("judgements", extract_judgements, doc, facts.framework)
        timed("recommendations", extract_recommendations, doc)
        timed("findings", extract_findings, doc)
        timed("metrics", extract_metrics, doc)
    return cpu


def run_pipeline(corpus: Path, paths: list[Path], workers: int, trace: bool) -> dict[str, float]:
    """The product's own run (streaming, all files, into a temporary warehouse), timed."""
    with tempfile.TemporaryDirectory(prefix="bench-wh-") as tmp:
        if trace:
            tracemalloc.start()
        t0 = time.perf_counter()
        with WorkerPeak() as workers_peak:
            summary = pipeline_run(corpus, Path(tmp) / "warehouse", workers=workers, full=True)
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
    statuses = summary.documents_by_status
    return {
        "seconds": seconds,
        "tracemalloc_peak_mb": peak / 2**20,
        "worker_peak_mb": workers_peak.kib / 1024,
        "ok": statuses.get("ok", 0) + statuses.get("quarantined", 0),
        "not_ok": sum(v for k, v in statuses.items() if k not in ("ok", "quarantined")),
    }


def _mb(kilobytes: int) -> float:
    return kilobytes / 1024  # ru_maxrss is in KiB on Linux


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--repeat", type=int, default=3, help="rounds of floor + pipeline (best of)")
    ap.add_argument("--compare", action="store_true", help="also time pypdf, if installed")
    ap.add_argument("--tracemalloc", action="store_true", help="peak Python allocations during (b)")
    ap.add_argument("--stages", action="store_true", help="CPU seconds per stage, in this process")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be 1 or more")
    paths = _pdfs(args.corpus)
    n = len(paths)
    cpu = platform.processor() or platform.machine()
    print(f"machine cores={os.cpu_count()} usable_cores={default_workers()} "
          f"python={platform.python_version()} "
          f"cpu={cpu.replace(' ', '_')} pdfs={n}")

    floors: list[float] = []
    runs: list[dict[str, float]] = []
    for round_no in range(1, args.repeat + 1):
        floor, chars, pages = extract_floor(paths)
        floors.append(floor)
        if round_no == 1:
            print(f"floor library=pypdfium2 pages={pages} chars={chars}")
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
        run = run_pipeline(args.corpus, paths, args.workers, args.tracemalloc)
        runs.append(run)
        print(f"round n={round_no} floor_seconds={floor:.3f} pipeline_seconds={run['seconds']:.3f} "
              f"ratio={run['seconds'] / floor:.2f} ok={run['ok']} not_ok={run['not_ok']} "
              f"load_avg={os.getloadavg()[0]:.2f}")

    floor = min(floors)
    seconds = min(r["seconds"] for r in runs)
    print(f"floor library=pypdfium2 best_seconds={floor:.3f} median_seconds={statistics.median(floors):.3f} "
          f"docs_per_s={n / floor:.1f}")
    ratio = seconds / floor
    per_pdf = seconds / n
    speedup = BASELINE_SECONDS_PER_PDF / per_pdf
    print(f"pipeline workers={args.workers} best_seconds={seconds:.3f} "
          f"median_seconds={statistics.median(r['seconds'] for r in runs):.3f} docs_per_s={n / seconds:.1f} "
          f"s_per_pdf={per_pdf:.3f} ok={runs[-1]['ok']} not_ok={runs[-1]['not_ok']}")
    self_rss = _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    worker_peak = max(r["worker_peak_mb"] for r in runs)
    memory = f"memory peak_rss_main_mb={self_rss:.0f} peak_rss_worker_mb={worker_peak:.0f}"
    if args.tracemalloc:
        memory += f" tracemalloc_peak_main_mb={max(r['tracemalloc_peak_mb'] for r in runs):.0f}"
    print(memory)
    print(f"ratio name=pipeline_vs_floor value={ratio:.2f} rounds={args.repeat} target=<={TARGET_RATIO} "
          f"ok={'yes' if ratio <= TARGET_RATIO else 'no'}")
    print(f"ratio name=speedup_vs_2.4s_per_pdf value={speedup:.1f} target=>={TARGET_SPEEDUP:.0f} "
          f"ok={'yes' if speedup >= TARGET_SPEEDUP else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
