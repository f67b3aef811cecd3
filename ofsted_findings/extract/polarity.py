"""Polarity of a findings sentence by rule: inspectors' formulaic praise and criticism as
weighted cue phrases, negators that flip them, purpose markers that silence them, and contrast
words that make a sentence "mixed".

The cue lists are data at the top of this module, beside the scoring that reads them; the
findings extractor (findings.py) and the findings models (finding_model.py, which take these
readings as features) both read sentences through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ofsted_findings.extract.phrases import PhraseMatcher
from ofsted_findings.settings import NEGATION_WINDOW

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
