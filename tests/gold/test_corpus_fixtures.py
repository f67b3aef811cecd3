"""A handful of real Ofsted PDFs, one per era, against their hand-checked truth (a subset of the
corpus's truth.csv), measured by eval/corpus_accuracy.py: every field must be right.

tests/fixtures/pdf/: a 2014 and a 2015 SIF report (the 2015 one sets its type at 1 point and
scales it), an ILACS standard and an ILACS short inspection, a post-April-2026 ILACS report (no
overall effectiveness judgement), a 2013 looked-after children inspection and an HTML page saved
as .pdf.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

PDFS = FIXTURES / "pdf"


def _corpus_accuracy():
    if "corpus_accuracy" in sys.modules:
        return sys.modules["corpus_accuracy"]
    spec = importlib.util.spec_from_file_location("corpus_accuracy", REPO / "eval" / "corpus_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_accuracy"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evaluation():
    ca = _corpus_accuracy()
    return ca, ca.evaluate(PDFS, ca.read_truth(PDFS / "truth.csv"), workers=1)


def test_fixtures_cover_every_era():
    ca = _corpus_accuracy()
    truth = ca.read_truth(PDFS / "truth.csv")
    assert {t["report_type"] for t in truth} == {"sif", "ilacs_standard", "ilacs_short", "other"}
    assert {t["framework"] for t in truth} >= {"SIF", "ILACS", "ILACS_2026", "LAC_2013", "none"}
    assert sum(p.stat().st_size for p in PDFS.glob("*.pdf")) < 2_000_000


def test_every_field_is_right(evaluation):
    ca, ev = evaluation
    assert ev.missing_files == []
    assert ev.disagreements == []
    for name in [*ca.FACT_FIELDS, "grades (whole set)", "recommendations found"]:
        assert ev.accuracy(name) == 1.0, name
        assert ev.scores[name].total > 0
    assert all(s.right == s.total for s in ev.scores.values())


def test_report_prints_per_field_accuracy_and_disagreements(evaluation, capsys):
    ca, ev = evaluation
    ev.disagreements.append(("x.pdf", "start_date", "2020-01-01", "-"))
    try:
        ca.print_report(ev)
    finally:
        ev.disagreements.pop()
    out = capsys.readouterr().out
    assert "start_date" in out and "100.0%" in out and "grade:sif_lscb" in out
    assert "1 disagreement(s)" in out and "x.pdf  start_date: truth '2020-01-01'  ours '-'" in out


def test_truth_mapping_to_our_fields():
    ca = _corpus_accuracy()
    ok = {"status": "ok", "document_type": "inspection_report"}
    full, short = {**ok, "inspection_type": "full_inspection"}, {**ok, "inspection_type": "short_inspection"}
    assert ca.report_type({**full, "framework": "SIF"}) == "sif"
    assert ca.report_type({**full, "framework": "ILACS_2026"}) == "ilacs_standard"
    assert ca.report_type({**short, "framework": "ILACS"}) == "ilacs_short"
    assert ca.report_type({"status": "unsupported", "document_type": "other"}) == "other"
    row = {"report_type": "sif", "overall_effectiveness": "good", "help_and_protection": "not_judged",
           "sif_help_and_protection": "good", "sif_lscb": "inadequate"}
    assert ca.expected_grades(row) == {
        "overall_effectiveness": "good", "help_and_protection": "good", "safeguarding_board": "inadequate",
    }


def test_the_script_runs_from_the_command_line(tmp_path: Path, capsys):
    ca = _corpus_accuracy()
    assert ca.main([str(PDFS), "--truth", str(PDFS / "truth.csv"), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "0 disagreement(s)" in out


def test_joint_leads_are_compared_in_full():
    ca = _corpus_accuracy()
    both = ca._lead_names(["Jane A. Smith", "John Brown"])
    assert both == "Jane A. Smith; John Brown"
    for joiner in (" and ", "; ", " & "):
        written = f"Jane A. Smith{joiner}John Brown"
        assert ca._lead_names(written) == both
    assert ca._lead_names(["Jane A. Smith"]) != both
    assert ca._lead_names("Jane  Smith") == ca._lead_names("Jane Smith") == "Jane Smith"
    assert ca._lead_names(None) is None and ca._lead_names("") is None
