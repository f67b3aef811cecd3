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
