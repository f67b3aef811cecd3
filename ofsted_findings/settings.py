"""Thresholds and limits, in one place."""

# Seconds one document may take before its worker is killed (a PDF that hangs the extractor).
DOCUMENT_TIME_LIMIT = 120.0
