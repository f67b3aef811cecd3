"""CPU time a sentence of the findings extractor, rules alone and with the findings models.

    .venv/bin/python bench/findings_speed.py FOLDER [--cache DOCS.pickle] [--repeat 3]

Cleans every document of FOLDER once (or loads them from --cache, written when absent), then
runs `extract_findings` over all of them in each mode and prints the best of --repeat CPU times
(time.process_time) divided by the number of sentences. Changes to the extractors that must not
change their output are checked with bench/extraction_snapshot.py; this only times them.
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

from ofsted_findings.errors import PipelineError
from ofsted_findings.extract.finding_model import shipped_models
from ofsted_findings.extract.findings import extract_findings
from ofsted_findings.extract.judgements import extract_judgements
from ofsted_findings.ingest.discover import discover, read_raw
from ofsted_findings.models import CleanDocument, own_grades
from ofsted_findings.run.worker import read_and_clean


def cleaned(folder: Path, cache: Path | None) -> list[CleanDocument]:
    """Every readable document of `folder`, cleaned (cached in `cache` when given)."""
    if cache is not None and cache.is_file():
        return pickle.loads(cache.read_bytes())
    docs = []
    for path in sorted(discover(folder)):
        try:
            docs.append(read_and_clean(read_raw(folder, path))[1])
        except (OSError, PipelineError):
            continue
    if cache is not None:
        cache.write_bytes(pickle.dumps(docs))
    return docs


def best_time(docs: list[CleanDocument], models: object, repeat: int) -> tuple[float, int]:
    """Best CPU seconds of `repeat` passes over `docs`, and the sentences of one pass. Each
    document's findings are read against its own grades, as in a run (worker.extract_rows; the
    framework is not known here, which changes a 2013 looked-after children inspection's grade
    only, not the cost)."""
    graded = [(doc, own_grades(extract_judgements(doc))) for doc in docs]
    best, sentences = float("inf"), 0
    for _ in range(repeat):
        for doc, _ in graded:  # each pass cuts the sentences again, as a worker's first extractor does
            doc.sentences = {}  # (a cache pickled before the field existed has none)
        started = time.process_time()
        sentences = sum(len(extract_findings(doc, models=models, grades=g)) for doc, g in graded)  # type: ignore[arg-type]
        best = min(best, time.process_time() - started)
    return best, sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    docs = cleaned(args.folder, args.cache)
    models = shipped_models()
    extract_findings(docs[0], models=models)  # warm the compiled matchers and caches
    for name, mode in (("rules", None), ("model", models)):
        seconds, sentences = best_time(docs, mode, args.repeat)
        print(f"{name}: {seconds:.3f} s  {sentences} sentences  {seconds / sentences * 1e6:.1f} µs/sentence")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
