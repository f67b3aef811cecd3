"""Scoring extraction against gold made by reading (tests/fixtures/gold/dev), split by authority.

The gold names sentences, recommendations, quotes and paragraphs by their words, not by offsets:
each is found in the document's cleaned text (whitespace folded), and the extracted row whose span
covers it is the one scored. So a sentence the extractor splits differently still finds the row
holding most of it, and a gold item no row covers counts as wrong, never as skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ofsted_findings.evaluation.scores import Score, fold_quotes, normalise
from ofsted_findings.settings import MIN_COVER, SAME_RECOMMENDATION

Row = dict[str, Any]


@dataclass
class FoldedText:
    """A cleaned text with whitespace runs folded to one space, mapping offsets back."""

    folded: str
    origin: list[int]  # origin[i] = offset in the cleaned text of folded[i]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        chars: list[str] = []
        origin: list[int] = []
        space = False
        for i, c in enumerate(fold_quotes(text)):
            if c.isspace():
                if not space and chars:
                    chars.append(" ")
                    origin.append(i)
                space = True
                continue
            space = False
            chars.append(c)
            origin.append(i)
        return cls("".join(chars), origin)

    def find(self, phrase: str, start: int = 0) -> tuple[int, int] | None:
        """[start, end) in the cleaned text of `phrase`'s first occurrence, or None."""
        needle = normalise(phrase)
        at = self.folded.find(needle, start)
        if at < 0 or not needle:
            return None
        return self.origin[at], self.origin[at + len(needle) - 1] + 1


def read_jsonl(path: Path) -> list[Row]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Gold:
    """One folder of reading gold: its rows by kind and the authority split."""

    findings: list[Row]
    recommendations: list[Row]
    metrics: list[Row]
    paragraphs: list[Row]
    held_apart: frozenset[str]  # authorities kept out of development and training

    @classmethod
    def read(cls, folder: Path) -> Gold:
        split = json.loads((folder / "split.json").read_text(encoding="utf-8"))
        return cls(
            findings=read_jsonl(folder / "findings.jsonl"),
            recommendations=read_jsonl(folder / "recommendations.jsonl"),
            metrics=read_jsonl(folder / "metrics.jsonl"),
            paragraphs=read_jsonl(folder / "paragraphs.jsonl"),
            held_apart=frozenset(split["held_apart"]),
        )

    def files(self) -> list[str]:
        rows = self.findings + self.recommendations + self.metrics + self.paragraphs
        return sorted({r["file"] for r in rows})

    def part(self, file: str) -> str:
        return "held_apart" if authority_of(file) in self.held_apart else "dev"


def authority_of(file: str) -> str:
    """The authority slug a corpus file is named by ('bracknell-forest_2026-01-28.pdf')."""
    return re.split(r"[_.]", Path(file).name, maxsplit=1)[0]


@dataclass
class Extracted:
    """What the pipeline produced for one gold file."""

    text: str
    findings: list[Row] = field(default_factory=list)
    recommendations: list[Row] = field(default_factory=list)
    metrics: list[Row] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folded = FoldedText.of(self.text)


def covering_row(rows: Iterable[Row], span: tuple[int, int]) -> Row | None:
    """The row whose [start, end) overlaps `span` most, if it covers at least MIN_COVER of it."""
    a, b = span
    best, best_overlap = None, 0
    for row in rows:
        overlap = min(b, row["end"]) - max(a, row["start"])
        if overlap > best_overlap:
            best, best_overlap = row, overlap
    return best if best is not None and best_overlap >= MIN_COVER * (b - a) else None


class Tally(Score):
    """evaluation.Score, but a measure with nothing to count is NaN, not 1.0 (a part of the gold
    with no framework codes must not print a perfect score)."""

    @property
    def rate(self) -> float:
        return self.matched / self.total if self.total else float("nan")


@dataclass
class PRF:
    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_findings(gold: list[Row], got: dict[str, Extracted], predict=None) -> tuple[Tally, PRF]:
    """Polarity accuracy and theme micro P/R/F1 over the gold sentences.

    `predict(sentence, row) -> polarity` scores another classifier on the same sentences."""
    polarity, themes = Tally("polarity accuracy"), PRF("themes")
    for g in gold:
        polarity.total += 1
        doc = got.get(g["file"])
        span = doc.folded.find(g["sentence"]) if doc else None
        row = covering_row(doc.findings, span) if span else None
        label = predict(g["sentence"], row) if predict else (row["polarity"] if row else None)
        if label == g["polarity"]:
            polarity.matched += 1
        else:
            where = "not found" if span is None else ("no row" if row is None else "")
            polarity.misses.append(f"{g['polarity']} -> {label} {where}: {g['sentence'][:110]}")
        want, have = set(g["themes"]), set(row["themes"]) if row else set()
        themes.tp += len(want & have)
        themes.fp += len(have - want)
        themes.fn += len(want - have)
        if want != have:
            themes.misses.append(
                f"+{sorted(have - want)} -{sorted(want - have)}: {g['sentence'][:100]}"
            )
    return polarity, themes


def _similar(a: str, b: str) -> float:
    a, b = normalise(a).lower(), normalise(b).lower()
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


def score_recommendations(gold: list[Row], got: dict[str, Extracted]) -> tuple[PRF, Tally, Tally]:
    """Items found (P/R/F1, matched by text similarity), exact text among matched, and
    framework code among matched items that have one in the gold."""
    items, exact, codes = PRF("recommendations"), Tally("text exact"), Tally("framework code")
    by_file: dict[str, list[Row]] = {}
    for g in gold:
        by_file.setdefault(g["file"], []).append(g)
    for file, wanted in by_file.items():
        doc = got.get(file)
        have = list(doc.recommendations) if doc else []
        for g in wanted:
            best = max(have, key=lambda r: _similar(r["text"], g["text"]), default=None)
            if best is None or _similar(best["text"], g["text"]) < SAME_RECOMMENDATION:
                items.fn += 1
                items.misses.append(f"missed {file}: {g['text'][:100]}")
                continue
            have.remove(best)
            items.tp += 1
            exact.total += 1
            if normalise(best["text"]) == normalise(g["text"]):
                exact.matched += 1
            else:
                exact.misses.append(f"{file}: {best['text'][-60:]!r} != {g['text'][-60:]!r}")
            if g.get("framework_code"):
                codes.total += 1
                if best.get("framework_code") == g["framework_code"]:
                    codes.matched += 1
                else:
                    codes.misses.append(f"{file}: {best.get('framework_code')} != {g['framework_code']}")
        for r in have:
            items.fp += 1
            items.misses.append(f"extra {file}: {r['text'][:100]}")
    return items, exact, codes


# A paragraph of this purpose had its sentences' polarity and themes labelled, not its metrics.
FINDINGS_ONLY = "findings_only"
# Where each gold file keeps the text that must be found verbatim in the cleaned report.
GOLD_TEXTS = {"paragraphs": "text", "findings": "sentence", "recommendations": "text", "metrics": "quote"}


def gold_not_found(gold: Gold, got: dict[str, Extracted], part: str) -> list[str]:
    """Gold texts of `part` no longer found in their report's cleaned text: the gold was copied
    from the cleaned text, so a change of the cleaner can make it stale, and what is not found
    counts as missed (a drop that is not the extractors'). Reports not extracted are left out."""
    lost = []
    for name, key in GOLD_TEXTS.items():
        for r in getattr(gold, name):
            doc = got.get(r["file"])
            if gold.part(r["file"]) == part and doc is not None and doc.folded.find(r[key]) is None:
                lost.append(f"{name} {r['file']}: {r[key][:80]}")
    return lost


def _metric_matches(row: Row, g: Row, quote: tuple[int, int]) -> bool:
    overlaps = min(quote[1], row["end"]) > max(quote[0], row["start"])
    return overlaps and abs(float(row["value"]) - float(g["value"])) < 1e-9


def score_metrics(gold: list[Row], paragraphs: list[Row], got: dict[str, Extracted]) -> tuple[PRF, Tally]:
    """Precision over the extracted metrics inside the gold's paragraphs whose quantities were
    labelled (not those labelled for findings alone), recall over the gold's metrics (same value,
    evidence overlapping the quote), and `kind` among matched."""
    found, kinds = PRF("metrics"), Tally("metric kind")
    scope: dict[str, list[tuple[int, int]]] = {}
    for p in paragraphs:
        if p.get("purpose") == FINDINGS_ONLY:
            continue
        doc = got.get(p["file"])
        span = doc.folded.find(p["text"]) if doc else None
        if span:
            scope.setdefault(p["file"], []).append(span)
    by_file: dict[str, list[Row]] = {}
    for g in gold:
        by_file.setdefault(g["file"], []).append(g)
    for file, wanted in by_file.items():
        doc = got.get(file)
        if doc is None:
            found.fn += len(wanted)
            continue
        spans = scope.get(file, [])
        rows = [r for r in doc.metrics if any(a <= r["start"] and r["end"] <= b for a, b in spans)]
        used: set[int] = set()
        for g in wanted:
            quote = doc.folded.find(g["quote"])
            match = None
            if quote:
                match = next(
                    (i for i, r in enumerate(rows) if i not in used and _metric_matches(r, g, quote)), None
                )
            if match is None:
                found.fn += 1
                found.misses.append(f"missed {file}: {g['value']} {g['unit']}: {g['quote'][:80]}")
                continue
            used.add(match)
            found.tp += 1
            if "kind" in g and g["kind"]:
                kinds.total += 1
                if rows[match].get("kind", "value") == g["kind"]:
                    kinds.matched += 1
                else:
                    kinds.misses.append(f"{rows[match].get('kind')} != {g['kind']}: {g['quote'][:90]}")
        for i, r in enumerate(rows):
            if i not in used:
                found.fp += 1
                found.misses.append(f"extra {file}: {r['value']:g} {r['unit']}: {r['evidence'][:90]}")
    return found, kinds
