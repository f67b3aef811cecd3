import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ofsted_findings.assemble.validate import typed_rows, validate_batches, validate_rows
from ofsted_findings.schemas import arrow_schema

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
    rows = [
        _judgement(),
        _judgement(judgement_id="d" * 16, grade="excellent"),
        _judgement(judgement_id="9" * 16, end=5),
    ]
    quarantine = []
    frame = validate_rows("judgements", rows, quarantine)
    assert frame["judgement_id"].tolist() == ["c" * 16]
    checks = sorted((q["column"], q["check"]) for q in quarantine)
    assert ("grade", "isin(['outstanding', 'good', 'requires_improvement', 'inadequate'])") in checks
    assert any(c == "evidence_matches_span" for _, c in checks)
    assert all(q["row_json"] and q["reason"] for q in quarantine)


def test_a_value_of_the_wrong_type_is_quarantined_not_fatal():
    quarantine = []
    assert validate_rows("judgements", [_judgement(start="zero")], quarantine).empty
    assert quarantine[0]["check"] == "dtype"


def test_duplicate_primary_keys_are_caught():
    quarantine = []
    validate_rows("documents", [DOC, DOC], quarantine)
    assert len(quarantine) >= 1


def _documents_with_problems() -> list[dict]:
    """Rows with every column, as rows.document_row makes them."""
    columns = dict.fromkeys(arrow_schema("documents").names)
    rows = [{**columns, **DOC, "document_id": f"{n:016x}", "source_path": f"{n}.txt"} for n in range(9)]
    rows[1]["sha256"] = "not a hash"
    rows[2]["document_id"] = rows[7]["document_id"]  # the same id in the first and the last batch
    rows[7]["char_count"] = -1  # ... and one of the two fails another check as well
    rows[4].update(inspection_start_date=dt.date(2020, 2, 1), inspection_end_date=dt.date(2020, 1, 1))
    rows[5]["la_urn"] = "not a number"  # a wrong type
    return rows


def test_validating_in_batches_quarantines_the_same_rows_as_at_once():
    rows = _documents_with_problems()
    at_once = []
    frame = validate_rows("documents", rows, at_once)

    batched = []
    typed, kept = typed_rows("documents", rows, batched)
    typed = typed.append_column("seq", pa.array([rows.index(r) for r in kept], pa.int64()))
    ids = typed["document_id"]
    counts = pc.value_counts(ids)
    duplicated = {"document_id": counts.field("values").filter(pc.greater(counts.field("counts"), 1))}
    written = []
    batches = [typed.slice(i, 3) for i in range(0, typed.num_rows, 3)]
    validate_batches("documents", batches, duplicated, ["seq"], batched, written.append)

    def _json(quarantine):
        return sorted(json.dumps(q, sort_keys=True) for q in quarantine)

    assert _json(batched) == _json(at_once)
    assert len(at_once) == 5
    valid = pa.concat_tables(written).sort_by("seq")
    assert valid["seq"].to_pylist() == [0, 3, 6, 8]
    assert valid.drop_columns(["seq"]).to_pandas(types_mapper=pd.ArrowDtype).equals(frame)
