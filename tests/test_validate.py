from ofsted_findings.validate import validate_tables

DOC = {
    "document_id": "a" * 16,
    "source_path": "x.txt",
    "sha256": "b" * 64,
    "text_format": "pdf_text",
    "document_type": "inspection_report",
    "status": "ok",
    "inspectors": [],
}


def _judgement(**kw):
    row = {
        "judgement_id": "c" * 16,
        "document_id": "a" * 16,
        "inspection_id": None,
        "area": "overall_effectiveness",
        "grade": "good",
        "judgement_of": "this_inspection",
        "source": "grade_table",
        "evidence": "Overall effectiveness\tGood",
        "start": 0,
        "end": 26,
    }
    row.update(kw)
    return row


def test_bad_rows_are_quarantined_with_the_reason_and_the_rest_published():
    tables = {
        "documents": [DOC],
        "judgements": [
            _judgement(),
            _judgement(judgement_id="d" * 16, grade="excellent"),
            _judgement(judgement_id="e" * 16, document_id="f" * 16),
            _judgement(judgement_id="9" * 16, end=5),
        ],
    }
    out = validate_tables(tables)
    assert len(out.frames["judgements"]) == 1
    checks = sorted((q["column"], q["check"]) for q in out.quarantine)
    assert ("document_id", "foreign_key") in checks
    assert ("grade", "isin(['outstanding', 'good', 'requires_improvement', 'inadequate'])") in checks
    assert any(c == "evidence_matches_span" for _, c in checks)
    assert all(q["row_json"] and q["reason"] for q in out.quarantine)


def test_a_value_of_the_wrong_type_is_quarantined_not_fatal():
    out = validate_tables({"documents": [DOC], "judgements": [_judgement(start="zero")]})
    assert out.frames["judgements"].empty
    assert out.quarantine[0]["check"] == "dtype"


def test_duplicate_primary_keys_are_caught():
    out = validate_tables({"documents": [DOC, DOC]})
    assert len(out.quarantine) >= 1
