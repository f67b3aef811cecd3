"""Findings: the evaluative sentences of a cleaned report, each with a polarity and 1-3 themes.

Everything here is rule-based and deterministic so a finding can be traced to its cue words.
What is (not) a finding is data at the top of this module; the polarity cues are in
polarity.py, the theme taxonomy in themes.py (data in ``reference/themes.csv``), and sentences
come from the one splitter (sentences.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ofsted_findings.extract.finding_model import FindingModels, judgement_grade
from ofsted_findings.extract.polarity import classify_polarity
from ofsted_findings.extract.sentences import NUMBERED, paragraph_body, paragraph_sentences
from ofsted_findings.extract.themes import assign_themes
from ofsted_findings.models import CleanDocument
from ofsted_findings.settings import MIN_WORDS_UNPUNCTUATED

# --------------------------------------------------------------------------------------------
# Data: what is (not) a finding
# --------------------------------------------------------------------------------------------

# Sections that hold recommendations or the scope of a visit, not findings (the recommendations
# extractor owns the first two). Numbered paragraphs inside one are findings all the same: the
# report numbers its findings, never its recommendations, so a numbered paragraph there means
# the next judgement heading was missed, and the section's findings run from it.
SKIP_SECTIONS = frozenset({"what_needs_to_improve", "next_steps", "areas_covered"})
FINDING_KINDS = frozenset({"text", "item"})

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

_TERMINAL = re.compile(r"[.!?:;…][\"”’')\]]*\s*$")

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


def extract_findings(
    doc: CleanDocument, models: FindingModels | None = None, grades: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every sentence of the report's findings prose, with polarity, themes and its span.

    With `models` (finding_model.py, trained on gold made by reading) polarity and themes are
    theirs, the rules' readings being among their features, and `grades` (judgement area ->
    grade of this inspection, from extract_judgements) the polarity model's reading of each
    section's grade; without models, the rules' alone.

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
            and NUMBERED.match(doc.text, para.start, para.end)
        ):
            numbered_from[para.section] = para.start
        if para.kind not in FINDING_KINDS:
            continue
        if para.section in SKIP_SECTIONS and para.start < numbered_from.get(para.section, 1 << 62):
            continue
        body_start = paragraph_body(doc.text, para.start, para.end)
        body = doc.text[body_start : para.end]
        if _is_front_matter(body.strip()):
            continue
        spans: list[tuple[int, int]] = []
        texts: list[str] = []
        # the paragraph's sentences, its number and list marker in none (sentences.py)
        for a, b in paragraph_sentences(doc, para.start, para.end):
            text = doc.text[a:b]
            if _is_sentence(text) and not BOILERPLATE.match(text) and not RECOMMENDATION.match(text):
                spans.append((a, b))
                texts.append(text)
        section, number = para.section, para.number
        themes = assign_themes(texts, section)
        if models is not None:
            grade = judgement_grade(grades or {}, section)
            readings = models.read_paragraph(texts, themes, section, grade)
        else:
            readings = [(classify_polarity(t), None, codes) for t, codes in zip(texts, themes, strict=True)]
        for (a, b), text, (polarity, confidence, codes) in zip(spans, texts, readings, strict=True):
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
