"""Polarity and themes of a findings sentence by linear models trained on gold made by reading.

The rules in findings.py read cue words; on reports nobody tuned them to they missed evaluations
with no stock cue and mistook words for topics. The models here weigh a sentence's words together
with the rules' own readings (their polarity and cue weights, the themes they gave and how) as
features, so they keep what the rules know and learn what they miss. Training (train.py,
scikit-learn) writes the weights to models/findings.json; predicting needs only this module, no
scikit-learn at run time, the same answer on every machine.

Features are named strings for training (`polarity_features`, `Candidates.features`); at run time
the weights are laid out by word and by theme so that a sentence costs one lookup a distinct word
(`Models.read`), and a test holds the two ways of scoring equal.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import NamedTuple

from ofsted_findings.extract import polarity as rules
from ofsted_findings.extract.themes import theme_scores

MODEL_FILE = "findings.json"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|%")
_DIGIT = re.compile(r"\d")
MAX_CUE_WEIGHT = 3  # the rules' cue weights, as features, are capped here


def words_of(sentence: str) -> set[str]:
    """The sentence's distinct lower-case words; every number is one word, <num>."""
    words = set(_WORD.findall(sentence.lower()))
    if _DIGIT.search(sentence):
        words.add("<num>")
    return words


@dataclass(frozen=True)
class RuleReading:
    """What the rules make of a sentence's polarity: their label and capped cue weights."""

    label: str
    positive: int
    negative: int
    contrast: bool

    @classmethod
    def of(cls, sentence: str) -> RuleReading:
        pos, neg, contrast = rules.polarity_scores(sentence)
        neutral_frame = rules.NEUTRAL_FRAMES.match(sentence.strip())
        label = "neutral" if neutral_frame else rules.polarity_of_scores(pos, neg, contrast)
        return cls(label, min(int(sum(pos)), MAX_CUE_WEIGHT), min(int(sum(neg)), MAX_CUE_WEIGHT), contrast)

    def features(self) -> list[str]:
        out = [f"rule:{self.label}", f"pos:{self.positive}", f"neg:{self.negative}"]
        return [*out, "contrast"] if self.contrast else out


def polarity_features(sentence: str) -> list[str]:
    """The sentence's words and the rules' reading of it, as named features."""
    return [*(f"w:{w}" for w in sorted(words_of(sentence))), *RuleReading.of(sentence).features()]


class Candidate(NamedTuple):
    """A theme the rules gave a sentence (at rank `rank` of their list) or its own words name
    (`hits` keyword hits; 0 when it came from the paragraph's context)."""

    code: str
    rank: int | None
    hits: int

    def features(self) -> list[str]:
        out = [f"theme:{self.code}", "bias"]
        if self.rank is not None:
            out.append(f"rule_rank:{self.rank}")
        if self.hits:
            out += [f"own:{min(self.hits, MAX_CUE_WEIGHT)}", f"theme:{self.code}|own"]
        else:
            out.append(f"theme:{self.code}|context")
        return out


def theme_candidates(sentence: str, rule_themes: Sequence[str]) -> list[Candidate]:
    """Each theme the rules gave the sentence or its own words name, in that order."""
    own = theme_scores(sentence)
    codes = dict.fromkeys([*rule_themes, *own])
    return [
        Candidate(
            code,
            rule_themes.index(code) if code in rule_themes else None,
            int(own[code][0]) if code in own else 0,
        )
        for code in codes
    ]


def candidate_features(candidate: Candidate, words: set[str]) -> list[str]:
    """Every feature of one candidate theme: how the rules came to it, and the sentence's words,
    on their own ("w:…") and seen through the theme ("theme:…|w:…": a word that signals a theme
    in one sentence, e.g. "assessment", does not in another)."""
    code = candidate.code
    ordered = sorted(words)
    return [*candidate.features(), *(f"theme:{code}|w:{w}" for w in ordered), *(f"w:{w}" for w in ordered)]


def linear_scores(
    weights: dict[str, Sequence[float]], intercepts: Sequence[float], features: list[str]
) -> list[float]:
    """Scores of a linear model given its weights by feature name (the trainer's view)."""
    known = [weights[f] for f in sorted(set(features)) if f in weights]
    return [math.fsum((b, *(w[i] for w in known))) for i, b in enumerate(intercepts)]


@dataclass(frozen=True)
class PolarityModel:
    """Multinomial weights, a tuple of one weight a class for each word (w:…) and for each rule
    reading (its features' weights summed once and kept)."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    by_word: dict[str, tuple[float, ...]]
    other: dict[str, tuple[float, ...]]
    memo: dict[RuleReading, tuple[float, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: dict) -> PolarityModel:
        by_word, other = {}, {}
        for name, weights in data["weights"].items():
            (by_word if name.startswith("w:") else other)[name.removeprefix("w:")] = tuple(weights)
        return cls(tuple(data["classes"]), tuple(data["intercepts"]), by_word, other)

    def read(self, words: set[str], reading: RuleReading) -> tuple[str, float]:
        """The most probable class and its probability."""
        by_word = self.by_word
        rows = [by_word[w] for w in words if w in by_word]
        rows += (self.intercepts, self._rule_weights(reading))
        # math.fsum: exactly rounded, so the order of a set's words (which varies with Python's
        # string hashing from process to process) cannot change the last bit of a score
        scores = [math.fsum(column) for column in zip(*rows, strict=True)]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        best = scores.index(top)
        return self.classes[best], exp[best] / sum(exp)

    def _rule_weights(self, reading: RuleReading) -> tuple[float, ...]:
        weights = self.memo.get(reading)
        if weights is None:
            rows = [self.other[f] for f in reading.features() if f in self.other]
            rows = rows or [(0.0,) * len(self.classes)]
            weights = self.memo[reading] = tuple(math.fsum(c) for c in zip(*rows, strict=True))
        return weights


@dataclass(frozen=True)
class ThemeModel:
    """The binary candidate-theme model laid out for scoring a sentence's candidates together:
    the words' own weights are summed once a sentence, each theme's view of them only over the
    words that theme knows."""

    intercept: float
    other: dict[str, float]  # a candidate's own features (theme:…, own:…, rule_rank:…, bias)
    common: dict[str, float]  # w:word
    by_theme: dict[str, dict[str, float]]  # theme:code|w:word
    memo: dict[tuple, float] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: dict) -> ThemeModel:
        other: dict[str, float] = {}
        common: dict[str, float] = {}
        by_theme: dict[str, dict[str, float]] = {}
        for name, (weight,) in data["weights"].items():
            if name.startswith("w:"):
                common[name[2:]] = weight
            elif name.startswith("theme:") and "|w:" in name:
                code, word = name[6:].split("|w:", 1)
                by_theme.setdefault(code, {})[word] = weight
            else:
                other[name] = weight
        return cls(data["intercepts"][0], other, common, by_theme)

    def probabilities(self, candidates: list[Candidate], words: set[str]) -> dict[str, float]:
        # math.fsum, as in PolarityModel.read: the same score whatever order a set gives
        common = self.common
        base = math.fsum([self.intercept, *[common[w] for w in words if w in common]])
        out = {}
        for candidate in candidates:
            mine = self.by_theme.get(candidate.code)
            seen = math.fsum([mine[w] for w in words if w in mine]) if mine else 0.0
            score = math.fsum((base, seen, self._own(candidate)))
            out[candidate.code] = 1 / (1 + math.exp(-score))
        return out

    def _own(self, candidate: Candidate) -> float:
        """The weight of a candidate's own features (few kinds of candidate: memoised)."""
        key = (candidate.code, candidate.rank, min(candidate.hits, MAX_CUE_WEIGHT))
        weight = self.memo.get(key)
        if weight is None:
            weight = self.memo[key] = math.fsum(self.other.get(f, 0.0) for f in candidate.features())
        return weight


@dataclass(frozen=True)
class FindingModels:
    polarity: PolarityModel
    themes: ThemeModel  # does a candidate theme (theme_candidates) apply?
    theme_threshold: float
    max_themes: int

    def read(self, sentence: str, rule_themes: Sequence[str]) -> tuple[str, float, list[str]]:
        """The most probable polarity, its probability, and the candidate themes whose
        probability reaches the threshold, most probable first."""
        words = words_of(sentence)
        polarity, confidence = self.polarity.read(words, RuleReading.of(sentence))
        probabilities = self.themes.probabilities(theme_candidates(sentence, rule_themes), words)
        kept = sorted((-p, code) for code, p in probabilities.items() if p >= self.theme_threshold)
        return polarity, confidence, [code for _, code in kept[: self.max_themes]]


def models_from_json(data: dict) -> FindingModels:
    return FindingModels(
        polarity=PolarityModel.from_json(data["polarity"]),
        themes=ThemeModel.from_json(data["themes"]),
        theme_threshold=data["theme_threshold"],
        max_themes=data["max_themes"],
    )


@cache
def shipped_models() -> FindingModels | None:
    """The models shipped in the package, or None when none has been trained."""
    path = resources.files("ofsted_findings.extract") / "models" / MODEL_FILE
    if not path.is_file():
        return None
    return models_from_json(json.loads(path.read_text(encoding="utf-8")))
