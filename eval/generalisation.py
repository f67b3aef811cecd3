"""Extraction against gold made by reading, reported apart for development and held-apart authorities.

    .venv/bin/python eval/generalisation.py [--corpus /work/shared/corpus/ilacs]
        [--gold tests/fixtures/gold/dev] [--show 15] [--json OUT]

The gold's `split.json` names the authorities held apart: nothing was developed or trained on
their reports, so their column is the figure to quote and to pin test floors at. Prints, per part:
findings polarity accuracy (with an always-"strength" and a VADER baseline on the same
sentences), theme micro P/R/F1, recommendations P/R/F1 with exact text and framework code,
metrics P/R within the gold's paragraphs with `kind`; then the disagreements of the held-apart part.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from eval.seed_accuracy import vader_predictor  # noqa: E402
from ofsted_findings.evaluation.gold import (  # noqa: E402
    Extracted,
    Gold,
    gold_not_found,
    score_findings,
    score_metrics,
    score_recommendations,
)
from ofsted_findings.run.worker import process_path  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/corpus/ilacs")
DEFAULT_GOLD = REPO / "tests" / "fixtures" / "gold" / "dev"


def _extract(item: tuple[Path, Path]) -> tuple[str, Extracted | None]:
    corpus, path = item
    result = process_path(corpus, path)
    if result.cleaned_text is None:
        return path.name, None
    return path.name, Extracted(
        text=result.cleaned_text,
        findings=result.rows.get("findings", []),
        recommendations=result.rows.get("recommendations", []),
        metrics=result.rows.get("metrics", []),
    )


def extract_all(corpus: Path, files: list[str], workers: int = 2) -> dict[str, Extracted]:
    items = [(corpus, corpus / f) for f in files if (corpus / f).exists()]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return {name: doc for name, doc in pool.map(_extract, items) if doc is not None}


def measure(gold: Gold, got: dict[str, Extracted], part: str) -> dict[str, object]:
    """Every measure over the gold of one part ('dev' or 'held_apart')."""

    def mine(rows):
        return [r for r in rows if gold.part(r["file"]) == part]

    findings = mine(gold.findings)
    polarity, themes = score_findings(findings, got)
    always, _ = score_findings(findings, got, predict=lambda s, r: "strength")
    vader = vader_predictor()
    lexicon = score_findings(findings, got, predict=lambda s, r: vader(s))[0] if vader else None
    items, exact, codes = score_recommendations(mine(gold.recommendations), got)
    metrics, kinds = score_metrics(mine(gold.metrics), mine(gold.paragraphs), got)
    lost = gold_not_found(gold, got, part)
    return {
        "reports": len({r["file"] for r in findings + mine(gold.recommendations)}),
        "sentences": polarity.total,
        "polarity": polarity.rate,
        "polarity_always_strength": always.rate,
        "polarity_vader": lexicon.rate if lexicon else None,
        "themes_p": themes.precision,
        "themes_r": themes.recall,
        "themes_f1": themes.f1,
        "recommendations_items": items.tp + items.fn,
        "recommendations_p": items.precision,
        "recommendations_r": items.recall,
        "recommendations_f1": items.f1,
        "recommendations_text_exact": exact.rate,
        "framework_code": codes.rate,
        "metrics_values": metrics.tp + metrics.fn,
        "metrics_p": metrics.precision,
        "metrics_r": metrics.recall,
        "metric_kind": kinds.rate,
        # gold texts the cleaned reports no longer hold (a cleaner change): must be 0
        "gold_not_found": len(lost),
        "_misses": {
            "gold_not_found": lost,
            "polarity": polarity.misses,
            "themes": themes.misses,
            "recommendations": items.misses + exact.misses + codes.misses,
            "metrics": metrics.misses + kinds.misses,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--show", type=int, default=15, help="disagreements to print per measure")
    parser.add_argument("--part", default="held_apart", help="whose disagreements to print")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: {args.corpus}: no such folder (the corpus of PDFs the gold names)", file=sys.stderr)
        return 1
    gold = Gold.read(args.gold)
    started = time.perf_counter()
    got = extract_all(args.corpus, gold.files())
    print(f"{len(got)} gold reports extracted in {time.perf_counter() - started:.1f} s")
    results = {part: measure(gold, got, part) for part in ("dev", "held_apart")}
    print("dev: the authorities developed and trained on (the models have seen these sentences);")
    print("held_apart: authorities nothing was tuned or trained on, the figures to quote")
    print(f"{'measure':32} {'dev':>10} {'held_apart':>10}")
    for key in results["dev"]:
        if key.startswith("_"):
            continue
        values = [results[p][key] for p in ("dev", "held_apart")]
        cells = [f"{v:10.3f}" if isinstance(v, float) else f"{v!s:>10}" for v in values]
        print(f"{key:32} {' '.join(cells)}")
    for measure_name, misses in results[args.part]["_misses"].items():
        for miss in misses[: args.show]:
            print(f"  [{args.part} {measure_name}] {miss}")
    if args.json:
        public = {p: {k: v for k, v in r.items() if not k.startswith("_")} for p, r in results.items()}
        args.json.write_text(json.dumps(public, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
