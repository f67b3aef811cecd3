"""Recommendations: the items of a 'What needs to improve' section, in order; in letters and
articles without one, the sentences that state what must improve."""

from __future__ import annotations

import re

from ofsted_findings.clean.structure import recommendation_sections
from ofsted_findings.extract.framework_refs import code_of, split_tag
from ofsted_findings.extract.keywords import keywords
from ofsted_findings.extract.sentences import paragraph_sentences
from ofsted_findings.extract.themes import themes_of
from ofsted_findings.models import CleanDocument, Paragraph, Row

# "The inspection did not find any areas for priority and immediate action."
NO_RECOMMENDATION = re.compile(r"\b(?:did not|does not|no)\b[^.]{0,40}\b(?:find|identify|identified|found)\b"
                               r"|\bthere (?:are|were) no\b", re.I)
_NUMBERED = re.compile(r"\s*(\d{1,3})\.\s")
# Prose that states what must improve.
CUE = re.compile(
    r"\brecommend(?:s|ed)?\b|\bshould\s+(?=[a-z])|\bmust\s+(?=[a-z])|\bneeds? work\b"
    r"|\bneeds? to improve\b|\bfurther work (?:is|needs|will)\b|\b(?:is|are) (?:also )?needed to\b"
    r"|\bcould be (?:strengthened|improved|better)\b",
    re.I,
)
# Statements about what others know or decide, not what inspectors ask for.
REPORTED = re.compile(
    r"\b(?:knows?|understands?|understand|acknowledges?|recognises?|accepts?) that\b"
    r"|\bwhether\b",
    re.I,
)
# "X needs work ... and Y should ...": two recommendations in one sentence.
_SECOND_CLAUSE = re.compile(
    r"\s+and\s+(?!that\b|should\b|must\b)(?=(?:[\w’'-]+\s+){1,6}(?:should|must|needs?)\b)"
)


def extract_recommendations(doc: CleanDocument) -> list[Row]:
    items = _section_items(doc)
    if not items:
        items = _prose(doc)
    rows = []
    for seq, (start, end) in enumerate(items, start=1):
        evidence = doc.text[start:end]
        text, ref = split_tag(evidence.strip())
        number = _NUMBERED.match(text)
        text = text[number.end() :] if number else text
        rows.append(
            {
                "document_id": doc.document_id,
                "seq": seq,
                "stated_number": int(number.group(1)) if number else None,
                "text": text,
                "framework_ref": ref,
                "framework_code": code_of(ref) if ref else None,
                "keywords": keywords(text),
                "themes": themes_of(text),
                "evidence": evidence,
                "start": start,
                "end": end,
                "page": doc.page_at(start),
            }
        )
    return rows


def _section_items(doc: CleanDocument) -> list[tuple[int, int]]:
    """Paragraphs of the recommendation sections. Where a section lists its recommendations as
    items (or else numbered paragraphs), its other paragraphs ("The inspection did not find any
    areas for priority and immediate action", an introduction) are not among them."""
    groups: dict[int, list[Paragraph]] = {}  # by the section the paragraph is in (its start)
    sections = recommendation_sections()
    for p in doc.paragraphs:
        if p.section in sections and p.kind in ("item", "text"):
            section = doc.section_at(p.start)
            groups.setdefault(section.start if section else -1, []).append(p)
    out = []
    for group in groups.values():
        numbered = [p for p in group if _NUMBERED.match(doc.text, p.start)]
        items = [p for p in group if p.kind == "item"]
        if len(numbered) > 1 or (numbered and not items):
            # A numbered list; one numbered paragraph over bullets ("15. In order to improve
            # ..., the local authority should:") introduces them instead.
            out.extend(_numbered_with_their_bullets(group, numbered))
            continue
        chosen = items or [p for p in group if not NO_RECOMMENDATION.search(doc.text, p.start, p.end)]
        out.extend((p.start, p.end) for p in chosen)
    return out


def _numbered_with_their_bullets(group: list[Paragraph], numbered: list[Paragraph]) -> list[tuple[int, int]]:
    """Each numbered recommendation with the bulleted items right after it ("1. Strengthen
    oversight of:" and its three bullets are one recommendation)."""
    heads = {p.start for p in numbered}
    spans: list[list[int]] = []
    for p in group:
        if p.start in heads:
            spans.append([p.start, p.end])
        elif p.kind == "item" and spans:
            spans[-1][1] = p.end
    return [(a, b) for a, b in spans]


def _prose(doc: CleanDocument) -> list[tuple[int, int]]:
    text = doc.text
    out: list[tuple[int, int]] = []
    for p in doc.paragraphs:
        if p.kind not in ("text", "item"):
            continue
        for s, e in paragraph_sentences(doc, p.start, p.end):
            sentence = text[s:e]
            cue = CUE.search(sentence)
            if not cue or REPORTED.search(sentence[: cue.end()]):
                continue
            split = _SECOND_CLAUSE.search(sentence, cue.end())
            if split:
                out.append((s, s + split.start()))
                out.append((s + split.end(), e))
            else:
                out.append((s, e))
    return out
