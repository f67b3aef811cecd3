import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.types import Int, String


class Sections(pa.DataFrameModel):
    """A headed section of a cleaned document."""

    document_id: Series[String] = fields.document_id()
    seq: Series[Int] = pa.Field(ge=1, description="Position of the section in the document.")
    section: Series[String] = pa.Field(description="Section code (reference/sections.csv), 'introduction' before the first known heading.")
    heading: Series[String] = pa.Field(nullable=True, description="The heading as written.")
    start: Series[Int] = pa.Field(ge=0, description="Start offset of the section (its heading) in the cleaned text.")
    end: Series[Int] = pa.Field(ge=0, description="End offset (exclusive) of the section.")

    @pa.dataframe_check
    def span_in_order(cls, df):
        return (df["start"] >= 0) & (df["start"] <= df["end"])

    class Config:
        strict = True
        description = "Sections of each cleaned document (the table of contents)."
        metadata = {"primary_key": ["document_id", "seq"], "sort_by": ["document_id", "seq"], "foreign_keys": {"document_id": "documents.document_id"}}
