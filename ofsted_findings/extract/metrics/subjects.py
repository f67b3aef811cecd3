"""Pass 3: what a reading measures (its subject), by heuristic (`_subject`), then made safe to
read alone (`tidy_subject`): never a number, a percent sign or a phrase cut mid-way ("cases in
care proceedings were beyond the"), and never a reading that inverts the row ("all but five
young people" must not read as "5 young people")."""

from __future__ import annotations

import functools
import re

from ofsted_findings.extract.metrics.anchors import _anchor_keys
from ofsted_findings.extract.metrics.readings import _Reading
from ofsted_findings.extract.metrics.regions import _PERIODS
from ofsted_findings.extract.metrics.scan import _NOT_ASCII
from ofsted_findings.extract.metrics.spans import Span
from ofsted_findings.extract.metrics.vocabulary import (
    _BULLETS,
    _I,
    _RATE_UNITS,
    _STOP,
    _SUBORDINATORS,
    _words,
)
from ofsted_findings.models import Row

_CASELOAD_NP = re.compile(
    r"(?:\b[A-Za-z][\w-]*\s+){0,2}case\s?loads?"
    r"(?:\s+(?:in|for|of|within|across)\s+(?:the\s+)?(?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)?",
    _I,
)


_LEADING_NOISE = re.compile(
    r"^(?:(?:and|but|with|of|the|a|an|these|those|their|its|whom|which|that|who|"
    r"the\s+vast\s+majority\s+of|the\s+majority\s+of|most|all|further|a\s+further|only|just|"
    r"some|another|other|additional|overall)\s+)+",
    _I,
)
# An alternative holds at most one space (see `_without_trailing_verb`).
_TRAILING_VERB = re.compile(
    r"\s+(?:is|was|are|were|at|of|stood\s+at|reached|to|from|by|has|have|had|been|being|for|"
    r"in|within|takes?|took|remains?|remained|rate|stands?|increased|decreased|fell|rose|"
    r"compared\s+(?:to|with)|it|this|they|there|which|that)$",
    _I,
)


_SPACES = re.compile(rf"[{_BULLETS}\s]+")
_LEADING_PREPOSITION = re.compile(r"^(?:in|on|for|at|to|by)\s+", _I)
_RESPECTIVELY = re.compile(r"(?:^|\s+)respectively$", _I)
_CLOSING_BRACKET = re.compile(r"^\s*\)")
_SUBJECT_CUT = re.compile(rf"\s(?:{_SUBORDINATORS}|when)\b|[(),;:]", _I)
_RATE_OF = re.compile(r"\brate\s+of\s+([\w'’ -]{3,60}?)\s*(?:\(|is|was|at|has|had|$)", _I)
_PER_POPULATION = re.compile(
    r"\s+per\s+[\d,]+\s+(?:of\s+(?:the\s+)?)?([A-Za-z][\w ]{0,40}?)(?=[).,;]|$)"
)
_SHARE_OF = re.compile(r"\s+of\s+(?:all\s+)?(.+)", _I | re.S)
_BEFORE_BRACKET = re.compile(r"([A-Za-z][\w'’ -]{1,80}?[A-Za-z])\s*\(\s*(?:or\s+)?$")
_PROPORTION_OF = re.compile(r"\b(?:majority|proportion|number|percentage)\s+of\b", _I)
_OF = re.compile(r"\bof\s+", _I)
_COUNT_REST = re.compile(r"\s*(?:\([^)]*\))?\s*(?:(?:out\s+)?of\s+)?(.*)", _I | re.S)
_THE_X_OF = re.compile(r"\b(?:the|a|an|its|their)\s+([\w'’ -]{3,60}?)\s+of\s+$", _I)
_LEAD_CUT = re.compile(rf"[(),;:]\s|[()]|\d[\d.,]*\s?%?|[{_BULLETS}]")
_LEAD_CUT_NO_NUMBER = re.compile(rf"[(),;:]\s|[()]|[{_BULLETS}]")
_PRONOUN = re.compile(r"(?:this|it|that|there|which|they)\b", _I)


def _without_trailing_verb(words: str) -> str:
    """`_TRAILING_VERB.sub("", words)` for words that hold no whitespace but single spaces.

    A match is whitespace and an alternative ending the text, which has at most one space
    inside ("stood at"): it starts at one of the last two spaces, so the search starts there
    rather than trying every space.
    """
    m = _TRAILING_VERB.search(words, max(0, words.rfind(" ", 0, words.rfind(" "))))
    return words[: m.start()] if m else words


def _clean_phrase(words: str, limit: int = 12, lead: bool = False) -> str | None:
    """Whitespace collapsed, leading determiners and trailing verbs dropped, length capped.

    Words before a quantity also lose a leading preposition ("in primary schools is 20%");
    words after it keep theirs ("just over half currently in education").
    """
    words = _SPACES.sub(" ", words).strip(" ,;:.()")
    words = _LEADING_NOISE.sub("", words)
    if lead:
        words = _LEADING_NOISE.sub("", _LEADING_PREPOSITION.sub("", words))
    for _ in range(3):
        words = _without_trailing_verb(words).strip(" ,;:.()")
    words = _RESPECTIVELY.sub("", words)
    parts = words.split()[:limit]
    if all(w.lower() in _STOP for w in parts):
        return None  # "whom", "most", "are": nothing measured is named
    return " ".join(parts)


@functools.lru_cache(maxsize=256)  # `_subject` often cuts the same words twice
def _without_periods(s: str) -> str:
    """`s` with period phrases cut, in `_PERIODS` order; a pattern none of whose anchor words
    `s` holds cannot match it, and is not run."""
    keys = _anchor_keys(s)
    for scan in _PERIODS:
        if _NOT_ASCII in keys or not keys.isdisjoint(scan.keys):
            cut = scan.pattern.sub("", s)
            if cut != s:
                s, keys = cut, _anchor_keys(cut)
    return s


def _subject(text: str, clause: Span, r: _Reading, sent: Span, next_start: int) -> str | None:
    """What is measured, by heuristic (approximate by design; the first rule that applies wins).

    1. caseloads: the "... caseloads (in the X team)" phrase of the sentence;
    2. a counted noun: the noun phrase and the rest of its clause ("young people currently at
       university"), period phrases removed, cut at the next quantity, a bracket, a comma or a
       subordinate clause;
    3. rates: "the rate of X" before, or the population after "per 10,000";
    4. percentages: "N% of X ..." -> X and the rest of its clause; "X (N%)" -> X; counts in a
       bracketed share: "X (N of the M)" -> X for N and M;
    5. a bare count: what follows it ("(73%) live outside the area", "of these cases");
    6. "the X of N" -> X ("the statutory timescale of 26 weeks");
    7. the words before the quantity back to the clause start, a bracket, a comma or a number,
       trailing verb dropped ("most decisions are made", "national average"), unless empty, one
       word or a pronoun, or the quantity is a proportion followed by its predicate ("just under
       half being completed in the required time"): then the words after it;
    8. otherwise the sentence without the quantity, so that no row is left unexplained.
    """
    c_s, c_e = clause
    num_end = max(r.num_end or r.end, r.start)
    tail_text = _tail(text, r, num_end, min(c_e, max(next_start, num_end)))
    before = text[c_s : r.start]
    if r.unit == "cases_per_worker" and (m := _CASELOAD_NP.search(text, sent[0], sent[1])):
        return _clean_phrase(m.group())
    if r.unit in ("count", "cases_per_worker") and (np := _counted_noun(text, r, num_end, tail_text)):
        return np
    if r.unit in _RATE_UNITS and (m := _RATE_OF.search(before) or _PER_POPULATION.match(text[num_end:c_e])):
        return _clean_phrase(m.group(1))
    if r.unit.startswith("percent"):
        if m := _SHARE_OF.match(tail_text):
            return _clean_phrase(m.group(1))
        if phrase := _bracketed_share(before):
            return phrase
    if r.unit == "count" and (phrase := _share_in_brackets(text, before, num_end)):
        return phrase
    if r.unit == "count" and (phrase := _what_a_count_counts(text, num_end, c_e)):
        return phrase
    if m := _THE_X_OF.search(before):
        return _clean_phrase(m.group(1))
    return _words_around(text, r, sent, before, tail_text)


def _tail(text: str, r: _Reading, num_end: int, stop: int) -> str:
    """The words after the quantity up to `stop`, period phrases removed, cut at a bracket, a
    comma or a subordinate clause."""
    raw_tail = _CLOSING_BRACKET.sub(" ", _without_periods(text[max(r.end, num_end) : stop]))
    return _SUBJECT_CUT.split(raw_tail, maxsplit=1)[0]


def _counted_noun(text: str, r: _Reading, num_end: int, tail_text: str) -> str | None:
    """Rule 2: the counted noun phrase and the rest of its clause."""
    return _clean_phrase(text[num_end : r.noun_end] + tail_text) if r.noun_end else None


# A share in brackets, "(135 of the 142)": what comes before its whole, and after its part.
_SHARE_IN_BRACKET = re.compile(r"\(\s*\d[\d,]*\s+(?:out\s+)?of\s+(?:the\s+)?$")
_SHARE_PART_AFTER = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+)?\d[\d,]*\s*\)")
_SHARE_WHOLE_AFTER = re.compile(r"\s*\)")
_VAGUE_SHARE = re.compile(r"\b(?:majority|minority|proportion|number|most|many|some)$", _I)


def _share_in_brackets(text: str, before: str, num_end: int) -> str | None:
    """Rule 4 for counts: "care leavers (135 of the 142)" -> care leavers, for 135 and for 142;
    not when the words before the bracket are themselves a share ("the vast majority (54 out of
    58) of its care leavers")."""
    if before.rstrip().endswith("(") and _SHARE_PART_AFTER.match(text, num_end):
        phrase = _bracketed_share(before)
    elif _SHARE_IN_BRACKET.search(before) and _SHARE_WHOLE_AFTER.match(text, num_end):
        phrase = _bracketed_share(_SHARE_IN_BRACKET.sub("(", before))
    else:
        return None
    return None if phrase is None or _VAGUE_SHARE.search(phrase) else phrase


def _bracketed_share(before: str) -> str | None:
    """Rule 4, "X (N%)" -> X; "the proportion of X (N%)" -> X."""
    # It ends with "(" or "( or": a cheap test spares a search at every letter of `before`.
    if before.rstrip().endswith(("(", "or")) and (m := _BEFORE_BRACKET.search(before)):
        np = m.group(1)
        if _PROPORTION_OF.search(np):
            np = _OF.split(np, maxsplit=1)[-1]
        return _clean_phrase(np)
    return None


def _what_a_count_counts(text: str, num_end: int, c_e: int) -> str | None:
    """Rule 5: what follows a bare count, past a bracketed figure ("11 (9.4%) left")."""
    after = _without_periods(text[num_end:c_e])
    m = _COUNT_REST.match(after)
    rest = _SUBJECT_CUT.split(m.group(1) if m else after, maxsplit=1)[0]
    return _clean_phrase(rest)


def _words_around(text: str, r: _Reading, sent: Span, before: str, tail_text: str) -> str | None:
    """Rules 7 and 8: the words before the quantity, or after it, or else the whole sentence."""
    lead_words = _LEAD_CUT.split(before)[-1]
    lead = _clean_phrase(_without_periods(lead_words), lead=True)
    if lead is None:  # "at ages 19 and 20 is 40%": the words before the last number
        lead_words = _LEAD_CUT_NO_NUMBER.split(before)[-1]
        lead = _clean_phrase(_without_periods(lead_words), lead=True)
    tail_phrase = _clean_phrase(tail_text)
    empty_lead = (
        lead is None
        or bool(_PRONOUN.match(lead))
        or all(w.lower() in _STOP for w in lead.split())
    )
    weak_lead = empty_lead or len((lead or "").split()) < 2
    predicate_follows = r.unit.startswith("percent") and not _TRAILING_VERB.search(
        lead_words.rstrip()
    )
    long_tail = bool(tail_phrase) and len((tail_phrase or "").split()) >= 2
    if tail_phrase and (empty_lead or ((weak_lead or predicate_follows) and long_tail)):
        return tail_phrase
    if lead or tail_phrase:
        return lead or tail_phrase
    return _clean_phrase(_without_periods(text[sent[0] : r.start] + " " + text[r.end : sent[1]]))


def _row_subject(text: str, clause: Span, r: _Reading, sent: Span, next_start: int) -> str | None:
    """`_subject` made safe to read alone (`tidy_subject`, `all_but_subject`): "all but five
    young people" says the five are the exceptions."""
    subject = tidy_subject(_subject(text, clause, r, sent, next_start))
    if r.qualifier == "all_but":
        lead = _clean_phrase(text[max(clause[0], r.start - 80) : r.start].split(".")[-1])
        return all_but_subject(subject, lead)
    return subject


def _borrow_subjects(rows: list[Row], sents: list[Span]) -> None:
    """A total, previous, target or comparison row whose subject is missing or names only the
    benchmark ("local authority target") takes that of the nearest value row of its sentence,
    with the benchmark after it: "(65% within 72 hours)": the 72 hours are for what the 65%
    measures; "95% ... the local authority target of 98%" -> "<what 95% measures>, local
    authority target"."""
    for i, row in enumerate(rows):
        own = row["subject"]
        if row["kind"] == "value" or not names_only_a_benchmark(own):
            continue
        near = [j for j in range(max(0, i - 4), min(len(rows), i + 5)) if sents[j] == sents[i]]
        values = [j for j in near if rows[j]["kind"] == "value" and rows[j]["subject"]]
        if values:
            measured = rows[min(values, key=lambda j: abs(j - i))]["subject"]
            row["subject"] = with_benchmark(measured, own)


# ---------------------------------------------------------------------------------------------
# Subjects made safe to read alone
# ---------------------------------------------------------------------------------------------
_NUMBER = r"(?:£?\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent\b)?|%)"
_LEADING_NUMBER = re.compile(rf"^(?:{_NUMBER}\s*(?:\([^()]*\)\s*)?(?:out\s+of\s+|of\s+)?)+", _I)
_TRAILING_NUMBER = re.compile(rf"(?:\s*\(?{_NUMBER}\)?)+$", _I)
# Words a phrase cannot end with: it was cut before what they introduce.
_DANGLING_WORDS = _words(
    """the a an its their his her our this these those of in on at to for from by with within
    beyond than and or as is was are were be been has have had about into over under between
    against compared per whose which that who where when while"""
)
_DANGLING = re.compile(rf"\s+(?:{'|'.join(sorted(_DANGLING_WORDS))})$", _I)
_LEADING_LINK = re.compile(r"^(?:from|to|and|or|of|by|than)\s+", _I)
_ONLY_LINKS = re.compile(r"^(?:from|to|and|or|of|by|than|up|down|the|a|an)$", _I)
_LINK_WORDS = frozenset(("from", "to", "and", "or", "of", "by", "than", "up", "down", "the", "a", "an"))
_LETTER = re.compile(r"[A-Za-z]{2,}")


def tidy_subject(subject: str | None) -> str | None:
    """`subject` without leading or trailing numbers and dangling words; None if nothing is
    left that names a thing."""
    if not subject:
        return None
    words = subject.split()
    if (  # the common case, at once: no figure, nothing dangling at either end
        not any(c.isdigit() or c == "%" for c in subject)
        and words[-1].lower() not in _DANGLING_WORDS
        and words[0].lower() not in _LINK_WORDS
        and len(words) > 1
    ):
        return subject
    s = subject
    for _ in range(4):
        before = s
        s = _LEADING_NUMBER.sub("", _LEADING_LINK.sub("", s)).strip(" ,;:.()-")
        s = _TRAILING_NUMBER.sub("", s).strip(" ,;:.()-")
        s = _DANGLING.sub("", s).strip(" ,;:.()-")
        if s == before:
            break
    return s if _LETTER.search(s) and not _ONLY_LINKS.match(s) else None


def all_but_subject(noun: str | None, lead: str | None) -> str | None:
    """The subject of an 'all but N' row: the N are the exceptions to what the clause says of
    the rest ("The service is in contact with all but five young people" -> "young people not
    covered by: The service is in contact with")."""
    if not lead:
        return noun
    return f"{noun or 'those'} not covered by: {lead}"


# Words that only name a benchmark or a target, not what is measured ("local authority target").
_BENCHMARK_ONLY = _words(
    """the a an and its their own our local authority authority's authority’s council council's
    council’s national nationally england england's regional region statistical neighbours
    neighbour similar authorities comparator comparators average averages target targets
    threshold thresholds timescale timescales standard standards scorecard level rate figure
    expected required statutory agreed ambitious previous year's year’s three-year two-year
    five-year rolling country whole in as of"""
)


def names_only_a_benchmark(subject: str | None) -> bool:
    """True for a subject such as "local authority target" or "England average"."""
    return not subject or all(w.lower().strip(",.") in _BENCHMARK_ONLY for w in subject.split())


def with_benchmark(measured: str, own: str | None) -> str:
    """What a target or comparison is for, and which it is ("care leavers in EET, national average")."""
    return f"{measured}, {own}" if own else measured
