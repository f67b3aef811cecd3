import pandera.pandas as pa
from pandera.typing import Series

from ofsted_findings.schemas.types import Int, String, Timestamp


class Runs(pa.DataFrameModel):
    """One row per pipeline run that published."""

    run_id: Series[String] = pa.Field(unique=True, description="Identifier of the run: the Prefect flow-run id when run as a flow.")
    started_at: Series[Timestamp] = pa.Field(description="When the run started (UTC).")
    finished_at: Series[Timestamp] = pa.Field(description="When the run published (UTC).")
    code_version: Series[String] = pa.Field(description="ofsted-findings version that produced the tables.")
    extractor_version: Series[String] = pa.Field(description="Combined version stamp of the extractors (ofsted_findings/extract/versions.py).")
    files_seen: Series[Int] = pa.Field(ge=0, description="Raw files found.")
    files_new: Series[Int] = pa.Field(ge=0, description="Files not in the previous warehouse.")
    files_changed: Series[Int] = pa.Field(ge=0, description="Files whose bytes changed since the previous run.")
    files_deleted: Series[Int] = pa.Field(ge=0, description="Files in the previous warehouse no longer in the raw folder (their rows are dropped).")
    files_unchanged: Series[Int] = pa.Field(ge=0, description="Files carried forward without processing.")
    files_processed: Series[Int] = pa.Field(ge=0, description="Files processed in this run (new, changed, re-tried, or all with --full or a new extractor version).")
    files_failed: Series[Int] = pa.Field(ge=0, description="Raw files whose status is failed or unsupported.")
    rows_json: Series[String] = pa.Field(description="Rows per table, as JSON.")
    quarantined_rows: Series[Int] = pa.Field(ge=0, description="Rows in quarantine after this run.")
    published_version: Series[String] = pa.Field(nullable=True, description="The warehouse version this run published; null when nothing had changed.")

    class Config:
        strict = True
        description = "The record of each run."
        metadata = {"primary_key": ["run_id"], "sort_by": ["started_at"]}
