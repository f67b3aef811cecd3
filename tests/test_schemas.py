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
