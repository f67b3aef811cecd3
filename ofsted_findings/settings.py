"""Thresholds and limits, in one place."""

# Seconds one document may take before its worker is killed (a PDF that hangs the extractor).
DOCUMENT_TIME_LIMIT = 120.0

# `ofsted-findings sql`: seconds before a query is stopped (--timeout), and DuckDB's memory for
# it. The sandbox has no temporary directory, so a query needing more fails instead of spilling.
SQL_TIMEOUT = 60.0
SQL_MEMORY_LIMIT = "2GB"
# Seconds to wait for DuckDB to stop a query after it was interrupted (timeout or Ctrl-C).
SQL_INTERRUPT_GRACE = 5.0
