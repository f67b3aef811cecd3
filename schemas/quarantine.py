import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.types import String


class Quarantine(pa.DataFrameModel):
    """A row that failed a check, kept with the reason instead of being dropped."""

    table_name: Series[String] = pa.Field(description="The table the row was meant for.")
    column: Series[String] = pa.Field(nullable=True, description="The column that failed (null for a whole-row check).")
    check: Series[String] = pa.Field(description="The check that failed.")
    failure_case: Series[String] = pa.Field(nullable=True, description="The failing value, as text.")
    # Not checked: a row may be quarantined for its document_id.
    document_id: Series[String] = pa.Field(nullable=True, description=fields.DOCUMENT)
    evidence: Series[String] = pa.Field(nullable=True, description="The row's evidence text, if it has one.")
    reason: Series[String] = pa.Field(description="One line: what was wrong.")
    row_json: Series[String] = pa.Field(description="The whole row as JSON, so nothing is lost.")

    class Config:
        strict = True
        description = "Rows that failed validation, with table, column, check, failing value and reason."
        metadata = {"sort_by": ["table_name", "document_id", "check", "row_json"]}
