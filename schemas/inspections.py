import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.checks import start_not_after_end
from ofsted_findings.schemas.types import ID16, Date, Int, String, StringList


class Inspections(pa.DataFrameModel):
    """An inspection or visit of one authority, as established from its documents."""

    inspection_id: Series[String] = pa.Field(unique=True, str_matches=ID16, description="Hash of authority + type + dates (or + the only document, when no dates are stated): stable across runs.")
    local_authority: Series[String] = pa.Field(nullable=True, description="ONS name of the authority inspected.")
    la_urn: Series[Int] = fields.la_urn()
    la_ons_code: Series[String] = fields.la_ons_code()
    region: Series[String] = pa.Field(nullable=True, description="Region of the authority (reference data).")
    inspection_type: Series[String] = fields.inspection_type()
    framework: Series[String] = fields.framework()
    start_date: Series[Date] = pa.Field(nullable=True, description="First day on site (the earliest of the on-site blocks).")
    end_date: Series[Date] = pa.Field(nullable=True, description="Last day on site (the latest of the on-site blocks).")
    lead_inspector: Series[String] = pa.Field(nullable=True, description="Lead inspector (joint leads: the first named; all of them are in lead_inspectors).")
    lead_inspectors: Series[StringList] = pa.Field(nullable=True, description="Every lead inspector named, in the order written (the report's first): one name, or each joint lead; null when no document names a lead.")
    inspectors: Series[StringList] = pa.Field(nullable=True, description="All inspectors named, lead first.")
    document_count: Series[Int] = pa.Field(ge=1, description="How many documents are linked to this inspection.")
    dates_known: Series[String] = pa.Field(isin=["stated", "not_stated"], description="Whether the dates were stated in a document (an undated press article gives not_stated).")

    @pa.dataframe_check
    def dates_in_order(cls, df):
        return start_not_after_end(df, "start_date", "end_date")

    class Config:
        strict = True
        description = "Inspections and visits, one row each, with the documents that report them linked by inspection_id."
        metadata = {"primary_key": ["inspection_id"], "sort_by": ["local_authority", "start_date", "inspection_id"]}
