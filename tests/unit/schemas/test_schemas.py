import pyarrow as pa

from ofsted_findings.assemble.staging import ASSEMBLED_TABLES
from ofsted_findings.schemas import TABLES, arrow_schema, frame_from_rows, metadata_of, schema_of

CONTRACT = {
    "documents": [
        "document_id",
        "source_path",
        "sha256",
        "document_type",
        "publisher",
        "title",
        "local_authority",
        "published_date",
        "inspection_id",
        "status",
        "error",
    ],
    "inspections": [
        "inspection_id",
        "local_authority",
        "inspection_type",
        "framework",
        "start_date",
        "end_date",
        "lead_inspector",
        "inspectors",
    ],
    "judgements": ["document_id", "inspection_id", "area", "grade", "evidence", "start", "end"],
    "recommendations": [
        "document_id",
        "inspection_id",
        "seq",
        "text",
        "framework_ref",
        "evidence",
        "start",
        "end",
    ],
    "findings": ["document_id", "section", "paragraph", "text", "polarity", "themes", "start", "end"],
    "metrics": [
        "document_id", "value", "unit", "subject", "qualifier", "period", "kind", "evidence", "start", "end",
    ],
}


def test_column_contract_holds():
    for table, columns in CONTRACT.items():
        assert set(columns) <= set(arrow_schema(table).names), table


def test_every_column_is_described():
    for table in TABLES:
        schema = schema_of(table)
        assert schema.description, table
        for name, column in schema.columns.items():
            assert column.description and len(column.description) > 10, (table, name)


def test_arrow_schema_carries_descriptions_and_types():
    schema = arrow_schema("findings")
    assert schema.field("themes").type == pa.list_(pa.string())
    assert schema.field("start").type == pa.int64()
    assert b"description" in schema.field("polarity").metadata


def test_primary_and_foreign_keys_name_real_columns():
    for table in TABLES:
        meta = metadata_of(table)
        names = set(arrow_schema(table).names)
        assert set(meta.get("primary_key", [])) <= names
        assert set(meta.get("sort_by", [])) <= names
        for column, target in meta.get("foreign_keys", {}).items():
            parent, parent_column = target.split(".")
            assert column in names and parent_column in arrow_schema(parent).names


def test_every_table_is_assembled():
    assert set(ASSEMBLED_TABLES) | {"quarantine", "runs"} == set(TABLES)


def test_frames_have_the_schema_dtypes():
    df = frame_from_rows("metrics", [])
    schema_of("metrics").validate(df)


# Columns that mean something else in these tables than the shared column of that name: the
# tables whose key they are define document_id and inspection_id, and a document has its own
# inspection; a judgement's inspection is the one that made it (maybe an earlier one); a
# section's span is the section's.
OWN_MEANING = {
    ("documents", "document_id"), ("inspections", "inspection_id"), ("documents", "inspection_id"),
    ("judgements", "inspection_id"),
    ("sections", "start"), ("sections", "end"),
}


def test_shared_columns_are_described_once():
    """Every table with a column of a shared name (schemas/fields.py) has the shared description,
    and every evidence column quotes cleaned_text[start:end]."""
    from ofsted_findings.schemas import fields

    shared = {
        "document_id": fields.DOCUMENT, "inspection_id": fields.INSPECTION, "start": fields.START,
        "end": fields.END, "page": fields.PAGE, "la_urn": fields.LA_URN, "la_ons_code": fields.LA_ONS_CODE,
        "framework": fields.FRAMEWORK, "inspection_type": fields.INSPECTION_TYPE,
    }
    seen = 0
    for table in TABLES:
        for name, column in schema_of(table).columns.items():
            if name in shared and (table, name) not in OWN_MEANING:
                assert column.description == shared[name], f"{table}.{name}"
                seen += 1
            if name == "evidence" and table != "quarantine":
                assert column.description.startswith(fields.EVIDENCE), table
    assert seen >= 30
