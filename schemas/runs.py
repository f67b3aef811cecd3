import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas.types import Int, String, Timestamp


class Runs(pa.DataFrameModel):
    """One row per pipeline run that published."""

    run_id: Series[String] = pa.Field(unique=True, description="Identifier of the run (the Prefect flow-run id when run as a flow).")
    started_at: Series[Timestamp] = pa.Field(description="When the run started (UTC).")
    finished_at: Series[Timestamp] = pa.Field(description="When the run published (UTC).")
    code_version: Series[String] = pa.Field(description="ofsted-findings version that produced the tables.")
    files_seen: Series[Int] = pa.Field(ge=0, description="Raw files found.")
    files_failed: Series[Int] = pa.Field(ge=0, description="Raw files whose status is failed or unsupported.")
    rows_json: Series[String] = pa.Field(description="Rows per table, as JSON.")
    quarantined_rows: Series[Int] = pa.Field(ge=0, description="Rows quarantined in this run.")

    class Config:
        strict = True
        description = "The record of each run."
        metadata = {"primary_key": ["run_id"], "sort_by": ["started_at"]}
