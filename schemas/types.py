"""Column types: Arrow-backed pandas dtypes, so the Parquet schema is read straight off the model
and validation never falls back to checking values one by one."""

from typing import Annotated

import pandas as pd
import pyarrow as pa

from ofsted_findings.reference import framework_codes

String = Annotated[pd.ArrowDtype, pa.string()]
Int = Annotated[pd.ArrowDtype, pa.int64()]
Float = Annotated[pd.ArrowDtype, pa.float64()]
Bool = Annotated[pd.ArrowDtype, pa.bool_()]
Date = Annotated[pd.ArrowDtype, pa.date32()]
Timestamp = Annotated[pd.ArrowDtype, pa.timestamp("us", tz="UTC")]
StringList = Annotated[pd.ArrowDtype, pa.list_(pa.string())]

SHA256 = r"^[0-9a-f]{64}$"
ID16 = r"^[0-9a-f]{16}$"

GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
AREAS = [
    "overall_effectiveness", "impact_of_leaders", "help_and_protection",
    "children_in_care_and_care_leavers", "children_in_care", "care_leavers",
    "looked_after_and_permanence", "adoption_performance", "leadership_management_governance",
    "safeguarding_board",
]
DOCUMENT_TYPES = [
    "inspection_report", "monitoring_visit_letter", "focused_visit_letter", "news_article", "other",
]
INSPECTION_TYPES = [
    "full_inspection", "short_inspection", "focused_visit", "monitoring_visit",
    "joint_targeted_area_inspection", "looked_after_children_inspection", "board_review",
]
DOCUMENT_STATUSES = [
    "ok", "quarantined", "failed", "skipped_duplicate", "same_publication", "unsupported", "superseded",
]
POLARITIES = ["strength", "weakness", "mixed", "neutral"]
FRAMEWORK_CODES = framework_codes()
METRIC_KINDS = ["value", "total", "previous", "target", "comparison"]
QUALIFIERS = ["approx", "at_least", "at_most", "under", "over", "range_low", "range_high", "all_but"]
