"""Findings extractor: sentence splitting, polarity cues, themes, and the hand-labelled gold.

Unit excerpts are real Ofsted wording from authorities other than the gold ones, so the gold test
below measures the rules rather than sentences copied into them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ofsted_findings.clean import clean_text, detect_format
from ofsted_findings.extract.findings import extract_findings
from ofsted_findings.extract.polarity import classify_polarity
from ofsted_findings.extract.themes import _ranked, load_themes, theme_scores
from ofsted_findings.ingest.discover import read_raw
from ofsted_findings.run.worker import read_and_clean
from tests.conftest import REPO

RAW = REPO / "raw"
GOLD = REPO / "tests" / "fixtures" / "gold" / "seeds" / "findings_sample.jsonl"
GOLD_SOURCES = {
    "001_ea1449b46b28d26e.txt": "dudley_2018-12-10_inspection_report.txt",
    "004_e8ec4b788805ad88.txt": "dudley_2025-11-20_focused_visit_letter.md",
}
POLARITIES = {"strength", "weakness", "mixed", "neutral"}


def _doc(text: str, fmt: str = "pdf_text", path: str = "x.txt"):
    return clean_text("d" * 16, path, fmt, text)


def test_numbered_paragraph_prefix_is_not_part_of_the_sentence():
    doc = _doc(
        "Introduction text here.\n\n"
        "12. Care leavers benefit from a comprehensive local offer. PAs know them well.\n\n"
        "13.Children are seen alone and their views are heard.\n"
    )
    texts = [r["text"] for r in extract_findings(doc)]
    assert "Care leavers benefit from a comprehensive local offer." in texts
    assert "PAs know them well." in texts
    assert "Children are seen alone and their views are heard." in texts
    assert not any(re.match(r"\d", t) for t in texts)
    numbers = {r["text"]: r["paragraph"] for r in extract_findings(doc)}
    assert numbers["PAs know them well."] == 12


# --- what is (not) a finding ----------------------------------------------------------------

LETTER = """Ofsted
Piccadilly Gate
Manchester
M1 2WD

1 March 2024

Jane Doe
Director of Children's Services

Dear Ms Doe

### Focused visit to Anytown children's services

This letter summarises the findings of the focused visit to Anytown children's services \
on 1 and 2 February 2024. His Majesty's Inspectors for this visit were A Smith and B Jones.

### What needs to improve in this area of social work practice

- The timeliness of return home interviews. (outcome 3, national framework)

### Main findings

Return home interviews for children who go missing are not consistently offered or completed.

- Children are seen quickly when incidents occur.

Ofsted will take the findings from this focused visit into account when planning the next inspection or visit.

Yours sincerely

A Smith
**His Majesty's Inspector**
"""


def test_letter_front_matter_boilerplate_and_recommendations_are_skipped():
    doc = _doc(LETTER, "markdown", "letter.md")
    rows = extract_findings(doc)
    assert [(r["section"], r["text"]) for r in rows] == [
        (
            "main_findings",
            "Return home interviews for children who go missing are not consistently offered or completed.",
        ),
        ("main_findings", "Children are seen quickly when incidents occur."),
    ]
    assert rows[0]["polarity"] == "weakness"
    assert rows[1]["polarity"] == "strength"
    for r in rows:
        assert doc.text[r["start"] : r["end"]] == r["text"]
        assert r["page"] is None
        assert r["document_id"] == "d" * 16


def test_imperative_recommendations_are_not_findings():
    doc = _doc(
        "Areas for improvement\n\n"
        "Ensure that the designated officer has an effective system for recording allegations. "
        "Review child protection conferences are timely and well attended.\n"
    )
    assert [r["text"] for r in extract_findings(doc)] == [
        "Review child protection conferences are timely and well attended."
    ]


# --- polarity -----------------------------------------------------------------------------

POLARITY_CASES = [
    # plain praise and criticism
    ("Corporate parenting is well established across the council.", "strength"),
    ("Social work practice in the fostering team is a strength.", "strength"),
    ("Assessments are neither thorough nor analytical.", "weakness"),
    ("A small number of children have been subject to child protection plans for too long.", "weakness"),
    ("Quality assurance processes are significantly under-developed.", "weakness"),
    # negation flips praise, and criticism negated is faint praise
    ("Return home interviews are not consistently offered or completed.", "weakness"),
    ("The decision-making for placement with parents is not consistent or robust.", "weakness"),
    ("Pupils are not moved unnecessarily.", "strength"),
    ("Not all children are visited quickly enough after allocation.", "weakness"),
    ("The local authority has not yet evaluated the impact of the new service.", "weakness"),
    # hedges, counterfactuals and comparatives
    ("Adopters would benefit from more timely support.", "weakness"),
    ("Referrals receive a less well-coordinated response.", "weakness"),
    ("Plans are mostly analytical and clearly identify what help children require.", "strength"),
    # both sides of a contrast
    ("Although visits are regularly undertaken, records of visits are not always up to date.", "mixed"),
    ("The quality of assessments has improved, but not all are completed in a timely manner.", "mixed"),
    ("Children looked after do well at primary school, but less well at secondary school.", "mixed"),
    # a concession without real praise stays criticism
    ("Some use of the tool was seen, but it was not used effectively.", "weakness"),
    # description, intentions and history are neutral
    ("At 13 October 2015, 209 children were the subject of a child protection plan.", "neutral"),
    ("The council is working with schools to ensure that attendance improves.", "neutral"),
    ("The last inspection found that services for care leavers were good.", "neutral"),
]


@pytest.mark.parametrize(("sentence", "expected"), POLARITY_CASES)
def test_polarity_cues(sentence, expected):
    assert classify_polarity(sentence) == expected


# --- themes -------------------------------------------------------------------------------


def _top(sentence: str) -> list[str]:
    scores = theme_scores(sentence)
    return [c for c, _ in sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[1][1]))]


@pytest.mark.parametrize(
    ("sentence", "theme"),
    [
        ("Return home interviews for children who go missing are offered.", "exploitation_missing"),
        ("The virtual school tracks the attendance of children in care closely.", "education_virtual_school"),
        ("Personal advisers keep in touch with care leavers.", "care_leavers"),
        ("The designated officer responds to allegations promptly.", "allegations_lado"),
        ("The emergency duty team responds well at weekends.", "out_of_hours"),
        ("Young people aged 16 and 17 who present as homeless are assessed.", "homelessness_16_17"),
        ("Children benefit from timely decisions in the MASH.", "front_door_mash"),
    ],
)
def test_theme_keywords(sentence, theme):
    assert _top(sentence)[0] == theme


def test_themes_rank_by_hits_then_first_mention():
    assert _ranked({}) == []
    assert _ranked({"a": (1.0, 5)}) == ["a"]
    scores = {"late": (1.0, 9), "most": (3.0, 20), "early": (1.0, 2), "tie": (1.0, 2)}
    assert _ranked(scores) == ["most", "early", "tie", "late"]  # equal keys keep their order


def test_longer_phrases_win_over_their_parts():
    # "initial health assessments" is health, not assessment; "missing education" is education.
    assert _top("Initial health assessments are not timely.") == ["health"]
    themes = _top("Arrangements identify children missing full-time education.")
    assert "education_virtual_school" in themes and "exploitation_missing" not in themes


def test_paragraph_topic_and_anaphora_carry_themes():
    doc = _doc(
        "4. The emergency duty team provides effective responses overnight. "
        "Decision-making is appropriate and timely. "
        "This means that children are safe.\n"
    )
    rows = extract_findings(doc)
    assert [r["themes"][0] for r in rows] == ["out_of_hours"] * 3


def test_taxonomy_is_data_with_every_gold_code():
    themes = load_themes()
    codes = [t.code for t in themes]
    assert len(codes) == len(set(codes))
    gold_codes = {c for row in _gold() for c in row["themes"]}
    assert gold_codes <= set(codes)
    for extra in ("care_leavers", "education_virtual_school", "corporate_parenting", "neglect"):
        assert extra in codes
    for t in themes:
        assert re.fullmatch(r"[a-z0-9_]+", t.code)
        assert len(t.description) > 40 and t.what_counts and t.keywords
        for k in t.keywords:
            assert k == k.lower()
            assert re.compile(k).groups == 0


# --- the sample documents and the gold ----------------------------------------------------


def _gold() -> list[dict]:
    with GOLD.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def _clean(path: Path):
    if path.suffix == ".pdf":  # the sample's PDFs, cleaned by their layout
        return read_and_clean(read_raw(path.parent, path))[1]
    text = path.read_text(encoding="utf-8")
    return clean_text(path.name, path.name, detect_format(path.name, text), text)


@pytest.fixture(scope="module")
def gold_rows() -> dict[str, list[dict]]:
    return {g: extract_findings(_clean(RAW / name)) for g, name in GOLD_SOURCES.items()}


@pytest.mark.parametrize("name", sorted(p.name for p in RAW.iterdir() if p.is_file()))
def test_every_row_is_its_span_and_well_formed(name):
    doc = _clean(RAW / name)
    codes = {t.code for t in load_themes()}
    rows = extract_findings(doc)
    assert rows == extract_findings(doc)  # pure and deterministic
    for r in rows:
        assert doc.text[r["start"] : r["end"]] == r["text"]
        assert r["text"] == r["text"].strip() and r["text"]
        assert r["polarity"] in POLARITIES
        assert len(r["themes"]) <= 3 and set(r["themes"]) <= codes
        assert len(set(r["themes"])) == len(r["themes"])
        assert r["page"] == doc.page_at(r["start"])
        assert not re.match(r"(?:Dear|Yours sincerely|This letter)\b", r["text"])


def test_gold_polarity_and_themes(gold_rows):
    gold = _gold()
    index = {(g, _norm(r["text"])): r for g, rows in gold_rows.items() for r in rows}
    correct = tp = fp = fn = 0
    for g in gold:
        row = index.get((g["file"], _norm(g["sentence"])))
        want = set(g["themes"])
        if row is None:  # an unmatched gold sentence is wrong on every count
            fn += len(want)
            continue
        correct += row["polarity"] == g["polarity"]
        got = set(row["themes"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    accuracy = correct / len(gold)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"polarity {accuracy:.3f}; themes P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    assert accuracy >= 0.85
    assert f1 >= 0.75


def test_gold_sentences_keep_their_section_and_paragraph(gold_rows):
    index = {(g, _norm(r["text"])): r for g, rows in gold_rows.items() for r in rows}
    gold = _gold()
    found = [(g, index.get((g["file"], _norm(g["sentence"])))) for g in gold]
    assert all(r is not None for _, r in found)
    assert all((r["section"], r["paragraph"]) == (g["section"], g["paragraph"]) for g, r in found)


def test_themes_csv_rows_have_exactly_the_header_columns():
    """An unquoted comma in a keyword pattern would silently cut the keyword list short."""
    import csv
    from importlib import resources

    path = resources.files("ofsted_findings.reference") / "themes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert all(len(row) == len(rows[0]) for row in rows)
