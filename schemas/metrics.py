import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.evidence import EvidenceSpan
from ofsted_findings.schemas.types import ID16, METRIC_KINDS, QUALIFIERS, Float, Int, String


class Metrics(EvidenceSpan):
    """A stated quantity: value, unit, what it measures, qualifier and period."""

    metric_id: Series[String] = pa.Field(unique=True, str_matches=ID16, description="Hash of document, span, value and qualifier.")
    document_id: Series[String] = fields.document_id()
    inspection_id: Series[String] = fields.inspection_id()
    value: Series[Float] = pa.Field(ge=0, description="The number stated ('just under half' -> 50 with qualifier under).")
    unit: Series[String] = pa.Field(description="percent, count, hours, days, weeks, months, years, cases_per_worker, ...")
    subject: Series[String] = pa.Field(nullable=True, description="The noun phrase measured.")
    qualifier: Series[String] = pa.Field(nullable=True, isin=QUALIFIERS, description="approx, at_least, at_most, under, over, range_low, range_high, all_but; null when exact.")
    period: Series[String] = pa.Field(nullable=True, description="Period the quantity covers, as written ('in the last six months').")
    kind: Series[String] = pa.Field(
        nullable=False,
        isin=METRIC_KINDS,
        description=(
            "What the number is to the sentence: value (the quantity it reports), total (the whole a"
            " share is out of: 92 in '33 out of 92 cases'), previous (the earlier value of a change:"
            " 28 in 'from 28% in 2012 to 12%'), target (a target, standard or timescale the value is"
            " measured against: 'within 72 hours', 'a local target of 95%'), comparison (a benchmark:"
            " national average, statistical neighbours, England, a three-year average)."
        ),
    )
    evidence: Series[String] = fields.evidence("the phrase stating the quantity.")
    start: Series[Int] = fields.start()
    end: Series[Int] = fields.end()
    page: Series[Int] = fields.page()

    @pa.dataframe_check
    def percent_at_most_100(cls, df):
        return (df["unit"] != "percent") | (df["value"] <= 100)

    class Config:
        strict = True
        description = "Numeric metrics stated in the text."
        metadata = {
            "primary_key": ["metric_id"],
            "sort_by": ["document_id", "start", "qualifier"],
            "foreign_keys": {"document_id": "documents.document_id", "inspection_id": "inspections.inspection_id"},
        }
