import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.reference import one_of
from ofsted_findings.schemas import fields
from ofsted_findings.schemas.evidence import EvidenceSpan
from ofsted_findings.schemas.types import AREAS, GRADES, ID16, Int, String


class Judgements(EvidenceSpan):
    """A graded judgement stated in a document: its own, restated, or an earlier one."""

    judgement_id: Series[String] = pa.Field(unique=True, str_matches=ID16, description="Hash of document, area, whose judgement and span.")
    document_id: Series[String] = fields.document_id()
    inspection_id: Series[String] = pa.Field(nullable=True, str_matches=ID16, description="The inspection that made the judgement; null for an earlier judgement whose inspection is not in the warehouse.")
    area: Series[String] = pa.Field(isin=AREAS, description="Judgement area, one code list across frameworks.")
    grade: Series[String] = pa.Field(isin=GRADES, description=f"{one_of(GRADES)}.")
    judgement_of: Series[String] = pa.Field(isin=["this_inspection", "earlier_inspection"], description="this_inspection: the inspection the document reports; earlier_inspection: a previous judgement the document mentions.")
    source: Series[String] = pa.Field(isin=["grade_table", "judgement_heading", "prose"], description="Where it was read: the report's grade table, a judgement heading, or a sentence.")
    evidence: Series[String] = fields.evidence("the table row, heading or sentence stating the grade.")
    start: Series[Int] = fields.start()
    end: Series[Int] = fields.end()
    page: Series[Int] = fields.page()

    class Config:
        strict = True
        description = "Judgements and grades, each traceable to the text that states it."
        metadata = {
            "primary_key": ["judgement_id"],
            "sort_by": ["document_id", "start", "area"],
            "foreign_keys": {"document_id": "documents.document_id", "inspection_id": "inspections.inspection_id"},
        }
