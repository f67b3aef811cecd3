"""Accuracy of findings (polarity, themes) and metrics against hand-checked gold, with a
lexicon-sentiment baseline (VADER) on the same sentences so the gain is visible.

    python eval/seed_accuracy.py --raw raw --gold tests/fixtures/gold/seeds \
        [--files tests/fixtures/gold/seeds/files.csv]

Gold layout: documents/judgements/recommendations/metrics/findings_sample .jsonl whose "file"
names a file in --raw (or a row of --files mapping gold_file -> source_path).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from ofsted_findings.evaluation.scores import (
    metrics_precision_recall,
    polarity_accuracy,
    read_gold,
    theme_f1,
    with_source,
)
from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files

# VADER compound score cut-offs (its authors' recommendation), mapped to our labels.
VADER_POSITIVE, VADER_NEGATIVE = 0.05, -0.05


def vader_predictor():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()

    def predict(sentence: str) -> str:
        scores = analyzer.polarity_scores(sentence)
        if scores["pos"] > 0.1 and scores["neg"] > 0.1:
            return "mixed"
        if scores["compound"] >= VADER_POSITIVE:
            return "strength"
        if scores["compound"] <= VADER_NEGATIVE:
            return "weakness"
        return "neutral"

    return predict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--files", type=Path, help="CSV gold_file,source_path (default: same names)")
    parser.add_argument("--show", type=int, default=10, help="disagreements to print per measure")
    args = parser.parse_args(argv)

    gold = read_gold(args.gold)
    if args.files:
        with args.files.open(encoding="utf-8") as fh:
            source_of = {r["gold_file"]: r["source_path"] for r in csv.DictReader(fh)}
    else:
        source_of = {g["file"]: g["file"] for rows in gold.values() for g in rows}
    started = time.perf_counter()
    # only the files the gold covers: the raw folder may hold other documents (the sample's PDFs)
    covered = set(source_of.values())
    paths = [p for p in list_raw(args.raw) if p.relative_to(args.raw.resolve()).as_posix() in covered]
    frames = build_and_validate(process_files(args.raw, paths)).frames
    seconds = time.perf_counter() - started
    findings, metrics = with_source(frames, "findings"), with_source(frames, "metrics")

    print(f"pipeline on {args.raw}: {len(frames['documents'])} documents in {seconds:.1f} s")
    scores = []
    if "findings_sample" in gold:
        sample = gold["findings_sample"]
        ours = polarity_accuracy(findings, sample, source_of)
        scores.append(ours)
        predict = vader_predictor()
        baseline = polarity_accuracy(findings, sample, source_of, predict) if predict else None
        p, r, f1 = theme_f1(findings, sample, source_of)
        print(ours.line())
        print(baseline.line() + "  [VADER lexicon]" if baseline else "baseline: vaderSentiment not installed")
        print(f"theme micro-precision {p:.3f}, recall {r:.3f}, F1 {f1:.3f} ({len(sample)} sentences)")
    if "metrics" in gold:
        precision, recall = metrics_precision_recall(metrics, gold["metrics"], source_of)
        scores += [precision, recall]
        print(precision.line())
        print(recall.line())
    for score in scores:
        for miss in score.misses[: args.show]:
            print(f"  [{score.name}] {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
