import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas import fields
from ofsted_findings.schemas.evidence import EvidenceSpan
from ofsted_findings.schemas.types import FRAMEWORK_CODES, ID16, Int, String, StringList


class Recommendations(EvidenceSpan):
    """What the document says must improve, in its order."""

    recommendation_id: Series[String] = pa.Field(unique=True, str_matches=ID16, description="Hash of document and span.")
    document_id: Series[String] = fields.document_id()
    inspection_id: Series[String] = fields.inspection_id()
    seq: Series[Int] = pa.Field(ge=1, description="Position in the document's list (1 = first).")
    stated_number: Series[Int] = pa.Field(nullable=True, ge=0, description="The number the document itself gives the item ('133.' in a SIF report that numbers its paragraphs); null when it numbers none. `seq` is the item's place in the document's list.")
    text: Series[String] = pa.Field(str_length={"min_value": 3}, description="The recommendation, without any national-framework tag.")
    framework_ref: Series[String] = pa.Field(nullable=True, description="National Framework tag as written, e.g. 'outcome 1, national framework', 'Enabler 3'.")
    framework_code: Series[String] = pa.Field(nullable=True, isin=FRAMEWORK_CODES, description="Code of the outcome or enabler the tag names (reference/national_framework.csv: outcome_1..outcome_4, enabler_1..enabler_3; the first when it names several); an enabler named by its words maps to its number.")
    themes: Series[StringList] = pa.Field(description="Theme codes (themes.code) of the recommendation, strongest first.")
    keywords: Series[StringList] = pa.Field(description="Meaning-bearing words (stop words removed, plurals folded) used to match recommendations across inspections.")
    evidence: Series[String] = fields.evidence("the item or sentence, tag included.")
    start: Series[Int] = fields.start()
    end: Series[Int] = fields.end()
    page: Series[Int] = fields.page()

    class Config:
        strict = True
        description = "Recommendations ('What needs to improve' items; in letters and articles, the sentences stating what must improve)."
        metadata = {
            "primary_key": ["recommendation_id"],
            "unique": [["document_id", "seq"]],
            "sort_by": ["document_id", "seq"],
            "foreign_keys": {"document_id": "documents.document_id", "inspection_id": "inspections.inspection_id"},
        }
