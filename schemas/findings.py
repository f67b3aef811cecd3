import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.checks import span_is_ordered
from ofsted_findings.schemas.types import ID16, POLARITIES, Float, Int, String, StringList


class Findings(pa.DataFrameModel):
    """An evaluative sentence with its polarity and themes."""

    finding_id: Series[String] = pa.Field(unique=True, str_matches=ID16, description="Hash of document and span.")
    document_id: Series[String] = fields.document_id()
    inspection_id: Series[String] = fields.inspection_id()
    section: Series[String] = pa.Field(description="Section code (e.g. help_and_protection, main_findings); 'introduction' before the first known heading.")
    paragraph: Series[Int] = pa.Field(ge=0, description="The report's paragraph number where it numbers them, else the paragraph's position in its section.")
    text: Series[String] = pa.Field(description="The sentence: cleaned_text[start:end].")
    polarity: Series[String] = pa.Field(isin=POLARITIES, description="strength, weakness, mixed or neutral.")
    confidence: Series[Float] = pa.Field(nullable=True, ge=0, le=1, description="The polarity model's probability for the polarity given (extract/models/findings.json.gz); null when the rules alone gave it.")
    themes: Series[StringList] = pa.Field(description="1-3 theme codes (themes.code), strongest first; empty when none applies.")
    start: Series[Int] = fields.start()
    end: Series[Int] = fields.end()
    page: Series[Int] = fields.page()

    @pa.dataframe_check
    def span_in_order(cls, df):
        return span_is_ordered(df)

    @pa.dataframe_check
    def text_matches_span(cls, df):
        return df["text"].str.len() == (df["end"] - df["start"])

    @pa.dataframe_check
    def at_most_three_themes(cls, df):
        return df["themes"].list.len() <= 3

    class Config:
        strict = True
        description = "Evaluative findings: one row per sentence."
        metadata = {
            "primary_key": ["finding_id"],
            "sort_by": ["document_id", "start"],
            "foreign_keys": {"document_id": "documents.document_id", "inspection_id": "inspections.inspection_id"},
        }
