"""The five seed documents against the hand-checked gold (tests/fixtures/gold/seeds), run on their
own (`seed_tables`: raw/ also holds the seed 2018 report as a PDF, of which the text is then a
copy with no rows published); and the sample's PDFs' own facts, judgements and links."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files
from tests.conftest import RAW


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def _date(value) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _by_source(df: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    return df.merge(documents[["document_id", "source_path"]], on="document_id")


def _seeds(df: pd.DataFrame, gold_files: dict[str, str]) -> pd.DataFrame:
    """Rows (with a source_path) of the five seed documents."""
    return df[df.source_path.isin(set(gold_files.values()))]


SAMPLE_PDFS = ["dudley_2016-04-05.pdf", "dudley_2018-12-10.pdf", "dudley_2023-01-13.pdf"]


def test_every_sample_document_is_ok_and_one_publication_is_one_document(sample_tables, gold_files):
    docs = sample_tables.frames["documents"]
    assert len(_seeds(docs, gold_files)) == 5
    assert set(docs["source_path"]) == set(gold_files.values()) | set(SAMPLE_PDFS)
    by_source = docs.set_index("source_path")
    copy = by_source.loc["dudley_2018-12-10_inspection_report.txt"]
    assert (copy["status"], copy["duplicate_of"]) == (
        "same_publication", by_source.loc["dudley_2018-12-10.pdf", "document_id"]
    )
    assert set(docs[docs.source_path != copy.name]["status"]) == {"ok"}
    assert sample_tables.quarantine == []


def test_every_seed_document_is_ok_on_its_own(seed_tables):
    assert set(seed_tables.frames["documents"]["status"]) == {"ok"}
    assert seed_tables.quarantine == []


def test_documents_match_gold(sample_tables, gold, gold_files):
    docs = sample_tables.frames["documents"].set_index("source_path")
    for g in gold["documents"]:
        row = docs.loc[gold_files[g["file"]]]
        got = {
            "document_type": row["document_type"],
            "publisher": row["publisher"],
            "local_authority": row["local_authority"],
            "published_date": None if pd.isna(row["published_date"]) else row["published_date"],
            "inspection_start_date": None
            if pd.isna(row["inspection_start_date"])
            else row["inspection_start_date"],
            "inspection_end_date": None
            if pd.isna(row["inspection_end_date"])
            else row["inspection_end_date"],
            "inspection_type": row["inspection_type"],
            "inspectors": list(row["inspectors"]) if row["inspectors"] is not None else [],
            "author": None if pd.isna(row["author"]) else row["author"],
        }
        want = {
            "document_type": g["document_type"],
            "publisher": g["publisher"],
            "local_authority": g["local_authority"],
            "published_date": _date(g["published_date"]),
            "inspection_start_date": _date(g["inspection_start_date"]),
            "inspection_end_date": _date(g["inspection_end_date"]),
            "inspection_type": g["inspection_type"],
            "inspectors": g["inspectors"],
            "author": g["author"],
        }
        assert got == want, g["file"]
        titles = {_norm(t) for t in [g["title"], *g["title_alternatives"]]}
        assert _norm(row["title"]) in titles, g["file"]


def test_judgements_match_gold_exactly(seed_tables, gold, gold_files):
    frames = seed_tables.frames
    got = _seeds(_by_source(frames["judgements"], frames["documents"]), gold_files)
    got_set = {(r.source_path, r.area, r.grade) for r in got.itertuples()}
    want_set = {(gold_files[g["file"]], g["judgement_area"], g["grade"]) for g in gold["judgements"]}
    assert got_set == want_set
    assert len(got) == len(gold["judgements"])
    for g in gold["judgements"]:
        row = got[(got.source_path == gold_files[g["file"]]) & (got.area == g["judgement_area"])].iloc[0]
        quotes = [_norm(q) for q in [g["quote"], *g["alt_quotes"]]]
        evidence = _norm(row["evidence"])
        assert any(q in evidence or evidence in q for q in quotes), (g["file"], evidence)


def test_earlier_judgements_are_marked_as_such(seed_tables, gold_files):
    j = _seeds(_by_source(seed_tables.frames["judgements"], seed_tables.frames["documents"]), gold_files)
    earlier = j[j.judgement_of == "earlier_inspection"]
    assert set(earlier.source_path) == {
        "dudley_2017-07-05_news_cypnow.txt",
        "dudley_2016-10-26_monitoring_visit_letter.txt",
    }
    assert set(earlier.grade) == {"inadequate"}


def test_recommendations_match_gold_exactly(seed_tables, gold, gold_files):
    frames = seed_tables.frames
    got = _seeds(_by_source(frames["recommendations"], frames["documents"]), gold_files)
    got_rows = sorted(
        (r.source_path, r.seq, _norm(r.text), None if pd.isna(r.framework_ref) else r.framework_ref)
        for r in got.itertuples()
    )
    want_rows = sorted(
        (gold_files[g["file"]], g["seq"], _norm(g["text"]), g["framework_ref"])
        for g in gold["recommendations"]
    )
    assert got_rows == want_rows


def test_inspection_links(sample_tables):
    docs = sample_tables.frames["documents"].set_index("source_path")
    report = docs.loc["dudley_2018-12-10_inspection_report.txt", "inspection_id"]
    assert docs.loc["dudley_2018-12_news_willispalmer.txt", "inspection_id"] == report
    article_2017 = docs.loc["dudley_2017-07-05_news_cypnow.txt", "inspection_id"]
    letter_2016 = docs.loc["dudley_2016-10-26_monitoring_visit_letter.txt", "inspection_id"]
    assert article_2017 != letter_2016
    assert len({report, article_2017, letter_2016}) == 3


def test_every_evidence_span_is_the_cleaned_text(sample_tables, cleaned_texts):
    frames = sample_tables.frames
    sources = frames["documents"].set_index("document_id")["source_path"]
    checked = 0
    for table, column in [
        ("judgements", "evidence"),
        ("recommendations", "evidence"),
        ("metrics", "evidence"),
        ("findings", "text"),
        ("document_facts", "evidence"),
    ]:
        for r in frames[table].itertuples():
            text = cleaned_texts[sources[r.document_id]]
            assert text[r.start : r.end] == getattr(r, column), (table, r)
            checked += 1
    assert checked > 100


def _metric_matches(row, g) -> bool:
    quote, evidence = _norm(g["quote"]), _norm(row.evidence)
    overlaps = quote in evidence or evidence in quote
    same_qualifier = (row.qualifier if isinstance(row.qualifier, str) else None) == g["qualifier"]
    return overlaps and abs(row.value - g["value"]) < 1e-9 and same_qualifier


def test_metrics_precision_and_recall(seed_tables, gold, gold_files):
    got = _seeds(_by_source(seed_tables.frames["metrics"], seed_tables.frames["documents"]), gold_files)
    gold_rows = gold["metrics"]
    matched_gold = sum(
        any(_metric_matches(r, g) for r in got[got.source_path == gold_files[g["file"]]].itertuples())
        for g in gold_rows
    )
    gold_by_source = {}
    for g in gold_rows:
        gold_by_source.setdefault(gold_files[g["file"]], []).append(g)
    matched_got = sum(
        any(_metric_matches(r, g) for g in gold_by_source.get(r.source_path, [])) for r in got.itertuples()
    )
    recall = matched_gold / len(gold_rows)
    precision = matched_got / max(len(got), 1)
    print(f"metrics: precision {precision:.3f} ({matched_got}/{len(got)}), recall {recall:.3f}")
    assert recall >= 0.9
    assert precision >= 0.9


def test_findings_polarity_accuracy(seed_tables, gold, gold_files):
    got = _by_source(seed_tables.frames["findings"], seed_tables.frames["documents"])
    index = {(r.source_path, _norm(r.text)): r for r in got.itertuples()}
    correct = sum(
        1
        for g in gold["findings_sample"]
        if (row := index.get((gold_files[g["file"]], _norm(g["sentence"])))) and row.polarity == g["polarity"]
    )
    accuracy = correct / len(gold["findings_sample"])
    print(f"findings polarity accuracy {accuracy:.3f}")
    assert accuracy >= 0.8


def test_findings_sections_and_paragraphs(seed_tables, gold, gold_files):
    got = _by_source(seed_tables.frames["findings"], seed_tables.frames["documents"])
    index = {(r.source_path, _norm(r.text)): r for r in got.itertuples()}
    found = [
        (g, index[(gold_files[g["file"]], _norm(g["sentence"]))])
        for g in gold["findings_sample"]
        if (gold_files[g["file"]], _norm(g["sentence"])) in index
    ]
    assert len(found) >= 0.95 * len(gold["findings_sample"])
    right = sum(1 for g, r in found if r.section == g["section"] and r.paragraph == g["paragraph"])
    assert right / len(found) >= 0.95


def test_two_runs_give_identical_tables(sample_tables):
    again = build_and_validate(process_files(RAW, list_raw(RAW), workers=2))
    for table, df in sample_tables.frames.items():
        pd.testing.assert_frame_equal(df.reset_index(drop=True), again.frames[table].reset_index(drop=True))


@pytest.mark.parametrize("table", ["judgements", "recommendations", "findings", "metrics"])
def test_ids_are_content_hashes(sample_tables, table):
    df = sample_tables.frames[table]
    id_column = df.columns[0]
    assert df[id_column].str.fullmatch(re.compile(r"[0-9a-f]{16}")).all()
    assert df[id_column].is_unique


# --- the sample's PDFs ---------------------------------------------------------------------------


def test_the_2018_report_as_pdf_and_as_text_is_one_publication_of_one_inspection(sample_tables, seed_tables):
    docs = sample_tables.frames["documents"].set_index("source_path")
    pdf, txt = docs.loc["dudley_2018-12-10.pdf"], docs.loc["dudley_2018-12-10_inspection_report.txt"]
    assert pdf["document_id"] != txt["document_id"]
    assert pdf["inspection_id"] == txt["inspection_id"]
    assert (txt["status"], txt["duplicate_of"], txt["error"]) == (
        "same_publication", pdf["document_id"], "same publication as dudley_2018-12-10.pdf"
    )
    inspection = sample_tables.frames["inspections"].set_index("inspection_id").loc[pdf["inspection_id"]]
    assert inspection["document_count"] == 2  # the PDF and the WillisPalmer article
    assert (inspection["start_date"], inspection["end_date"]) == (dt.date(2018, 10, 29), dt.date(2018, 11, 9))
    assert inspection["lead_inspector"] == "Peter McEntee"
    for table in ("judgements", "recommendations", "findings", "metrics", "document_texts", "sections"):
        assert txt["document_id"] not in set(sample_tables.frames[table]["document_id"]), table
    # the copy's extraction (run without the PDF) agrees with the PDF's
    pdf_rows = _by_source(sample_tables.frames["judgements"], sample_tables.frames["documents"])
    txt_rows = _by_source(seed_tables.frames["judgements"], seed_tables.frames["documents"])

    def grades(j, source):
        own = j[(j.source_path == source) & (j.judgement_of == "this_inspection")]
        return {(r.area, r.grade) for r in own.itertuples()}

    text = "dudley_2018-12-10_inspection_report.txt"
    assert grades(pdf_rows, "dudley_2018-12-10.pdf") == grades(txt_rows, text)


def test_the_2018_counts_are_the_pdfs_alone(sample_tables, seed_tables):
    frames = sample_tables.frames
    docs = frames["documents"].set_index("source_path")
    inspection = docs.loc["dudley_2018-12-10.pdf", "inspection_id"]
    pdf = docs.loc["dudley_2018-12-10.pdf", "document_id"]
    ofsted = set(frames["documents"].query("publisher == 'Ofsted'").document_id)
    for table, count in (("findings", 203), ("recommendations", 7), ("metrics", 8)):
        rows = frames[table]
        of_inspection = rows[rows.document_id.isin(ofsted) & (rows.inspection_id == inspection)]
        assert len(of_inspection) == len(rows[rows.document_id == pdf]) == count, table
    seed_docs = seed_tables.frames["documents"].set_index("source_path")
    txt = seed_docs.loc["dudley_2018-12-10_inspection_report.txt", "document_id"]
    assert (seed_tables.frames["findings"].document_id == txt).sum() == 203  # the copy had as many
    assert frames["recommendations"].document_id.isin(ofsted).sum() == 49


def test_pdf_facts(sample_tables):
    docs = sample_tables.frames["documents"].set_index("source_path")
    d = dt.date
    want = {
        "dudley_2016-04-05.pdf": ("full_inspection", "SIF", d(2016, 1, 11), d(2016, 2, 8), "Peter McEntee"),
        "dudley_2018-12-10.pdf": ("full_inspection", "ILACS", d(2018, 10, 29), d(2018, 11, 9),
                                  "Peter McEntee"),
        "dudley_2023-01-13.pdf": ("full_inspection", "ILACS", d(2022, 10, 31), d(2022, 11, 11),
                                  "John Roughton"),
    }
    for source, (kind, framework, start, end, lead) in want.items():
        row = docs.loc[source]
        assert row["document_type"] == "inspection_report", source
        assert row["text_format"] == "pdf" and row["page_count"] > 5, source
        assert (row["inspection_type"], row["framework"]) == (kind, framework), source
        assert (row["inspection_start_date"], row["inspection_end_date"]) == (start, end), source
        assert list(row["inspectors"])[0] == lead, source
        assert row["local_authority"] == "Dudley", source
    assert docs.loc["dudley_2016-04-05.pdf", "published_date"] == dt.date(2016, 4, 5)  # "Report published:"
    assert pd.isna(docs.loc["dudley_2023-01-13.pdf", "published_date"])  # ILACS reports do not say
    # the SIF report names its whole team, lead first
    team = list(docs.loc["dudley_2016-04-05.pdf", "inspectors"])
    assert team[:3] == ["Peter McEntee", "Linda Steele", "Jenny Turnross"]


def test_the_2016_sif_judgements(sample_tables):
    j = _by_source(sample_tables.frames["judgements"], sample_tables.frames["documents"])
    sif = j[(j.source_path == "dudley_2016-04-05.pdf") & (j.judgement_of == "this_inspection")]
    assert {(r.area, r.grade) for r in sif.itertuples()} == {
        ("overall_effectiveness", "inadequate"),
        ("help_and_protection", "inadequate"),
        ("looked_after_and_permanence", "inadequate"),
        ("adoption_performance", "inadequate"),
        ("care_leavers", "requires_improvement"),
        ("leadership_management_governance", "inadequate"),
        ("safeguarding_board", "inadequate"),
    }
    assert sif.page.notna().all() and (sif.page >= 1).all()
    overall = sif[sif.area == "overall_effectiveness"].iloc[0]
    assert overall.evidence == "Children’s services in Dudley Metropolitan Borough Council are inadequate"
    assert overall.page == 1


def test_the_2023_ilacs_judgements_and_recommendations(sample_tables):
    frames = sample_tables.frames
    j = _by_source(frames["judgements"], frames["documents"])
    got = j[(j.source_path == "dudley_2023-01-13.pdf") & (j.judgement_of == "this_inspection")]
    assert {(r.area, r.grade) for r in got.itertuples()} == {
        ("impact_of_leaders", "requires_improvement"),
        ("help_and_protection", "requires_improvement"),
        ("children_in_care_and_care_leavers", "requires_improvement"),
        ("overall_effectiveness", "requires_improvement"),
    }
    recs = _by_source(frames["recommendations"], frames["documents"])
    recs = recs[recs.source_path == "dudley_2023-01-13.pdf"].sort_values("seq")
    assert len(recs) == 5
    assert recs.iloc[0].text.startswith("The quality, consistency and timeliness of all assessments")
    assert (recs.page == 2).all()
    sif_recs = _by_source(frames["recommendations"], frames["documents"])
    sif_recs = sif_recs[sif_recs.source_path == "dudley_2016-04-05.pdf"]
    assert len(sif_recs) >= 22  # 22 for the authority, more for the LSCB
    first = sif_recs.sort_values("seq").iloc[0]
    # the text without the report's own list number ("1. 1. Urgently…" in the report), the
    # evidence as printed
    assert first.text.startswith("Urgently implement quality assurance")
    assert first.evidence.startswith("1. Urgently implement quality assurance")


def test_pdf_text_has_no_page_furniture(cleaned_texts):
    for source in SAMPLE_PDFS:
        text = cleaned_texts[source]
        assert text.count("Inspection of Dudley local authority children’s services") <= 1, source  # title
        assert "© Crown copyright" not in text and "Piccadilly Gate" not in text, source
        assert "\ufffe" not in text and "\uf06e" not in text and "◼" not in text, source
        assert not re.search(r"^\d{1,3}$", text, re.M), source  # no bare page numbers
    sif = cleaned_texts["dudley_2016-04-05.pdf"]
    assert "Review of the effectiveness of the Local Safeguarding Children Board\n" in sif  # "Board1"
    assert "Contents" not in sif
    assert "Inspectors have looked closely at the experiences" not in sif  # the appendix
    assert "Lead inspector: Peter McEntee" in sif  # the team stays
    ilacs = cleaned_texts["dudley_2023-01-13.pdf"]
    assert "31 October to 11 November 2022 2" not in ilacs  # the running footer with its page number
