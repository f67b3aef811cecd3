"""Thresholds and limits, in one place."""

import os

# Seconds one document may take before its worker is killed (a PDF that hangs the extractor).
DOCUMENT_TIME_LIMIT = 120.0

# How findings get their polarity and themes: "model" (the linear models trained on gold made by
# reading, extract/models/findings.json, with the rules' readings among their features) or
# "rules" (the cue-word rules alone; eval/generalisation.py compares the two).
FINDINGS_READER = os.environ.get("OFSTED_FINDINGS_READER", "model")

# A run may drop at most this fraction of the published documents (their files gone from the raw
# folder) unless it is given --allow-shrink: an empty or wrong --raw must not wipe the warehouse.
SHRINK_LIMIT = 0.5

# Published versions kept in warehouse/.versions for `ofsted-findings rollback`; older ones are
# deleted after each publish. The current version is always kept, and at least one before it.
KEEP_VERSIONS = 5

# `ofsted-findings sql`: seconds before a query is stopped (--timeout), and DuckDB's memory for
# it. The sandbox has no temporary directory, so a query needing more fails instead of spilling.
SQL_TIMEOUT = 60.0
SQL_MEMORY_LIMIT = "2GB"
# Seconds to wait for DuckDB to stop a query after it was interrupted (timeout or Ctrl-C).
SQL_INTERRUPT_GRACE = 5.0
