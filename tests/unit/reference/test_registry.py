"""One code list per vocabulary: grades, judgement areas, frameworks, document and inspection types
are read from ofsted_findings/reference/*.csv by every consumer (the schemas' allowed values, the
report's order, the grade words the extractors match), never typed a second time."""

from __future__ import annotations

import importlib
import inspect
import re
from importlib import resources

import pytest

from ofsted_findings import reference
from ofsted_findings.reference import GRADE_WORDS, codes, read_csv
from ofsted_findings.report import charts
from ofsted_findings.schemas import TABLES, schema_of, types

# (table, column) -> the vocabulary (reference/<name>.csv) its allowed values are.
CODED_COLUMNS = {
    ("judgements", "grade"): "grades",
    ("judgements", "area"): "judgement_areas",
    ("documents", "framework"): "frameworks",
    ("inspections", "framework"): "frameworks",
    ("documents", "document_type"): "document_types",
    ("documents", "inspection_type"): "inspection_types",
    ("inspections", "inspection_type"): "inspection_types",
    ("recommendations", "framework_code"): "national_framework",
}


def _allowed(table: str, column: str) -> list[str] | None:
    for check in schema_of(table).columns[column].checks:
        if check.name == "isin":
            return list(check.statistics["allowed_values"])
    return None


@pytest.mark.parametrize(("table", "column"), sorted(CODED_COLUMNS))
def test_schema_allowed_values_are_the_reference_codes_in_order(table, column):
    assert _allowed(table, column) == list(codes(CODED_COLUMNS[(table, column)]))


def test_no_schema_column_lists_part_of_a_vocabulary_by_hand():
    """A column whose allowed values share a code with one of these vocabularies allows exactly that
    vocabulary, in its order (a hand-typed copy that left a code out or reordered it fails)."""
    vocabularies = {name: codes(name) for name in set(CODED_COLUMNS.values())}
    for table in TABLES:
        for column in schema_of(table).columns:
            allowed = _allowed(table, column)
            for name, values in vocabularies.items():
                if allowed and set(allowed) & set(values):
                    assert allowed == list(values), f"{table}.{column} vs reference/{name}.csv"


@pytest.mark.parametrize("vocabulary", ["document_types", "inspection_types", "grades", "judgement_areas"])
def test_every_code_is_described(vocabulary):
    rows = read_csv(f"{vocabulary}.csv")
    assert rows and all(r["code"] and r["description"].strip() for r in rows)


def test_report_orders_are_the_reference_orders():
    assert list(codes("grades")) == charts.GRADES
    assert list(codes("judgement_areas")) == charts.AREAS
    assert charts.GRADE_LABELS == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert len(charts.GRADE_COLOURS) == len(charts.GRADES)


def test_grade_words_are_the_reference_label_patterns():
    assert "|".join(r["label_pattern"] for r in read_csv("grades.csv")) == GRADE_WORDS
    words = re.compile(rf"^(?:{GRADE_WORDS})$", re.I)
    said_as = ("Outstanding", "good", "Requires improvement to be good", "require improvement", "Inadequate")
    for said in said_as:
        assert words.match(said) and reference.grade_code(said) in codes("grades")


def test_grade_ranks_in_the_grade_history_view_are_the_reference_ranks():
    sql = (resources.files("ofsted_findings.warehouse") / "views" / "10_grade_history.sql").read_text()
    ranks = dict(re.findall(r"WHEN '(\w+)' THEN (\d+)", sql))
    assert ranks == {r["code"]: r["rank"] for r in read_csv("grades.csv")}
    assert [int(r["rank"]) for r in read_csv("grades.csv")] == list(range(1, len(codes("grades")) + 1))


def test_the_report_page_has_a_style_for_every_grade():
    from ofsted_findings.report import page

    styles = set(re.findall(r"\.g-(\w+)\s*\{", inspect.getsource(page)))
    assert styles == set(codes("grades"))


def test_consumers_follow_a_change_to_the_reference(monkeypatch):
    """Reordering a reference list reorders the schemas' code lists and the report's: they are
    derived from it, not copies of it."""
    real = reference.codes

    def reordered(vocabulary: str) -> tuple[str, ...]:
        return tuple(reversed(real(vocabulary)))

    monkeypatch.setattr(reference, "codes", reordered)
    try:
        for module in (types, charts):
            importlib.reload(module)
        assert list(reversed(real("grades"))) == types.GRADES
        assert list(reversed(real("judgement_areas"))) == types.AREAS
        assert list(reversed(real("document_types"))) == types.DOCUMENT_TYPES
        assert list(reversed(real("frameworks"))) == types.INSPECTION_FRAMEWORKS
        assert list(reversed(real("grades"))) == charts.GRADES
        assert list(reversed(real("judgement_areas"))) == charts.AREAS
    finally:
        monkeypatch.undo()
        for module in (types, charts):
            importlib.reload(module)
    assert list(real("grades")) == types.GRADES
