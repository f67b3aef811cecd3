"""Scoring extracted tables against hand-checked gold (the layout of tests/fixtures/gold/seeds):
shared by the gold tests and the eval/ scripts, so both measure the same way."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ofsted_findings.models import Row


def fold_quotes(text: str) -> str:
    """Typographic quotes as straight ones (one character for one: offsets are kept)."""
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(a, b)
    return text


def normalise(text: str) -> str:
    """Whitespace and typographic quotes folded, for matching quotes to evidence."""
    return " ".join(fold_quotes(text).split())


def read_gold(folder: Path) -> dict[str, list[Row]]:
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            out[path.stem] = [json.loads(line) for line in fh if line.strip()]
    return out


@dataclass
class Score:
    name: str
    matched: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.matched / self.total if self.total else 1.0

    def line(self) -> str:
        return f"{self.name}: {self.rate:.3f} ({self.matched}/{self.total})"


def with_source(frames: dict[str, pd.DataFrame], table: str) -> pd.DataFrame:
    docs = frames["documents"][["document_id", "source_path"]]
    return frames[table].merge(docs, on="document_id")


def polarity_accuracy(
    findings: pd.DataFrame, gold: list[Row], source_of: dict[str, str], predict=None
) -> Score:
    """Share of gold sentences found with the gold polarity (a sentence not found is wrong).

    `predict(sentence) -> polarity` scores another classifier on the same sentences instead.
    """
    index = {(r.source_path, normalise(r.text)): r for r in findings.itertuples()}
    score = Score("polarity accuracy" if predict is None else "baseline polarity accuracy")
    for g in gold:
        score.total += 1
        row = index.get((source_of[g["file"]], normalise(g["sentence"])))
        got = predict(g["sentence"]) if predict else (row.polarity if row is not None else None)
        if got == g["polarity"]:
            score.matched += 1
        else:
            score.misses.append(f"{g['polarity']} != {got}: {g['sentence'][:100]}")
    return score


def theme_f1(
    findings: pd.DataFrame, gold: list[Row], source_of: dict[str, str]
) -> tuple[float, float, float]:
    """Micro precision, recall and F1 of themes over the gold sentences."""
    index = {(r.source_path, normalise(r.text)): r for r in findings.itertuples()}
    tp = fp = fn = 0
    for g in gold:
        row = index.get((source_of[g["file"]], normalise(g["sentence"])))
        got = set(row.themes) if row is not None else set()
        want = set(g["themes"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _metric_matches(row, g: Row) -> bool:
    quote, evidence = normalise(g["quote"]), normalise(row.evidence)
    qualifier = row.qualifier if isinstance(row.qualifier, str) else None
    return (
        (quote in evidence or evidence in quote)
        and abs(row.value - g["value"]) < 1e-9
        and qualifier == g["qualifier"]
    )


def metrics_precision_recall(
    metrics: pd.DataFrame, gold: list[Row], source_of: dict[str, str]
) -> tuple[Score, Score]:
    """Precision over extracted rows and recall over gold rows (value, qualifier, overlapping quote)."""
    by_source: dict[str, list[Row]] = {}
    for g in gold:
        by_source.setdefault(source_of[g["file"]], []).append(g)
    precision, recall = Score("metrics precision"), Score("metrics recall")
    for r in metrics.itertuples():
        precision.total += 1
        if any(_metric_matches(r, g) for g in by_source.get(r.source_path, [])):
            precision.matched += 1
        else:
            precision.misses.append(f"extra: {r.value:g} {r.unit} {r.qualifier}: {r.evidence[:90]}")
    for g in gold:
        recall.total += 1
        rows = metrics[metrics.source_path == source_of[g["file"]]]
        if any(_metric_matches(r, g) for r in rows.itertuples()):
            recall.matched += 1
        else:
            recall.misses.append(f"missed: {g['value']} {g['unit']} {g['qualifier']}: {g['quote'][:90]}")
    return precision, recall
