"""Column types: Arrow-backed pandas dtypes, so the Parquet schema is read straight off the model
and validation never falls back to checking values one by one."""

from typing import Annotated

import pandas as pd
import pyarrow as pa

from ofsted_findings.reference import codes

String = Annotated[pd.ArrowDtype, pa.string()]
Int = Annotated[pd.ArrowDtype, pa.int64()]
Float = Annotated[pd.ArrowDtype, pa.float64()]
Bool = Annotated[pd.ArrowDtype, pa.bool_()]
Date = Annotated[pd.ArrowDtype, pa.date32()]
Timestamp = Annotated[pd.ArrowDtype, pa.timestamp("us", tz="UTC")]
StringList = Annotated[pd.ArrowDtype, pa.list_(pa.string())]

SHA256 = r"^[0-9a-f]{64}$"
ID16 = r"^[0-9a-f]{16}$"
ONS_CODE = r"^E\d{8}$"

# Vocabularies kept as reference data (ofsted_findings/reference/<name>.csv, in the file's order).
GRADES = list(codes("grades"))
AREAS = list(codes("judgement_areas"))
INSPECTION_FRAMEWORKS = list(codes("frameworks"))
DOCUMENT_TYPES = list(codes("document_types"))
INSPECTION_TYPES = list(codes("inspection_types"))
FRAMEWORK_CODES = list(codes("national_framework"))
# The pipeline's own vocabularies (what it makes of a document, not reference data about Ofsted).
DOCUMENT_STATUSES = [
    "ok", "quarantined", "failed", "skipped_duplicate", "same_publication", "unsupported", "superseded",
]
POLARITIES = ["strength", "weakness", "mixed", "neutral"]
METRIC_KINDS = ["value", "total", "previous", "target", "comparison"]
QUALIFIERS = ["approx", "at_least", "at_most", "under", "over", "range_low", "range_high", "all_but"]
