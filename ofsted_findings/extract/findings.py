"""Findings: the evaluative sentences of a cleaned report, each with a polarity and 1-3 themes.

Everything here is rule-based and deterministic so a finding can be traced to its cue words.
The cue lists (what is boilerplate, what reads as praise or criticism, what negates) are data at
the top of this module; the theme taxonomy is data in ``reference/themes.csv``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ofsted_findings.extract.phrases import PhraseMatcher, capturing_groups
from ofsted_findings.models import CleanDocument, Paragraph

if TYPE_CHECKING:  # finding_model reads the rules of this module: imported for types only
    from ofsted_findings.extract.finding_model import FindingModels

# --------------------------------------------------------------------------------------------
# Data: what is (not) a finding
# --------------------------------------------------------------------------------------------

# Sections that hold recommendations or the scope of a visit, not findings (the recommendations
# extractor owns the first two). Numbered paragraphs inside one are findings all the same: the
# report numbers its findings, never its recommendations, so a numbered paragraph there means
# the next judgement heading was missed, and the section's findings run from it.
SKIP_SECTIONS = frozenset({"what_needs_to_improve", "next_steps", "areas_covered"})
FINDING_KINDS = frozenset({"text", "item"})
# A paragraph with no closing punctuation and fewer words than this is an address line, a name,
# a date or a title (letter front matter and sign-offs), not prose.
MIN_WORDS_UNPUNCTUATED = 10

# Salutations, sign-offs and the fixed sentences of Ofsted letters and reports.
BOILERPLATE = re.compile(
    r"^(?:"
    r"Dear\b|Yours (?:sincerely|faithfully)|Kind regards|Best wishes"
    r"|This letter (?:summarises|will not be published|will be published|sets out)"
    r"|I am copying this letter|I will be copying this letter|A copy of this letter"
    r"|I would like to (?:take this opportunity to )?thank"
    r"|(?:His|Her) Majesty[’']s Inspectors? (?:for this visit |who )?(?:were|was|are|is)\b"
    r"|Inspectors looked at\b|Inspectors (?:considered|reviewed) a range of evidence"
    r"|The visit considered a range of evidence|During (?:the|this) visit, inspectors"
    r"|This (?:visit|inspection) was carried out (?:in line with|under)"
    r"|This was the (?:\w+ )?monitoring visit"
    r"|Ofsted will take the findings"
    r"|Ofsted produces this report|This report includes the"
    r"|The local authority was given the opportunity to review this section"
    r"|Inspection dates?\b|Lead inspector\b|©|Crown copyright"
    r"|The inspection (?:of the local authority )?was carried out under"
    r"|Any complaints about the inspection|www\.|https?://"
    r"|It assesses council children|You can subscribe|This report is available at"
    r"|If you would like a copy of this document|Interested in our work"
    r"|The review of the Local Safeguarding Children Board was carried out under"
    r"|In a local authority (?:that|where|which) (?:is|requires)"
    r"|Inspectors have looked closely at the experiences"
    r"|The (?:experiences and progress|impact of leaders|effectiveness) [^.]*(?:is)?:? ?"
    r"(?:outstanding|good|requires improvement(?: to be good)?|inadequate)\.?$"
    r")",
    re.I,
)

# A sentence that opens with an imperative is a recommendation (SIF reports list them without a
# recognisable heading), which the recommendations extractor owns.
RECOMMENDATION = re.compile(
    r"^(?:Ensure|Improve|Develop|Strengthen|Increase|Establish|Continue|Undertake|Implement"
    r"|Make sure|Provide|Reduce|Evaluate|Embed|Monitor|Consider|Take (?:action|steps)|Secure"
    r"|Raise|Clarify|Agree|Analyse|Address)\b(?! (?:is|are|was|were|has|have)\b)"
)

# --------------------------------------------------------------------------------------------
# Data: sentence splitting
# --------------------------------------------------------------------------------------------

# Words that take a full stop without ending a sentence (compared lowercase, without the stop).
ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "cllr", "rev", "st", "sr", "jr", "hon",
        "no", "nos", "vol", "para", "paras", "fig", "figs", "cf", "vs", "v", "viz", "al",
        "approx", "dept", "govt", "inc", "ltd", "co", "corp", "ref", "refs", "ch", "sec", "art",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "e.g", "i.e", "eg", "ie", "p", "pp",
    }
)  # fmt: skip
# Punctuation that ends a sentence, closing quotes/brackets after it, then the next sentence's
# first character (capital, digit or an opening quote/bracket).
_BOUNDARY = re.compile(r"[.!?…]+([\"”’')\]]*)(?=\s+[\"“‘'(\[]?[A-Z0-9])")
# The same boundaries in text whose only such punctuation is the full stop, found faster: `re`
# skips to a leading literal character in C, but enters its engine at every position otherwise.
_FULL_STOP_BOUNDARY = re.compile(r"\.\.*([\"”’')\]]*)(?=\s+[\"“‘'(\[]?[A-Z0-9])")
# A paragraph's own number ("23. ") or a list marker ("(a) ", "ii) ") is not part of a sentence.
_NUMBERED = re.compile(r"\s*\d{1,3}\.(?:\d{1,2}\.?)?(?:\s+|(?=[A-Z‘“'\"(]))")
_PARAGRAPH_PREFIX = re.compile(rf"(?:{_NUMBERED.pattern}|\s*\(?(?:[a-h]|[ivx]{{1,4}})\)\s+)")
# Bullet glyphs left inline by PDF extractors (private-use symbol-font characters and the like)
# separate sentences and belong to none.
_GLYPHS = "\ue000-\uf8ff\u2022\u2023\u2043\u25a0-\u25ff"
_GLYPH = re.compile(f"[{_GLYPHS}]")
_LINE_BREAK_OR_GLYPH = re.compile(f"[\n{_GLYPHS}]")
_TERMINAL = re.compile(r"[.!?:;…][\"”’')\]]*\s*$")
_WORD_STOPS = "\"“‘'(["  # with whitespace, what ends the word before a full stop
_INITIAL = re.compile(r"[A-Z]")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
# A word of more letters than the longest abbreviation is neither one, an initial nor dotted.
_LONG_WORD = max(map(len, ABBREVIATIONS)) + 1

# --------------------------------------------------------------------------------------------
# Data: polarity cues (lowercase regex fragments, matched on word boundaries, longest first)
# --------------------------------------------------------------------------------------------

# Inspectors' formulaic praise. Weight 0.5 = a weak cue that only tips a sentence with no others.
POSITIVE_CUES: tuple[tuple[str, float], ...] = (
    ("effective", 1), ("effectively", 1), ("highly effective", 2), ("good", 1), ("very good", 2),
    ("good[- ]quality", 1), ("high[- ]quality", 1), ("high standards?", 1), ("well", 1),
    ("strong", 1), ("strongly", 1), ("strengths?", 1), ("(?:is|are) a (?:particular )?strength", 2),
    ("strengthened", 1), ("strengthening", 0.5), ("timely", 1), ("in a timely (?:way|manner)", 1),
    ("prompt", 1), ("promptly", 1), ("quick", 1), ("quickly", 1), ("swift", 1), ("swiftly", 1),
    ("rapid", 1), ("rapidly", 1), ("expeditious", 1), ("thorough", 1), ("thoroughly", 1),
    ("comprehensive", 1), ("comprehensively", 1), ("robust", 1), ("robustly", 1),
    ("rigorous", 1), ("rigorously", 1), ("appropriate", 1), ("appropriately", 1),
    ("clear", 1), ("clearly", 1), ("detailed", 1), ("accurate", 1), ("accurately", 1),
    ("sensitive", 1), ("sensitively", 1), ("responsive", 1), ("proactive", 1),
    ("proactively", 1), ("positive", 1), ("positively", 1), ("stable", 1), ("stability", 1),
    ("secure", 1), ("suitable", 1), ("safe", 0.5), ("safely", 0.5), ("safeguarded", 0.5),
    ("excellent", 2), ("outstanding", 1), ("impressive", 1), ("exceptional", 2),
    ("committed", 1), ("commitment", 1), ("dedicated", 0.5), ("ambitious", 1), ("ambition", 1),
    ("visible", 1), ("engaged", 1), ("consistent", 1), ("consistently", 1), ("regular", 1),
    ("regularly", 1), ("confident", 1), ("experienced", 1), ("skilled", 1),
    ("knowledgeable", 1), ("tenacious", 1), ("persistent", 0.5), ("creative", 1),
    ("child-centred", 1), ("purposeful", 1), ("meaningful", 1), ("manageable", 1),
    ("complimentary", 1), ("active", 1), ("actively", 1), ("aware", 1), ("awareness", 1),
    ("proportionate", 1), ("holistic", 1), ("smooth", 1), ("successful", 1),
    ("successfully", 1), ("value", 0.5), ("values", 0.5), ("valued", 1), ("benefit", 1),
    ("benefits", 1), ("benefit from", 1), ("benefits from", 1), ("make sure", 1),
    ("makes sure", 1), ("ensure", 1), ("ensures", 1), ("ensured", 1), ("ensuring", 1),
    ("enable", 1), ("enables", 1), ("enabled", 1), ("supportive", 1), ("improved", 1),
    ("improving", 1), ("improvements?", 0.5), ("better", 1), ("good progress", 1),
    ("significant progress", 2), ("positive progress", 2), ("made progress", 1),
    ("progressing", 0.5), ("embedded", 1), ("established", 0.5), ("developed", 0.5),
    ("well-developed", 1), ("in place", 0.5), ("understand", 0.5), ("understands", 0.5),
    ("understood", 0.5), ("understanding", 0.5), ("shared understanding", 1), ("insight", 0.5),
    ("informed", 0.5), ("range of", 0.5), ("variety of", 0.5), ("access to", 0.5),
    ("offered", 0.5), ("provided with", 0.5), ("direct work", 0.5), ("work(?:s|ing)? directly", 0.5),
    ("seen alone", 0.5), ("spoken to alone", 0.5), ("listened to", 0.5), ("heard", 0.5),
    ("at the earliest opportunity", 1), ("beginning to", 1),
    ("within (?:the )?(?:statutory |agreed |required )?timescales?", 1),
    ("starting to", 1), ("becoming more", 0.5), ("now", 0.5), ("investment", 1),
    ("invested", 1), ("openness", 0.5), ("vigilant", 1), ("diligent", 1), ("determined", 1),
    ("focused", 0.5), ("fully", 0.5), ("sufficient", 0.5), ("sufficiently", 0.5),
    ("innovative", 1), ("well attended", 1), ("high levels? of support", 1), ("helpful", 1),
    ("helps", 0.5), ("reduced", 0.5), ("reduction in", 0.5), ("promotes?", 1), ("promoted", 1),
    ("determination", 1), ("suitably", 1), ("decisive", 1), ("decisively", 1), ("properly", 1),
    ("careful", 1), ("carefully", 1), ("closely", 1), ("diligently", 1), ("efficient", 1),
    ("efficiently", 1), ("skilful(?:ly)?", 1), ("creatively", 1), ("conscientious", 1),
    ("exemplary", 2), ("sound", 1), ("self-critical", 1), ("reflective", 0.5),
    ("step forward", 1), ("proud", 1), ("on track", 1), ("work(?:s|ed|ing)? hard", 1),
    ("embraces?", 1), ("well-established", 1),
)  # fmt: skip

# Inspectors' formulaic criticism.
NEGATIVE_CUES: tuple[tuple[str, float], ...] = (
    ("poor", 1), ("poorly", 1), ("poorer", 1), ("poor[- ]quality", 1), ("weak", 1),
    ("weaker", 1), ("weakness(?:es)?", 1), ("serious weakness(?:es)?", 2), ("inadequate", 2),
    ("requires? (?:further )?improvement(?: to be good)?", 2), ("needs? to (?:be )?improved?", 1),
    ("needs? to (?:be )?strengthen(?:ed)?", 1), ("needs? (?:further )?work", 1),
    ("further (?:work|improvement|development) is (?:needed|required)", 1),
    ("more (?:work )?needs to be done", 1), ("should", 0.5), ("inconsistent", 1),
    ("inconsistently", 1), ("inconsistenc(?:y|ies)", 1), ("variable", 1), ("variability", 1),
    ("varies", 1), ("vary", 1), ("variation", 0.5), ("delay", 1), ("delays", 1), ("delayed", 1),
    ("drift", 1), ("risk of drift", 1), ("too", 1), ("not enough", 1), ("limited", 1),
    ("limitations?", 1), ("gaps?", 1), ("superficial", 1), ("missed opportunit(?:y|ies)", 1),
    ("hinders?", 1), ("hindered", 1), ("hamper(?:s|ed)?", 1), ("undermine[sd]?", 1),
    ("deteriorat\\w+", 1), ("declin(?:e|ed|ing)", 1), ("fluctuat\\w+", 1), ("fragile", 1),
    ("unregistered", 1), ("unnecessar(?:y|ily)", 1), ("underperformance", 1),
    ("under-?developed", 1), ("under-?used", 1), ("difficult", 1), ("hard to", 1),
    ("irregular", 1), ("turnover", 0.5), ("high turnover", 1), ("high caseloads?", 1),
    ("remains? high", 1), ("remains? (?:a )?(?:risk|concern)", 1), ("concerned", 1),
    ("of concern", 1), ("failures?", 1), ("unable", 1), ("unclear", 1), ("unsafe", 1),
    ("inappropriate(?:ly)?", 1), ("ineffective(?:ly)?", 1), ("inexperienced", 0.5),
    ("rather than", 0.5), ("only", 0.5), ("(?:just )?(?:under|less than) half", 1), ("yet to", 1),
    ("still", 0.5), ("detrimental", 1), ("negative(?:ly)?", 1),
    ("impact(?:s|ed)? (?:negatively )?on (?:the )?(?:ability|capacity)", 1),
    ("challenges? remains?", 1), ("would (?:benefit|support|help|improve|strengthen|enhance)", 1),
    ("would be (?:improved|strengthened|better|enhanced)", 1),
    ("could (?:be|do) (?:more|better|improved|strengthened|further)", 1),
    ("instability", 1), ("unstable", 1), ("persistent absence", 1), ("shortfalls?", 1),
    ("backlogs?", 1), ("slow", 1), ("slowly", 1), ("late", 1), ("overdue", 1),
    ("out of date", 1), ("over-optimistic", 1), ("lapsed", 1), ("lacks", 1),
    ("less well", 1), ("disproportionate", 1), ("uncertain(?:ty)?", 1), ("isolated", 0.5),
    ("vacant posts?", 1), ("vacancies", 0.5), ("compounded", 1), ("inadequacies", 2),
    ("missed", 1), ("(?:further|more) work to do", 1), ("needs? to (?:develop|ensure)", 1),
    ("(?:further|more) (?:work|improvements?|progress|action|development) (?:is |are )?"
     "(?:also |still )?(?:needed|required|necessary|needs to be)", 1),
    ("(?:is|are) (?:also |still )?(?:needed|required)", 0.5),
    ("(?:further )?improvements? (?:must|should|needs? to|has to|have to) be made", 1),
    ("must (?:be )?improved?", 1),
)  # fmt: skip

# Words that turn the praise after them in the same clause into criticism (and criticism into
# faint praise: "no delay"). The weight applies when nothing in scope is flipped: "plans are not
# updated" is criticism on its own.
NEGATORS: tuple[tuple[str, float], ...] = (
    ("not", 1), ("cannot", 1), ("no", 0.5), ("never", 1), ("nor", 0.5),
    ("neither", 0.5), ("without", 0.5), ("less", 0.5), ("lack(?:s|ing)?(?: of)?", 1),
    ("absence of", 1), ("insufficient(?:ly)?", 1), ("fail(?:s|ed|ing)? to", 1),
    ("not yet", 1), ("none", 0.5),
)  # fmt: skip

# A negator reaches at most this many words past it (or past the last cue it flipped), and never
# past a word that opens a new clause of reason, time or relative description.
NEGATION_WINDOW = 8
NEGATION_STOPS = re.compile(
    r"\b(?:because|due to|as a result|which|who|when|where|if|since|until|unless|following)\b"
)

# Phrases that look like cues but are not: consumed with no weight.
NEUTRAL_PHRASES: tuple[str, ...] = (
    "as well as", "well-being", "wellbeing", "well being", "no longer", "not only", "as yet", "but also",
    "whether or not", "or not", "areas? (?:of|for) (?:development|improvement)",
    "effectiveness", "timeliness", "strengths and difficulties", "good or outstanding",
    "improvement (?:plans?|boards?|notices?|initiatives?|journey|programmes?|activity)",
    "risk of (?:significant )?harm", "at risk", "concerns", "safeguarding", "appropriate adult",
    "looked after", "no\\.", "or less", "or more",
)  # fmt: skip

# After these, praise or criticism is an intention, not a judgement ("to ensure that ...").
PURPOSE_VERBS: tuple[str, ...] = (
    "ensure", "make sure", "improve", "help", "support", "deliver", "strengthen", "enable",
    "reduce", "increase", "develop", "provide", "promote", "achieve", "enhance", "understand",
    "offer", "measure", "keep", "prevent", "safeguard", "avoid", "build", "address",
)  # fmt: skip
PURPOSE_MARKERS: tuple[str, ...] = (
    "in order to", "so as to", "so that", "aims? to", "plans? to", "intends? to", "seeks? to",
    "designed to", rf"to (?:\w+ly )?(?:{'|'.join(PURPOSE_VERBS)})",
)  # fmt: skip

# Contrast inside a sentence: a clause of praise against a clause of criticism makes "mixed".
CONTRAST_SUBORDINATORS: tuple[str, ...] = (
    "although",
    "though",
    "even though",
    "while",
    "whilst",
    "despite",
    "albeit",
    "in spite of",
)
CONTRAST_COORDINATORS: tuple[str, ...] = (
    "but",
    "however",
    "yet",
    "whereas",
    "nevertheless",
    "nonetheless",
)
# Context about a past inspection or a reported plan: descriptive, whatever its wording.
NEUTRAL_FRAMES = re.compile(
    r"^(?:at |during |since )?the (?:last|previous|most recent) (?:\w+ )?inspection"
    r"(?: in \d{4})?,? (?:recommended|found|identified|judged|rated|graded|highlighted)\b",
    re.I,
)
# A sentence opening with one of these is about the subject of the sentence before it.
ANAPHORA = re.compile(r"^(?:This|These|That|Those|They|It|Its|Their|Such|He|She|His|Her|Both|All of these)\b")
# Where a finding names no theme and its paragraph none either, the section may imply one.
SECTION_THEMES: dict[str, str] = {
    "impact_of_leaders": "leadership_governance",
    "care_leavers": "care_leavers",
}
MAX_THEMES = 3
# Themes a sentence takes from its own words; the rest of MAX_THEMES come from its context.
OWN_THEMES = 2

# --------------------------------------------------------------------------------------------
# Themes taxonomy
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """One row of reference/themes.csv."""

    code: str
    label: str
    description: str
    what_counts: str
    keywords: tuple[str, ...]
    broader: str | None = None  # a finding on this theme is also about the broader one


@cache
def load_themes() -> tuple[Theme, ...]:
    """The theme taxonomy, read once from package data (so it ships with the wheel)."""
    path = resources.files("ofsted_findings.reference") / "themes.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    themes = []
    for row in rows:
        keywords = tuple(k.strip() for k in row["keywords"].split(";") if k.strip())
        for k in keywords:
            if capturing_groups(k):
                raise ValueError(f"theme {row['code']}: keyword {k!r} has a capturing group")
        themes.append(
            Theme(row["code"], row["label"], row["description"], row["what_counts"], keywords,
                  row.get("broader") or None)
        )
    return tuple(themes)


def _theme_fragments() -> list[tuple[str, str]]:
    return [(k, t.code) for t in load_themes() for k in t.keywords]


@cache
def _theme_matcher() -> PhraseMatcher:
    return PhraseMatcher(_theme_fragments())


@cache
def _broader_themes() -> tuple[tuple[str, str], ...]:
    return tuple((t.code, t.broader) for t in load_themes() if t.broader)


@lru_cache(maxsize=1024)
def theme_scores(sentence: str) -> dict[str, tuple[float, int]]:
    """Theme code -> (number of keyword hits, offset of the first hit) for one sentence.

    Cached for the few sentences of a paragraph: the findings models read them again after the
    paragraph's themes are assigned. The dict returned is shared: do not change it."""
    scores: dict[str, tuple[float, int]] = {}
    for start, _, code in _theme_matcher().find(sentence.lower()):
        if code in scores:
            count, first = scores[code]
            scores[code] = (count + 1, first)
        else:
            scores[code] = (1.0, start)
    if not scores:
        return scores
    for code, broader in _broader_themes():
        if code in scores and broader not in scores:
            scores[broader] = scores[code]
    return scores


def _rank_key(item: tuple[str, tuple[float, int]]) -> tuple[float, int]:
    return -item[1][0], item[1][1]


def _ranked(scores: dict[str, tuple[float, int]]) -> list[str]:
    if len(scores) < 2:
        return list(scores)
    return [c for c, _ in sorted(scores.items(), key=_rank_key)]


def themes_of(text: str) -> list[str]:
    """Up to MAX_THEMES themes of a short text on its own (a recommendation), strongest first."""
    return _ranked(theme_scores(text))[:MAX_THEMES]


# --------------------------------------------------------------------------------------------
# Sentence splitting
# --------------------------------------------------------------------------------------------


def _word_before(text: str, end: int) -> str:
    """The word before a full stop at `end`: back to whitespace, a quote or an opening bracket
    (ignoring a newline right before `end`, as a regex `$` would). Scanned backwards: a regex
    search for it would read the whole paragraph up to `end`, for every full stop."""
    if end and text[end - 1] == "\n":
        end -= 1
    start = end
    while start > 0 and not (text[start - 1].isspace() or text[start - 1] in _WORD_STOPS):
        start -= 1
    return text[start:end]


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the word ending at a full stop at `end` is an abbreviation or an initial."""
    token = _word_before(text, end)
    low = token.lower()
    if low in ABBREVIATIONS:
        return True
    if _INITIAL.fullmatch(token):  # an initial: "J. Smith"
        return True
    return bool(_DOTTED.fullmatch(low))  # e.g, i.e, u.k


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of `text`, shifted by `offset`, trimmed of whitespace.

    Splits at . ! ? (with any closing quotes) before a capital, digit or opening quote, except
    after abbreviations and initials; line breaks and inline bullet glyphs always end one.
    """
    cuts = [0]
    boundary = _BOUNDARY if "?" in text or "!" in text or "…" in text else _FULL_STOP_BOUNDARY
    for m in boundary.finditer(text):
        stop = m.start()
        if (
            text[stop] == "."
            and m.start(1) == stop + 1  # a single full stop
            # Most words are settled by their last letters, without finding where they start.
            and not (stop >= _LONG_WORD and text[stop - _LONG_WORD : stop].isalpha())
            and _is_abbreviation(text, stop)
        ):
            continue
        cuts.append(m.end())
    breaks = glyphs = False
    # Glyphs are never ASCII: most paragraphs are settled without scanning for them.
    for m in _LINE_BREAK_OR_GLYPH.finditer(text) if "\n" in text or not text.isascii() else ():
        breaks = True
        if text[m.start()] == "\n":
            cuts.append(m.end())
        else:
            glyphs = True
            cuts += (m.start(), m.end())
    cuts.append(len(text))
    if breaks:  # else the cuts are in order already
        cuts = sorted(set(cuts))
    spans: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a:b]
        rest = piece.lstrip()
        if rest:
            sentence = rest.rstrip()
            if not (glyphs and _GLYPH.fullmatch(sentence)):
                start = offset + b - len(rest)
                spans.append((start, start + len(sentence)))
    return spans


# --------------------------------------------------------------------------------------------
# Polarity
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    kind: str  # pos | neg | negator | neutral | purpose | sub | coord
    weight: float


def _polarity_fragments() -> list[tuple[str, _Cue]]:
    fragments: list[tuple[str, _Cue]] = []
    fragments += [(p, _Cue("pos", w)) for p, w in POSITIVE_CUES]
    fragments += [(p, _Cue("neg", w)) for p, w in NEGATIVE_CUES]
    fragments += [(p, _Cue("negator", w)) for p, w in NEGATORS]
    fragments += [(p, _Cue("neutral", 0)) for p in NEUTRAL_PHRASES]
    fragments += [(p, _Cue("purpose", 0)) for p in PURPOSE_MARKERS]
    fragments += [(re.escape(p), _Cue("sub", 0)) for p in CONTRAST_SUBORDINATORS]
    fragments += [(re.escape(p), _Cue("coord", 0)) for p in CONTRAST_COORDINATORS]
    return fragments


@cache
def _polarity_matcher() -> PhraseMatcher:
    return PhraseMatcher(_polarity_fragments())


_CLAUSE_END = re.compile(r"[,;:()]")


def polarity_scores(sentence: str) -> tuple[list[float], list[float], bool]:
    """Per-clause positive and negative weights, and whether the sentence has a contrast.

    Clauses are cut at contrast words; a subordinate clause ("although regular,") ends at the
    next comma. Negators flip cues up to the end of their clause; purpose markers silence them.
    """
    low = sentence.lower()
    pos: list[float] = [0.0]
    neg: list[float] = [0.0]
    contrast = silenced = sub_open = False
    # An open negator: where its reach is counted from (None when none is open), and the weight
    # it adds as criticism when it closes having flipped nothing (0 once it has).
    scope: int | None = None
    pending = 0.0
    last = 0
    clause_end = _CLAUSE_END.search
    for start, end, cue in _polarity_matcher().find(low):
        if clause_end(low, last, start):
            neg[-1] += pending
            pending, scope, silenced = 0.0, None, False
            if sub_open:
                sub_open = False
                pos.append(0.0)
                neg.append(0.0)
        last = end
        if scope is not None:
            gap = low[scope:start]
            if len(gap.split()) > NEGATION_WINDOW or NEGATION_STOPS.search(gap):
                neg[-1] += pending
                pending, scope = 0.0, None
        kind = cue.kind
        if kind == "sub" or kind == "coord":
            if start > 0 or kind == "sub":
                contrast = True
            neg[-1] += pending
            pending, scope = 0.0, None
            pos.append(0.0)
            neg.append(0.0)
            silenced = False
            sub_open = kind == "sub"
        elif kind == "purpose":
            silenced = True
        elif kind == "negator":
            neg[-1] += pending
            pending, scope = cue.weight, end
        elif (kind == "pos" or kind == "neg") and not silenced:
            if scope is not None:
                pending, scope = 0.0, end
                if kind == "pos":
                    neg[-1] += cue.weight
                else:
                    pos[-1] += 0.5 * cue.weight
            elif kind == "pos":
                pos[-1] += cue.weight
            else:
                neg[-1] += cue.weight
    neg[-1] += pending
    return pos, neg, contrast


def classify_polarity(sentence: str) -> str:
    """strength | weakness | mixed | neutral, from the cue weights of `sentence`."""
    if NEUTRAL_FRAMES.match(sentence.strip()):
        return "neutral"
    return polarity_of_scores(*polarity_scores(sentence))


def polarity_of_scores(pos: list[float], neg: list[float], contrast: bool) -> str:
    """The polarity that per-clause cue weights (polarity_scores) give a sentence that does
    not open with a neutral frame."""
    p, n = sum(pos), sum(neg)
    if p == 0 and n == 0:
        return "neutral"
    if contrast:
        nets = [a - b for a, b in zip(pos, neg, strict=True)]
        if max(nets) >= 1 and min(nets) <= -1:
            return "mixed"
    if p > n:
        return "strength"
    return "weakness"


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


def _is_front_matter(body: str) -> bool:
    """Address lines, names, dates and titles: short and unpunctuated, or a salutation."""
    if BOILERPLATE.match(body):
        return True
    few_words = len(body.split(None, MIN_WORDS_UNPUNCTUATED - 1)) < MIN_WORDS_UNPUNCTUATED
    return few_words and not _TERMINAL.search(body)


def _is_sentence(text: str) -> bool:
    """At least two words and a letter: drops stray numbers and one-word fragments."""
    return len(text.split(None, 1)) == 2 and (text[:1].isalpha() or any(c.isalpha() for c in text))


def _paragraph_body(doc: CleanDocument, para: Paragraph) -> int:
    """Offset where the paragraph's prose starts (after "23. " or "(a) ")."""
    m = _PARAGRAPH_PREFIX.match(doc.text, para.start, para.end)
    return m.end() if m else para.start


def _assign_themes(sentences: Sequence[str], section: str) -> list[list[str]]:
    """Themes for each sentence of one paragraph.

    A sentence takes the (at most two) themes it names most; one opening with "This"/"They"...
    first takes its predecessor's, since it is about the same thing. Ofsted paragraphs keep to
    one topic, so every sentence also takes the paragraph's main theme (or, when the paragraph
    names none, the theme its section implies).
    """
    own = [theme_scores(s) for s in sentences]
    total: dict[str, tuple[float, int]] = {}
    for i, scores in enumerate(own):
        for code, (count, first) in scores.items():
            first += i * 10_000
            if code in total:
                c, f = total[code]
                total[code] = (c + count, min(f, first))
            else:
                total[code] = (count, first)
    # The first of _ranked(total).
    topic = min(total.items(), key=_rank_key)[0] if total else SECTION_THEMES.get(section)
    out: list[list[str]] = []
    for i, sentence in enumerate(sentences):
        themes = _ranked(own[i])[:OWN_THEMES]
        if i > 0 and ANAPHORA.match(sentence.strip()):
            themes = out[i - 1] + [t for t in themes if t not in out[i - 1]]
        if topic is not None and topic not in themes:
            themes.append(topic)
        out.append(themes[:MAX_THEMES])
    return out


def extract_findings(doc: CleanDocument, models: FindingModels | None = None) -> list[dict[str, Any]]:
    """Every sentence of the report's findings prose, with polarity, themes and its span.

    With `models` (finding_model.py, trained on gold made by reading) polarity and themes are
    theirs, the rules' readings being among their features; without, the rules' alone.

    Descriptive sentences inside findings paragraphs are kept and labelled neutral, so a reader
    sees the context inspectors gave. Headings, table rows, recommendation lists, letter front
    matter and fixed boilerplate are skipped. `doc.text[start:end] == text` holds for every row.
    """
    rows: list[dict[str, Any]] = []
    numbered_from: dict[str, int] = {}  # skipped section -> where its numbered findings start
    document_id, page_at = doc.document_id, doc.page_at
    for para in doc.paragraphs:
        if (
            para.section in SKIP_SECTIONS
            and para.section not in numbered_from
            and para.kind == "text"
            and _NUMBERED.match(doc.text, para.start, para.end)
        ):
            numbered_from[para.section] = para.start
        if para.kind not in FINDING_KINDS:
            continue
        if para.section in SKIP_SECTIONS and para.start < numbered_from.get(para.section, 1 << 62):
            continue
        body_start = _paragraph_body(doc, para)
        body = doc.text[body_start : para.end]
        if _is_front_matter(body.strip()):
            continue
        spans: list[tuple[int, int]] = []
        texts: list[str] = []
        for a, b in split_sentences(body, body_start):
            text = body[a - body_start : b - body_start]
            if _is_sentence(text) and not BOILERPLATE.match(text) and not RECOMMENDATION.match(text):
                spans.append((a, b))
                texts.append(text)
        section, number = para.section, para.number
        themes = _assign_themes(texts, section)
        for (a, b), text, codes in zip(spans, texts, themes, strict=True):
            if models is not None:
                polarity, confidence, codes = models.read(text, codes)
            else:
                polarity, confidence = classify_polarity(text), None
            rows.append(
                {
                    "document_id": document_id,
                    "section": section,
                    "paragraph": number,
                    "text": text,
                    "polarity": polarity,
                    "confidence": confidence,
                    "themes": codes,
                    "start": a,
                    "end": b,
                    "page": page_at(a),
                }
            )
    return rows
