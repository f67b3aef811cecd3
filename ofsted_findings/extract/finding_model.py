"""Polarity and themes of a findings sentence by linear models trained on gold made by reading.

The rules in findings.py read cue words; on reports nobody tuned them to they missed evaluations
with no stock cue and mistook words for topics. The models here weigh a sentence's words together
with the rules' own readings (their polarity and cue weights, the themes they gave and how) as
features, so they keep what the rules know and learn what they miss. Training (train.py,
scikit-learn) writes the weights to models/findings.json.gz; predicting needs only this module, no
scikit-learn at run time, the same answer on every machine.

Features are named strings for training (`polarity_features`, `Candidates.features`); at run time
the weights are laid out by word and by theme so that a sentence costs one lookup a distinct word
(`Models.read`), and a test holds the two ways of scoring equal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ofsted_findings.extract import MODEL_FILE, decode_models, model_cache, shipped_model_file  # noqa: F401 - MODEL_FILE re-exported
from ofsted_findings.extract import polarity as rules
from ofsted_findings.extract.themes import load_themes, theme_scores
from ofsted_findings.settings import NEGATION_WINDOW

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|%")
_DIGIT = re.compile(r"\d")
MAX_CUE_WEIGHT = 3  # the rules' cue weights, as features, are capped here


def words_of(sentence: str) -> set[str]:
    """The sentence's distinct lower-case words; every number is one word, <num>."""
    words = set(_WORD.findall(sentence.lower()))
    if _DIGIT.search(sentence):
        words.add("<num>")
    return words


# A negation turns the words after it, to the end of its reach, into words of their own
# ("cannot be assured that children are safe": n:assured, n:safe), so that the model can learn
# that "safe" after "cannot" is no praise. Words hold no ":", so these never meet a word. The
# reach is the rules' (polarity.py): their one-word negators open it; their clause punctuation,
# contrast words and one-word negation stops close it, and it spans at most NEGATION_WINDOW words.
NEGATED = "n:"
_ONE_WORD = re.compile(r"[a-z]+")
_NEGATOR = frozenset(p for p, _ in rules.NEGATORS if _ONE_WORD.fullmatch(p))
_CLAUSE_END = frozenset(
    w for w in (*rules.CONTRAST_SUBORDINATORS, *rules.CONTRAST_COORDINATORS) if _ONE_WORD.fullmatch(w)
)
_CLAUSE_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[,;:()]")


def negated_words(sentence: str) -> set[str]:
    """The sentence's words in the reach of a negation, each as NEGATED + word."""
    low = sentence.lower()
    return _negated(low, _WORD.findall(low))


def _negated(low: str, words: list[str]) -> set[str]:
    """negated_words of a lower-cased sentence whose _WORD words are `words` (most sentences
    have no negation, settled by a set lookup and two substring searches)."""
    if _NEGATOR.isdisjoint(words) and "n't" not in low and "n’t" not in low:
        return set()
    out: set[str] = set()
    left = 0  # words the open negation still reaches
    for token in _CLAUSE_TOKEN.findall(low.replace("’", "'")):
        if token in _NEGATOR or token.endswith("n't"):
            left = NEGATION_WINDOW
        elif not token[0].isalpha() or token in _CLAUSE_END or rules.NEGATION_STOPS.fullmatch(token):
            left = 0
        elif left:
            out.add(NEGATED + token)
            left -= 1
    return out


def polarity_words(sentence: str) -> set[str]:
    """What the polarity model weighs of a sentence's words: words_of, and its negated words."""
    return words_of(sentence) | negated_words(sentence)


# The rules' polarity reading of a sentence as a plain tuple: label, capped positive and negative
# cue weights, contrast (RuleReading's fields).
RuleFields = tuple[str, int, int, bool]


def rule_fields(sentence: str) -> RuleFields:
    """The rules' reading of a sentence's polarity as a plain tuple (RuleReading's fields): the
    fused reader keys its memo on it without building an object a sentence."""
    pos, neg, contrast = rules.polarity_scores(sentence)
    neutral_frame = rules.NEUTRAL_FRAMES.match(sentence.strip())
    label = "neutral" if neutral_frame else rules.polarity_of_scores(pos, neg, contrast)
    return label, min(int(sum(pos)), MAX_CUE_WEIGHT), min(int(sum(neg)), MAX_CUE_WEIGHT), contrast


@dataclass(frozen=True)
class RuleReading:
    """What the rules make of a sentence's polarity: their label and capped cue weights."""

    label: str
    positive: int
    negative: int
    contrast: bool

    @classmethod
    def of(cls, sentence: str) -> RuleReading:
        return cls(*rule_fields(sentence))

    def features(self, context: PolarityContext | None = None) -> list[str]:
        """The reading's features, and its context's (PolarityContext.features)."""
        out = [f"rule:{self.label}", f"pos:{self.positive}", f"neg:{self.negative}"]
        if self.contrast:
            out.append("contrast")
        if context is not None:
            out += context.features(self.label)
        return out


class PolarityContext(NamedTuple):
    """What a sentence's polarity is read against beyond its own words: the rules' polarity of
    the sentences either side of it in its paragraph ("none" at an end), and the grade the
    inspection gave the judgement its section is about (judgement_grade; None when the document
    gives none). Readers take a sentence with no cue of its own in the sense of its neighbours (a
    paragraph of praise goes on praising: "Children's experiences shine through the plans"), and
    read a plain statement in a section graded inadequate differently from one graded good."""

    prev: str
    next: str
    grade: str | None = None

    def features(self, own_label: str) -> list[str]:
        """The neighbours for a sentence the rules read as neutral (one with cues of its own goes
        by them), the grade for every sentence."""
        out = [f"ctx:prev={self.prev}", f"ctx:next={self.next}"] if own_label == "neutral" else []
        return [*out, f"grade:{self.grade}"] if self.grade else out


def polarity_contexts(labels: Sequence[str], grade: str | None = None) -> list[PolarityContext]:
    """The PolarityContext of each sentence of a paragraph whose sentences the rules read as
    `labels`, in a section whose judgement was graded `grade`."""
    padded = ["none", *labels, "none"]
    return [PolarityContext(padded[k], padded[k + 2], grade) for k in range(len(labels))]


def judgement_grade(grades: Mapping[str, str], section: str | None) -> str | None:
    """The grade of the judgement a section is about (a judgement section's code is its area's
    code: help_and_protection, care_leavers, ...), else the overall effectiveness grade; None for
    a document with no grades of its own (letters, focused visits)."""
    return grades.get(section or "") or grades.get("overall_effectiveness")


def polarity_features(sentence: str, context: PolarityContext | None = None) -> list[str]:
    """The sentence's words, the rules' reading of it and (given) its context, as named features."""
    words = [f"w:{w}" for w in sorted(polarity_words(sentence))]
    return [*words, *RuleReading.of(sentence).features(context)]


class Candidate(NamedTuple):
    """A theme the rules gave a sentence (at rank `rank` of their list; None if not theirs), its
    own words name (`hits` keyword hits; 0 if they name none), only another sentence of its
    paragraph names (rank None and no hits), or nothing names (`named` False: every theme is a
    candidate, weighed by the theme's view of the sentence's words and its section)."""

    code: str
    rank: int | None
    hits: int
    named: bool = True

    def features(self) -> list[str]:
        out = [f"theme:{self.code}", "bias"]
        if not self.named:
            return [*out, "none", f"theme:{self.code}|none"]
        if self.rank is not None:
            out.append(f"rule_rank:{self.rank}")
        if self.hits:
            out += [f"own:{min(self.hits, MAX_CUE_WEIGHT)}", f"theme:{self.code}|own"]
        else:
            out.append(f"theme:{self.code}|context")
            if self.rank is None:  # only another sentence of the paragraph names it
                out += ["extra", f"theme:{self.code}|extra"]
        return out


def _share(n: int, others: int) -> float | None:
    """What share of a paragraph's other sentences name a theme, in quarters (None for a
    paragraph of one sentence)."""
    return round(n / others * 4) / 4 if others else None


class ContextKey(NamedTuple):
    """All that a candidate theme's paragraph-context features depend on (the reader weighs each
    key once): the theme, whether the sentence before, the one after and the paragraph's first
    name it, how many other sentences do (capped) and what share of them (in quarters)."""

    code: str
    prev: bool
    next: bool
    first: bool
    count: int
    share: float | None  # None for a paragraph of one sentence
    section: str

    def features(self) -> list[str]:
        """The context features, as the trainer names them."""
        code = self.code
        out = []
        if self.prev:
            out += ["ctx:prev", f"theme:{code}|ctx:prev"]
        if self.next:
            out += ["ctx:next", f"theme:{code}|ctx:next"]
        if self.first:
            out.append("ctx:first")
        out.append(f"ctx:n={self.count}")
        if self.share is not None:
            out.append(f"ctx:frac={self.share}")
        out.append(f"sec:{self.section}|theme:{code}")
        return out


class ThemeContext(NamedTuple):
    """What the rest of a sentence's paragraph says of themes (readers label a sentence with its
    paragraph's topic): the themes the sentence before, the one after and the paragraph's first
    name by keyword, how many of the other sentences name each, and the section."""

    named: tuple[str, ...]  # themes the other sentences name, in paragraph order
    prev: frozenset[str]
    next: frozenset[str]
    first: frozenset[str]  # empty for the first sentence itself
    counts: dict[str, int]  # theme -> how many of the other sentences name it
    others: int  # the paragraph's other sentences
    section: str

    def key(self, code: str) -> ContextKey:
        n = self.counts.get(code, 0)
        share = _share(n, self.others)
        return ContextKey(
            code, code in self.prev, code in self.next, code in self.first, min(n, MAX_CUE_WEIGHT), share,
            self.section,
        )  # fmt: skip

    def features(self, code: str) -> list[str]:
        """The candidate theme `code`'s paragraph-context features."""
        return self.key(code).features()


_NO_THEMES: frozenset[str] = frozenset()


def paragraph_contexts(sentences: Sequence[str], section: str | None) -> list[ThemeContext]:
    """The ThemeContext of each sentence of one paragraph."""
    named = [theme_scores(s) for s in sentences]  # dicts: the themes in the order they are named
    sets = [frozenset(codes) for codes in named]
    total: dict[str, int] = {}
    for codes in named:
        for code in codes:
            total[code] = total.get(code, 0) + 1
    out = []
    for k, mine in enumerate(sets):
        others = named[:k] + named[k + 1 :]
        counts = {code: n - 1 if code in mine else n for code, n in total.items()}
        out.append(
            ThemeContext(
                named=tuple(dict.fromkeys(code for codes in others for code in codes)),
                prev=sets[k - 1] if k > 0 else _NO_THEMES,
                next=sets[k + 1] if k + 1 < len(sets) else _NO_THEMES,
                first=sets[0] if k > 0 else _NO_THEMES,
                counts={code: n for code, n in counts.items() if n},
                others=len(others),
                section=section or "",
            )
        )
    return out


class ParagraphContexts(NamedTuple):
    """What each sentence of one paragraph is read with beyond its own words, built in this one
    place for the trainer (train.training_sentences) and the reader (read_paragraph) alike."""

    rules: list[RuleFields]  # the rules' polarity reading of each sentence
    themes: list[ThemeContext]
    polarity: list[PolarityContext]

    @classmethod
    def of(cls, sentences: Sequence[str], section: str | None, grade: str | None) -> ParagraphContexts:
        """The contexts of a paragraph's sentences in `section`, whose judgement was graded
        `grade` (judgement_grade)."""
        readings = [rule_fields(s) for s in sentences]
        around = polarity_contexts([label for label, *_ in readings], grade)
        return cls(readings, paragraph_contexts(sentences, section), around)


@cache
def theme_codes() -> tuple[str, ...]:
    """Every theme of the taxonomy (reference/themes.csv), in its order."""
    return tuple(t.code for t in load_themes())


def theme_candidates(
    sentence: str, rule_themes: Sequence[str], context: ThemeContext | None = None
) -> list[Candidate]:
    """Each theme the rules gave the sentence, its own words name or (with its paragraph's
    context) another sentence of its paragraph names, in that order; then every other theme,
    named by nothing (readers tag topics no keyword names: ~9% of the gold's themes)."""
    own = theme_scores(sentence)
    codes = dict.fromkeys([*rule_themes, *own, *(context.named if context is not None else ())])
    named = [
        Candidate(
            code,
            rule_themes.index(code) if code in rule_themes else None,
            int(own[code][0]) if code in own else 0,
        )
        for code in codes
    ]
    return named + [Candidate(code, None, 0, named=False) for code in theme_codes() if code not in codes]


def candidate_features(
    candidate: Candidate, words: set[str], context: ThemeContext | None = None
) -> list[str]:
    """Every feature of one candidate theme: how the rules came to it, the sentence's words,
    on their own ("w:…") and seen through the theme ("theme:…|w:…": a word that signals a theme
    in one sentence, e.g. "assessment", does not in another), and its paragraph's context."""
    code = candidate.code
    ordered = sorted(words)
    around = context.features(code) if context is not None else []
    seen = [f"theme:{code}|w:{w}" for w in ordered]
    return [*candidate.features(), *around, *seen, *(f"w:{w}" for w in ordered)]


def linear_scores(
    weights: dict[str, Sequence[float]], intercepts: Sequence[float], features: list[str]
) -> list[float]:
    """Scores of a linear model given its weights by feature name (the trainer's view)."""
    known = [weights[f] for f in sorted(set(features)) if f in weights]
    return [math.fsum((b, *(w[i] for w in known))) for i, b in enumerate(intercepts)]


# A sentence's score is a sum of float weights. Summed in a float, the last bit would depend on
# the order of the words, which follows Python's string hashing and changes from process to
# process; so weights are summed exactly, as integers: every weight of the file is a float that
# is an exact integer multiple of 2**-scale, and a word's weights for every class and theme are
# packed into one integer (a field each), so a sentence's scores are one `sum` of a few ints.
# Each field holds its weight plus a bias that keeps it non-negative, so fields never borrow
# from one another; bits above a field's largest term leave room to add up as many terms as
# there are words with weights (a sentence's terms are distinct words of them, the most there
# can be), and no more: the narrower the fields, the cheaper a sentence's sum.


def _scale_bits(values: Sequence[float]) -> int:
    """The smallest k for which every value times 2**k is an integer (a float's denominator is
    a power of two: the largest one's exponent)."""
    return max((d for _, d in map(float.as_integer_ratio, values)), default=1).bit_length() - 1


def _exact_float(total: int, scale: int) -> float:
    """total / 2**scale correctly rounded (int true division is), as math.fsum of the same
    weights would give."""
    return total / (1 << scale)


@dataclass(frozen=True)
class PackedWeights:
    """Weights by word, packed: field k of word w holds (weight of w for field k) * 2**scale + bias."""

    scale: int
    width: int  # bits a field
    bias: int
    by_word: dict[str, int]

    @classmethod
    def pack(cls, columns: Sequence[dict[str, float]]) -> PackedWeights:
        values = [w for column in columns for w in column.values()]
        scale = _scale_bits(values)
        unit = 1 << scale  # w * unit is exact: w is a multiple of 1 / unit
        largest = int(max(map(abs, values), default=0.0) * unit)
        bias = 1 << largest.bit_length()
        words = sorted({w for column in columns for w in column})
        width = bias.bit_length() + 1 + len(words).bit_length()
        # every field at its bias, then each weight added into its field: bias + weight * unit
        # lies in [0, 2 * bias), inside the field, so the sums never reach a neighbouring field
        by_word = dict.fromkeys(words, sum(bias << (k * width) for k in range(len(columns))))
        for k, column in enumerate(columns):
            shift = k * width
            for word, w in column.items():
                by_word[word] += int(w * unit) << shift
        return cls(scale, width, bias, by_word)

    def sums(self, words: set[str]) -> tuple[int, int]:
        """The packed sum of the weights of `words` and how many words had weights."""
        by_word = self.by_word
        rows = [by_word[w] for w in words if w in by_word]
        return sum(rows), len(rows)

    def field(self, total: int, count: int, k: int) -> int:
        """Field k of a packed sum of `count` words: the exact sum of their weights times 2**scale."""
        return ((total >> (k * self.width)) & ((1 << self.width) - 1)) - count * self.bias


@dataclass(frozen=True)
class PolarityModel:
    """Multinomial weights: one weight a class for each word (w:…), packed (PackedWeights), and
    for each rule reading (its features' weights summed once and kept)."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    other: dict[str, tuple[float, ...]]
    memo: dict[tuple[RuleReading, PolarityContext | None], tuple[int, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def from_json(cls, data: dict) -> tuple[PolarityModel, list[dict[str, float]]]:
        """The model and its word weights, a column a class (for packing)."""
        columns: list[dict[str, float]] = [{} for _ in data["classes"]]
        other = {}
        for name, weights in data["weights"].items():
            if name.startswith("w:"):
                for column, w in zip(columns, weights, strict=True):
                    if w:
                        column[name[2:]] = w
            else:
                other[name] = tuple(weights)
        return cls(tuple(data["classes"]), tuple(data["intercepts"]), other), columns

    def read(
        self,
        packed: PackedWeights,
        total: int,
        count: int,
        reading: RuleReading,
        context: PolarityContext | None = None,
    ) -> tuple[str, float]:
        """The most probable class and its probability, from the packed sum of the sentence's
        words (fields 0.. are the classes), the rules' reading and its neighbours' (`context`)."""
        scale = packed.scale
        fixed = self._fixed(reading, scale, context)
        scores = [
            _exact_float(packed.field(total, count, k) + fixed[k], scale) for k in range(len(self.classes))
        ]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        best = scores.index(top)
        return self.classes[best], exp[best] / sum(exp)

    def _fixed(
        self, reading: RuleReading, scale: int, context: PolarityContext | None = None
    ) -> tuple[int, ...]:
        """The intercepts and the weights of the rule reading and its context (summed once, as a
        float: the scores the trainer's view gives), times 2**scale."""
        key = (reading, context)
        weights = self.memo.get(key)
        if weights is None:
            rows = [self.other[f] for f in reading.features(context) if f in self.other]
            rows = rows or [(0.0,) * len(self.classes)]
            rule = [math.fsum(c) for c in zip(*rows, strict=True)]
            weights = self.memo[key] = tuple(
                _fixed_point(b, scale) + _fixed_point(r, scale)
                for b, r in zip(self.intercepts, rule, strict=True)
            )
        return weights


def _fixed_point(value: float, scale: int) -> int:
    """value * 2**scale, exactly (every weight, and every float sum of weights, is a multiple
    of 2**-scale: a float sum rounds to a coarser multiple, never a finer one)."""
    num, den = value.as_integer_ratio()
    if (num << scale) % den:
        raise ValueError(f"{value!r} is not a multiple of 2**-{scale}")
    return (num << scale) // den


@dataclass(frozen=True)
class ThemeModel:
    """The binary candidate-theme model: a word's own weight (w:…) and each theme's view of it
    (theme:code|w:…) are fields of the packed weights; a candidate's own features
    (theme:…, own:…, rule_rank:…, bias) weigh the same for every candidate of the same kind."""

    intercept: float
    other: dict[str, float]
    fields: dict[str, int]  # theme code -> its field in the packed weights
    common: int  # the field of the words' own weights
    memo: dict[tuple, float] = field(default_factory=dict, compare=False, repr=False)
    around_memo: dict[ContextKey, float] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: dict, first_field: int) -> tuple[ThemeModel, list[dict[str, float]]]:
        """The model and its word weights as columns: the words' own first, then a theme each,
        their fields numbered from `first_field`."""
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
        codes = sorted(by_theme)
        fields = {code: first_field + 1 + i for i, code in enumerate(codes)}
        model = cls(data["intercepts"][0], other, fields, first_field)
        return model, [common, *(by_theme[c] for c in codes)]

    def probabilities(
        self,
        packed: PackedWeights,
        total: int,
        count: int,
        candidates: list[Candidate],
        context: ThemeContext | None = None,
    ) -> dict[str, float]:
        """Each candidate's probability from the packed sum of the sentence's words. Three floats
        are added with math.fsum: the words' own weights with the intercept, the theme's view of
        the words, and `fixed` (the candidate's own features with its paragraph context's)."""
        scale = packed.scale
        base = _exact_float(packed.field(total, count, self.common) + self._intercept(scale), scale)
        out = {}
        for candidate in candidates:
            k = self.fields.get(candidate.code)
            seen = 0.0 if k is None else _exact_float(packed.field(total, count, k), scale)
            score = math.fsum((base, seen, self.fixed(candidate, context)))
            out[candidate.code] = 1 / (1 + math.exp(-score))
        return out

    def fixed(self, candidate: Candidate, context: ThemeContext | None) -> float:
        """The weight of a candidate's own features and its paragraph context's, together."""
        return math.fsum((self._own(candidate), self.around(context, candidate.code)))

    def around(self, context: ThemeContext | None, code: str) -> float:
        """The weight of a candidate's paragraph-context features (0 without a context)."""
        if context is None:
            return 0.0
        key = context.key(code)
        weight = self.around_memo.get(key)
        if weight is None:
            other = self.other
            weight = self.around_memo[key] = math.fsum(other.get(f, 0.0) for f in key.features())
        return weight

    def _intercept(self, scale: int) -> int:
        return _fixed_point(self.intercept, scale)

    def _own(self, candidate: Candidate) -> float:
        """The weight of a candidate's own features (few kinds of candidate: memoised)."""
        key = (candidate.code, candidate.rank, min(candidate.hits, MAX_CUE_WEIGHT), candidate.named)
        weight = self.memo.get(key)
        if weight is None:
            weight = self.memo[key] = math.fsum(self.other.get(f, 0.0) for f in candidate.features())
        return weight


@dataclass(frozen=True)
class FindingModels:
    polarity: PolarityModel
    themes: ThemeModel  # does a candidate theme (theme_candidates) apply?
    packed: PackedWeights  # the word weights of both models
    theme_threshold: float
    max_themes: int
    # what `read` looks up for every sentence, laid out once (see _Reader)
    reader: _Reader = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reader", _Reader(self))

    def read(
        self,
        sentence: str,
        rule_themes: Sequence[str],
        context: ThemeContext | None = None,
        polarity_context: PolarityContext | None = None,
    ) -> tuple[str, float, list[str]]:
        """The most probable polarity, its probability, and the candidate themes whose
        probability reaches the threshold, most probable first (`context`: what the rest of the
        sentence's paragraph says of themes, paragraph_contexts; `polarity_context`: its
        neighbours' rule reading and its section's grade, PolarityContext). The models were
        trained with both for every sentence: None is not a paragraph of one sentence (that is
        read_paragraph([sentence], …)) but the scores without the context weights."""
        return self.reader.read(sentence, rule_themes, context, polarity_context)

    def read_paragraph(
        self,
        sentences: Sequence[str],
        rule_themes: Sequence[Sequence[str]],
        section: str | None,
        grade: str | None = None,
    ) -> list[tuple[str, float, list[str]]]:
        """`read` of every sentence of one paragraph, each in its paragraph's contexts (`grade`:
        judgement_grade of the paragraph's section)."""
        reader = self.reader
        contexts = ParagraphContexts.of(sentences, section, grade)
        return [
            reader.read(s, codes, context, polarity_context, key)
            for s, codes, context, polarity_context, key in zip(
                sentences, rule_themes, contexts.themes, contexts.polarity, contexts.rules, strict=True
            )
        ]

    def read_by_parts(
        self,
        sentence: str,
        rule_themes: Sequence[str],
        context: ThemeContext | None = None,
        polarity_context: PolarityContext | None = None,
    ) -> tuple[str, float, list[str]]:
        """`read` step by step through the models' parts (the reference a test holds `read` to)."""
        total, count = self.packed.sums(polarity_words(sentence))
        reading = RuleReading.of(sentence)
        polarity, confidence = self.polarity.read(self.packed, total, count, reading, polarity_context)
        candidates = theme_candidates(sentence, rule_themes, context)
        probabilities = self.themes.probabilities(self.packed, total, count, candidates, context)
        kept = sorted((-p, code) for code, p in probabilities.items() if p >= self.theme_threshold)
        return polarity, confidence, [code for _, code in kept[: self.max_themes]]


# themes nothing names, weighed once a kind of paragraph (_Reader._unnamed)
_Unnamed = tuple[list[tuple[str, float, int, float]], list[tuple[str, float]]]


class _Reader:
    """`FindingModels.read_by_parts` in one function: the same arithmetic in the same order (so
    the same floats to the last bit), with what the parts look up for every sentence laid out
    once (field shifts, the rule readings' and candidates' weights memoised under plain tuples),
    and no object made for a sentence but the few its answer needs."""

    __slots__ = (
        "by_word", "num_row", "shifts", "mask", "bias", "per_unit", "classes", "fixed",
        "fixed_of", "common_shift", "intercept", "own", "own_of", "theme_shifts", "threshold",
        "max_themes", "around", "unnamed", "logit_threshold",
    )  # fmt: skip

    def __init__(self, models: FindingModels) -> None:
        packed = models.packed
        self.by_word = packed.by_word
        self.num_row = packed.by_word.get("<num>")
        self.mask = (1 << packed.width) - 1
        self.bias = packed.bias
        # A field over 2**scale as a float: int / int rounds correctly, and so does float(int);
        # times a power of two is then exact (the fields are far from under- or overflow).
        self.per_unit = math.ldexp(1.0, -packed.scale)
        self.classes = models.polarity.classes
        self.shifts = tuple(k * packed.width for k in range(len(self.classes)))
        self.fixed: dict[tuple[RuleFields, PolarityContext | None], tuple[int, ...]] = {}
        self.fixed_of = lambda reading, around: models.polarity._fixed(reading, packed.scale, around)
        self.common_shift = models.themes.common * packed.width
        self.intercept = _fixed_point(models.themes.intercept, packed.scale)
        self.own: dict[tuple, tuple[float, int | None]] = {}  # see read
        self.own_of = models.themes._own
        self.around = models.themes.around
        self.theme_shifts = {code: k * packed.width for code, k in models.themes.fields.items()}
        self.threshold = models.theme_threshold
        self.max_themes = models.max_themes
        self.unnamed: dict[tuple[str, bool] | None, _Unnamed] = {}
        t = models.theme_threshold
        self.logit_threshold = math.log(t / (1 - t))  # p >= t exactly when the score >= this

    def read(
        self,
        sentence: str,
        rule_themes: Sequence[str],
        context: ThemeContext | None = None,
        polarity_context: PolarityContext | None = None,
        key: RuleFields | None = None,
    ) -> tuple[str, float, list[str]]:
        # the sentence's distinct words (polarity_words) that have weights, and their packed sum
        # (negated words weigh only for polarity: their theme fields are 0)
        by_word = self.by_word
        low = sentence.lower()
        words = _WORD.findall(low)
        rows = [by_word[w] for w in by_word.keys() & words]
        if negated := _negated(low, words):
            rows += [by_word[w] for w in by_word.keys() & negated]
        if self.num_row is not None and _DIGIT.search(sentence):
            rows.append(self.num_row)
        total = sum(rows)
        mask, per_unit = self.mask, self.per_unit
        offset = len(rows) * self.bias

        # polarity: PolarityModel.read of RuleReading.of (`key`, if the caller has it)
        if key is None:
            key = rule_fields(sentence)
        fixed = self.fixed.get((key, polarity_context))
        if fixed is None:
            fixed = self.fixed[key, polarity_context] = self.fixed_of(RuleReading(*key), polarity_context)
        scores = [
            float(((total >> shift) & mask) - offset + f) * per_unit
            for shift, f in zip(self.shifts, fixed, strict=True)
        ]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        best = scores.index(top)
        polarity, confidence = self.classes[best], exp[best] / sum(exp)

        # themes: ThemeModel.probabilities of theme_candidates
        own_scores = theme_scores(sentence)
        named = context.named if context is not None else ()
        base = float(((total >> self.common_shift) & mask) - offset + self.intercept) * per_unit
        own, threshold = self.own, self.threshold
        kept: list[tuple[float, str]] = []
        if context is not None:
            prev, next_, first, counts, others, section = (
                context.prev, context.next, context.first, context.counts, context.others, context.section
            )  # fmt: skip
        candidates = dict.fromkeys([*rule_themes, *own_scores, *named])
        for code in candidates:
            rank = rule_themes.index(code) if code in rule_themes else None
            hits = int(own_scores[code][0]) if code in own_scores else 0
            # ThemeModel.fixed, memoised under the candidate's own key and (with a context)
            # ContextKey's fields as a plain tuple: a few hundred kinds in a corpus
            if context is None:
                ckey: tuple = (code, rank, min(hits, MAX_CUE_WEIGHT))
            else:
                n = counts.get(code, 0)
                ckey = (
                    code, rank, min(hits, MAX_CUE_WEIGHT), code in prev, code in next_, code in first,
                    min(n, MAX_CUE_WEIGHT), _share(n, others), section,
                )  # fmt: skip
            known = own.get(ckey)
            if known is None:
                weight = self.own_of(Candidate(code, rank, hits))
                if context is not None:
                    weight = math.fsum((weight, self.around(context, code)))
                known = own[ckey] = (weight, self.theme_shifts.get(code))
            weight, shift = known
            seen = 0.0 if shift is None else float(((total >> shift) & mask) - offset) * per_unit
            p = 1 / (1 + math.exp(-math.fsum((base, seen, weight))))
            if p >= threshold:
                kept.append((-p, code))

        # every other theme (Candidate(named=False)): its fixed weight depends on the section
        # alone, and most are far below the threshold. A theme's field must reach `least` less its
        # weight in field units for its score to reach the threshold's (less a margin for the
        # rounding of floats); those that do are scored exactly, as the parts would.
        unnamed_key = None if context is None else (section, others > 0)
        known_unnamed = self.unnamed.get(unnamed_key)
        if known_unnamed is None:
            known_unnamed = self.unnamed[unnamed_key] = self._unnamed(context)
        fielded, fieldless = known_unnamed
        least = (self.logit_threshold - base - _MARGIN) / per_unit + offset
        for code, weight, shift, _ in [u for u in fielded if (total >> u[2]) & mask >= least - u[3]]:
            if code not in candidates:
                seen = float(((total >> shift) & mask) - offset) * per_unit
                p = 1 / (1 + math.exp(-math.fsum((base, seen, weight))))
                if p >= threshold:
                    kept.append((-p, code))
        for code, weight in fieldless:  # no word weighs for these themes: they see the words as 0
            if code not in candidates:
                p = 1 / (1 + math.exp(-math.fsum((base, 0.0, weight))))
                if p >= threshold:
                    kept.append((-p, code))
        kept.sort()
        return polarity, confidence, [code for _, code in kept[: self.max_themes]]

    def _unnamed(self, context: ThemeContext | None) -> _Unnamed:
        """Every theme as a candidate nothing names, in a paragraph like `context` (its section,
        and whether it has other sentences): (code, fixed weight, field shift, the weight in
        field units) of those with a field of word weights (every theme of the shipped model),
        and (code, fixed weight) of any without one."""
        # the context such a theme is seen in: no sentence of the paragraph names it (the memo
        # serves every paragraph of the section, whatever themes its sentences name)
        unnamed = None if context is None else context._replace(
            named=(), prev=_NO_THEMES, next=_NO_THEMES, first=_NO_THEMES, counts={}
        )
        fielded, fieldless = [], []
        for code in theme_codes():
            weight = self.own_of(Candidate(code, None, 0, named=False))
            if unnamed is not None:
                weight = math.fsum((weight, self.around(unnamed, code)))
            shift = self.theme_shifts.get(code)
            if shift is None:
                fieldless.append((code, weight))
            else:
                fielded.append((code, weight, shift, weight / self.per_unit))
        return fielded, fieldless


# The prefilter's floats (the threshold's score less the base, in field units: 2**scale to a unit
# of score) are within ~1e-14 of the exact values in units of score; a candidate whose score falls
# this far below the threshold's is below it whatever the rounding.
_MARGIN = 1e-9


def models_from_json(data: dict) -> FindingModels:
    polarity, polarity_columns = PolarityModel.from_json(data["polarity"])
    themes, theme_columns = ThemeModel.from_json(data["themes"], first_field=len(polarity_columns))
    return FindingModels(
        polarity=polarity,
        themes=themes,
        packed=PackedWeights.pack([*polarity_columns, *theme_columns]),
        theme_threshold=data["theme_threshold"],
        max_themes=data["max_themes"],
    )


# What models_state writes: bumped when its layout changes (the cache's name also changes with
# this module's code, so an old file is never read back: this only names the layout).
_STATE_LAYOUT = 1


def models_state(models: FindingModels) -> tuple:
    """The models laid out for reading, as plain data (model_cache keeps it between processes)."""
    p, t, k = models.polarity, models.themes, models.packed
    return (
        _STATE_LAYOUT,
        (p.classes, p.intercepts, p.other),
        (t.intercept, t.other, t.fields, t.common),
        (k.scale, k.width, k.bias, k.by_word),
        models.theme_threshold,
        models.max_themes,
    )


def models_from_state(state: tuple) -> FindingModels:
    """The models from models_state's plain data; ValueError for data of another layout."""
    layout, polarity, themes, packed, threshold, max_themes = state
    if layout != _STATE_LAYOUT:
        raise ValueError(f"models laid out as {layout!r}, not {_STATE_LAYOUT}")
    classes, intercepts, polarity_other = polarity
    intercept, theme_other, fields, common = themes
    scale, width, bias, by_word = packed
    for value, kind in (
        (classes, tuple), (intercepts, tuple), (polarity_other, dict), (theme_other, dict), (fields, dict),
        (by_word, dict), (intercept, float), (threshold, float), (common, int), (scale, int), (width, int),
        (bias, int), (max_themes, int),
    ):  # fmt: skip
        if not isinstance(value, kind):
            raise ValueError(f"models' data holds a {type(value).__name__} where a {kind.__name__} belongs")
    return FindingModels(
        polarity=PolarityModel(classes, intercepts, polarity_other),
        themes=ThemeModel(intercept, theme_other, fields, common),
        packed=PackedWeights(scale, width, bias, by_word),
        theme_threshold=threshold,
        max_themes=max_themes,
    )


@cache
def shipped_models() -> FindingModels | None:
    """The models shipped in the package, or None when none has been trained: built from their
    file once, then loaded laid out for reading (model_cache) by every later process."""
    path = shipped_model_file()
    if not path.is_file():
        return None
    data = path.read_bytes()
    return model_cache.cached(
        model_bytes=data,
        code=(Path(__file__), Path(model_cache.__file__)),
        build=lambda: models_from_json(decode_models(data)),
        state=models_state,
        restore=models_from_state,
    )
