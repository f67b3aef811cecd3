"""The single source of every table: columns, types, checks, descriptions, keys.

The Parquet (Arrow) schema, the DuckDB views and the data dictionary are all derived from these
Pandera models; nothing lists a table's columns a second time.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pyarrow

from ofsted_findings.schemas.authorities import Authorities
from ofsted_findings.schemas.document_facts import DocumentFacts
from ofsted_findings.schemas.document_texts import DocumentTexts
from ofsted_findings.schemas.documents import Documents
from ofsted_findings.schemas.findings import Findings
from ofsted_findings.schemas.inspections import Inspections
from ofsted_findings.schemas.judgements import Judgements
from ofsted_findings.schemas.metrics import Metrics
from ofsted_findings.schemas.quarantine import Quarantine
from ofsted_findings.schemas.recommendations import Recommendations
from ofsted_findings.schemas.runs import Runs
from ofsted_findings.schemas.sections import Sections
from ofsted_findings.schemas.themes import Themes

# The warehouse's overall schema version; each table also has its own (Config.metadata["version"]),
# bumped whenever a column is removed, renamed or changes type (see schemas/CHANGELOG.md).
SCHEMA_VERSION = "1"

TABLES: dict[str, type[pa.DataFrameModel]] = {
    "documents": Documents,
    "document_facts": DocumentFacts,
    "document_texts": DocumentTexts,
    "sections": Sections,
    "inspections": Inspections,
    "judgements": Judgements,
    "recommendations": Recommendations,
    "findings": Findings,
    "metrics": Metrics,
    "themes": Themes,
    "authorities": Authorities,
    "quarantine": Quarantine,
    "runs": Runs,
}


def schema_of(table: str) -> pa.DataFrameSchema:
    return TABLES[table].to_schema()


def metadata_of(table: str) -> dict:
    return dict(getattr(TABLES[table].Config, "metadata", None) or {})


def table_version(table: str) -> int:
    return int(metadata_of(table).get("version", 1))


def arrow_schema(table: str) -> pyarrow.Schema:
    """The Parquet schema of a table, with each column's description as field metadata."""
    schema = schema_of(table)
    fields = []
    for name, column in schema.columns.items():
        dtype = column.dtype.type
        arrow_type = (
            dtype.pyarrow_dtype if isinstance(dtype, pd.ArrowDtype) else pyarrow.from_numpy_dtype(dtype)
        )
        fields.append(
            pyarrow.field(
                name,
                arrow_type,
                nullable=bool(column.nullable),
                metadata={"description": column.description or ""},
            )
        )
    meta = {
        "table": table,
        "description": schema.description or "",
        "schema_version": SCHEMA_VERSION,
        "table_version": str(table_version(table)),
    }
    return pyarrow.schema(fields, metadata=meta)


def empty_frame(table: str) -> pd.DataFrame:
    return frame_from_rows(table, [])


def table_from_rows(table: str, rows: list[dict]) -> pyarrow.Table:
    """An Arrow table with exactly the table's columns and types (raises if a value does not fit)."""
    schema = arrow_schema(table)
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pyarrow.table(columns, schema=schema.remove_metadata())


def frame_from_rows(table: str, rows: list[dict]) -> pd.DataFrame:
    """A DataFrame with exactly the table's columns and Arrow-backed dtypes."""
    return table_from_rows(table, rows).to_pandas(types_mapper=pd.ArrowDtype)
