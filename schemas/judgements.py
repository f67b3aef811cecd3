import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas.evidence import END, PAGE, START, EvidenceSpan
from ofsted_findings.schemas.types import AREAS, GRADES, ID16, Int, String


class Judgements(EvidenceSpan):
    """A graded judgement stated in a document: its own, restated, or an earlier one."""

    judgement_id: Series[String] = pa.Field(unique=True, str_matches=ID16, description="Hash of document, area, whose judgement and span.")
    document_id: Series[String] = pa.Field(str_matches=ID16, description="The document stating it (documents.document_id).")
    inspection_id: Series[String] = pa.Field(nullable=True, str_matches=ID16, description="The inspection that made the judgement; null for an earlier judgement whose inspection is not in the warehouse.")
    area: Series[String] = pa.Field(isin=AREAS, description="Judgement area, one code list across frameworks.")
    grade: Series[String] = pa.Field(isin=GRADES, description="outstanding, good, requires_improvement or inadequate.")
    judgement_of: Series[String] = pa.Field(isin=["this_inspection", "earlier_inspection"], description="this_inspection: the inspection the document reports; earlier_inspection: a previous judgement the document mentions.")
    source: Series[String] = pa.Field(isin=["grade_table", "judgement_heading", "prose"], description="Where it was read: the report's grade table, a judgement heading, or a sentence.")
    evidence: Series[String] = pa.Field(description="cleaned_text[start:end]: the table row, heading or sentence stating the grade.")
    start: Series[Int] = pa.Field(ge=0, description=START)
    end: Series[Int] = pa.Field(ge=0, description=END)
    page: Series[Int] = pa.Field(nullable=True, ge=1, description=PAGE)

    class Config:
        strict = True
        description = "Judgements and grades, each traceable to the text that states it."
        metadata = {
            "primary_key": ["judgement_id"],
            "sort_by": ["document_id", "start", "area"],
            "foreign_keys": {"document_id": "documents.document_id", "inspection_id": "inspections.inspection_id"},
        }
