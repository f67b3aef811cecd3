import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas.types import String


class Themes(pa.DataFrameModel):
    """The theme taxonomy (kept as data in reference/themes.csv)."""

    code: Series[String] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$", description="Theme code used in findings.themes.")
    label: Series[String] = pa.Field(description="Short human label.")
    description: Series[String] = pa.Field(description="What the theme covers.")
    what_counts: Series[String] = pa.Field(description="What counts as evidence for the theme.")
    broader: Series[String] = pa.Field(nullable=True, description="A broader theme that every finding on this theme is also tagged with (e.g. workforce_stability -> workforce_caseloads).")

    class Config:
        strict = True
        description = "Themes that findings are tagged with."
        metadata = {"primary_key": ["code"], "sort_by": ["code"]}
