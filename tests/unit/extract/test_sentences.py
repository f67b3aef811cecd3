"""The one sentence splitter (extract/sentences.py): abbreviations, initials, quotes, bullet
glyphs and numbered paragraphs, on excerpts of real reports; its agreement with its definition;
and that every extractor reads sentences through it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_findings.clean import clean_text
from ofsted_findings.clean import patterns as clean_patterns
from ofsted_findings.extract import findings, judgements, metrics, recommendations, sentences
from ofsted_findings.extract.sentences import _GLYPH, ABBREVIATIONS, BULLET_GLYPHS, sentence_spans
from ofsted_findings.ingest.discover import read_raw
from ofsted_findings.run.worker import read_and_clean
from tests.conftest import RAW


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]



# --- the splitter on made-up sentences ------------------------------------------------------


def test_split_keeps_abbreviations_and_initials_inside_sentences():
    text = (
        "Mr J. Smith, the DCS, meets staff weekly, e.g. in the MASH, and i.e. in person. "
        "Social workers use tools (No. 4 in the toolkit) well. Dr Patel chairs the panel."
    )
    assert _sentences(text) == [
        "Mr J. Smith, the DCS, meets staff weekly, e.g. in the MASH, and i.e. in person.",
        "Social workers use tools (No. 4 in the toolkit) well.",
        "Dr Patel chairs the panel.",
    ]


def test_split_after_closing_quotes_and_before_opening_ones():
    text = (
        'One adopter described support as "fantastic." "It is a strength," said a carer. '
        "Children’s views are ‘heard’. 26 children were seen."
    )
    assert _sentences(text) == [
        'One adopter described support as "fantastic."',
        '"It is a strength," said a carer.',
        "Children’s views are ‘heard’.",
        "26 children were seen.",
    ]


def test_split_does_not_break_decimals_or_lowercase_continuations():
    text = "Only 62.5% of plans are timely. This is worse than in 2016, i.e. lower. Plans vary."
    assert _sentences(text) == [
        "Only 62.5% of plans are timely.",
        "This is worse than in 2016, i.e. lower.",
        "Plans vary.",
    ]


def test_split_at_inline_bullet_glyphs_and_offsets_are_exact():
    text = "Prefix More needs to be done. \uf06e Most care leavers are safe."
    spans = sentence_spans(text, 7)
    assert [text[a:b] for a, b in spans] == [
        "More needs to be done.",
        "Most care leavers are safe.",
    ]


def _split_by_definition(text: str) -> list[tuple[int, int]]:
    """The splitter as first written (one regex per kind of cut, all cuts sorted): the faster
    version must give the same spans."""
    boundary = re.compile(r"[.!?…]+([\"”’')\]]*)(?=\s+[\"“‘'(\[]?[A-Z0-9])")
    glyph = re.compile(f"[{BULLET_GLYPHS}]")

    def abbreviation(end: int) -> bool:
        # the word before the stop, no further back than a number or marker glued to it
        floor = max((b for b in prefixes.values() if b <= end), default=0)
        token = re.search(r"[^\s\"“‘'(\[]*$", text[floor:end]).group()
        low = token.lower()
        return (
            low in ABBREVIATIONS
            or bool(re.fullmatch(r"[A-Z]", token))
            or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", low))
        )

    # a number or list marker opening the text or a line, and list markers after it ("12. (a) ")
    marker = re.compile(
        r"\s*(?:\d{1,3}\.(?:\d{1,2}\.?)?(?:\s+|(?=[A-Z‘“'\"(]))|\(?(?:[a-h]|[ivx]{1,4})\)\s+)"
        r"(?:\s*\(?(?:[a-h]|[ivx]{1,4})\)\s+)*"
    )
    prefixes = {}
    for line_start in [0, *(m.end() for m in re.finditer("\n", text))]:
        if m := marker.match(text, line_start):
            prefixes[line_start] = m.end()

    cuts = [0]
    for m in boundary.finditer(text):
        single_stop = text[m.start()] == "." and m.end() - m.start() - len(m.group(1)) == 1
        in_marker = any(a <= m.start() < b for a, b in prefixes.items())
        if not in_marker and not (single_stop and abbreviation(m.start())):
            cuts.append(m.end())
    cuts += [m.end() for m in re.finditer("\n", text)]
    cuts += [i for m in glyph.finditer(text) for i in (m.start(), m.end())]
    ordered = sorted(set([*cuts, len(text)]))
    spans = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        a = max(a, prefixes.get(a, a))
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if b - a - lead - trail > 0 and not glyph.fullmatch(piece.strip()):
            spans.append((a + lead, b - trail))
    return spans


_WORDS = ["Mr", "J", "e.g", "i.e", "U.K", "No", "approx", "Approx", "Approximately", "planning",
          "x", "2016", "62.5%", "İ", "\u212a", "\uf06e", "\u2022", "“Good", "(Plans", "'"]  # fmt: skip
_STOPS = ["", ".", "!", "?", "…", "?!", "..", '."', ".’", ".)", ",", "\n"]
_GAPS = ["", " ", "  ", "\n", " \n", "\t", " \uf06e ", "\n3. ", "\n(b) ", "\n2.1 "]


def test_split_agrees_with_its_definition_on_every_pair_of_words():
    for first in _WORDS:
        for stop in _STOPS:
            for gap in _GAPS:
                for second in _WORDS:
                    text = f"Then {first}{stop}{gap}{second} went."
                    assert sentence_spans(text) == _split_by_definition(text), text


def test_no_bullet_glyph_is_ascii():
    """sentence_spans skips the glyph scan in ASCII text."""
    assert not any(_GLYPH.match(chr(i)) for i in range(128))


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_WORDS) | st.text(max_size=3), st.sampled_from(_STOPS), st.sampled_from(_GAPS)
        ).map("".join),
        max_size=12,
    ).map("".join)
)
def test_split_agrees_with_its_definition(text):
    assert sentence_spans(text) == _split_by_definition(text)
    # a slice of a longer text: the same spans, in the longer text's offsets
    assert sentence_spans("Pre. " + text + " Post.", 5, 5 + len(text)) == [
        (a + 5, b + 5) for a, b in _split_by_definition(text)
    ]


# --- real excerpts (the 122-report corpus) --------------------------------------------------


def test_abbreviation_inside_a_sentence_does_not_end_it():
    # sandwell 2013
    text = (
        "The local authority has worked to ensure maximum advantage is made of existing funding "
        "streams, i.e. bursaries and loans. However, there appears to be a group of young people "
        "not in education."
    )
    assert _sentences(text) == [
        "The local authority has worked to ensure maximum advantage is made of existing funding "
        "streams, i.e. bursaries and loans.",
        "However, there appears to be a group of young people not in education.",
    ]
    assert {"e.g", "i.e", "no", "dr", "cllr"} <= ABBREVIATIONS


def test_a_sentence_ends_after_the_closing_quote_of_a_quoted_sentence():
    # leicestershire 2019
    text = (
        "One child said, ‘Being in care has given me opportunities I wouldn’t have.’ Many children "
        "have been successful in achieving awards."
    )
    assert _sentences(text) == [
        "One child said, ‘Being in care has given me opportunities I wouldn’t have.’",
        "Many children have been successful in achieving awards.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a paragraph number and list markers after it: every extractor reads the whole
        # paragraph, so the splitter cuts them all (findings once cut the number itself)
        ("12. (a) Leaders have improved the service. Children are safe.",
         ["Leaders have improved the service.", "Children are safe."]),
        ("4.2 (c) Plans are reviewed. Staff know them.", ["Plans are reviewed.", "Staff know them."]),
        ("(a) (i) Leaders act. Good.", ["Leaders act.", "Good."]),
        # a figure after a paragraph's number is prose, not a second number
        ("12. 2.5 per cent of children wait. Good.", ["2.5 per cent of children wait.", "Good."]),
        # a number glued to the word after it is no part of that word: "Dr." stays an abbreviation
        ("3.Dr. Patel, the principal social worker, leads well. Next one.",
         ["Dr. Patel, the principal social worker, leads well.", "Next one."]),
    ],
)  # fmt: skip
def test_a_number_and_its_markers_open_no_sentence(text, expected):
    assert _sentences(text) == expected


def test_numbered_paragraphs_split_at_their_sentences_and_keep_decimals():
    # barnsley 2018: a numbered paragraph of two sentences, a figure in it
    text = (
        "1. Children and families benefit from a good early help offer, which has been redesigned "
        "to be delivered through a family centre 0–19 model. This is ensuring a more equitable "
        "distribution of targeted support.\n\n2. There are 2.5 established pathways."
    )
    assert _sentences(text) == [
        "Children and families benefit from a good early help offer, which has been redesigned "
        "to be delivered through a family centre 0–19 model.",
        "This is ensuring a more equitable distribution of targeted support.",
        "There are 2.5 established pathways.",
    ]
    # a list marker too; a number inside a line is no marker
    assert _sentences("(b) Plans are timely. Staff visit 12. Children are seen.") == [
        "Plans are timely.",
        "Staff visit 12.",
        "Children are seen.",
    ]


def test_bullet_glyphs_are_one_list_for_cleaning_and_splitting():
    assert BULLET_GLYPHS is clean_patterns.BULLET_GLYPHS
    for glyph in ("\uf0b7", "\u2022", "\u25aa", "\u25cf"):
        assert _GLYPH.fullmatch(glyph)
        assert _sentences(f"Leaders are visible. {glyph} Staff are supported") == [
            "Leaders are visible.",
            "Staff are supported",
        ]


def test_metrics_evidence_keeps_the_closing_quote_of_its_sentence():
    doc = clean_text(
        "d" * 16,
        "x.txt",
        "plain_text",
        "One child said, ‘Being in care has given me opportunities I wouldn’t have.’ Many children "
        "have been successful in achieving awards.\n",
    )
    rows = metrics.extract_metrics(doc)
    assert [r["evidence"] for r in rows] == [
        "One child said, ‘Being in care has given me opportunities I wouldn’t have.’"
    ]


# --- every extractor splits with it ---------------------------------------------------------


@pytest.fixture(scope="module")
def letter():
    """The 2016 monitoring-visit letter: findings, metrics and recommendations in prose."""
    path = RAW / "dudley_2016-10-26_monitoring_visit_letter.txt"
    return read_and_clean(read_raw(RAW, path))[1]


def test_every_extractor_splits_with_the_one_function(letter, monkeypatch):
    calls: dict[str, set[tuple[int, int]]] = {}

    def recording(module: str):
        def spans(doc, start: int, end: int) -> tuple[tuple[int, int], ...]:
            found = sentences.paragraph_sentences(doc, start, end)
            calls.setdefault(module, set()).update(found)
            return found

        return spans

    for module in (findings, metrics, recommendations, judgements):
        assert module.paragraph_sentences is sentences.paragraph_sentences
        monkeypatch.setattr(module, "paragraph_sentences", recording(module.__name__))
    finding_rows = findings.extract_findings(letter)
    metric_rows = metrics.extract_metrics(letter)
    recommendation_rows = recommendations.extract_recommendations(letter)
    assert finding_rows and metric_rows and recommendation_rows
    assert {"findings", "metrics", "recommendations"} <= {m.rsplit(".", 1)[1] for m in calls}
    # A finding is one of the splitter's sentences, and (its paragraph unnumbered, as in a
    # letter) one metrics read too; a metric's evidence lies inside one of them.
    found = calls["ofsted_findings.extract.findings"]
    read_by_metrics = calls["ofsted_findings.extract.metrics"]
    assert {(r["start"], r["end"]) for r in finding_rows} <= found & read_by_metrics
    for r in metric_rows:
        assert any(a <= r["start"] and r["end"] <= b for a, b in read_by_metrics), r["evidence"]
    prose = calls["ofsted_findings.extract.recommendations"]
    for r in recommendation_rows:
        assert any(a <= r["start"] and r["end"] <= b for a, b in prose), r["evidence"]


def test_a_paragraph_is_split_once_for_every_extractor(monkeypatch):
    """Findings, metrics, recommendations and judgements read the same paragraphs: the splitter
    runs once a paragraph, and each gets the same spans."""
    doc = read_and_clean(read_raw(RAW, RAW / "dudley_2016-10-26_monitoring_visit_letter.txt"))[1]
    cut: list[tuple[int, int | None]] = []
    real = sentences.sentence_spans

    def counting(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        cut.append((start, end))
        return real(text, start, end)

    monkeypatch.setattr(sentences, "sentence_spans", counting)
    findings.extract_findings(doc)
    metrics.extract_metrics(doc)
    recommendations.extract_recommendations(doc)
    judgements.extract_judgements(doc)
    assert cut and len(cut) == len(set(cut))
    assert set(cut) <= {(p.start, p.end) for p in doc.paragraphs}
    for (start, end), spans in doc.sentences.items():
        assert list(spans) == real(doc.text, start, end)
