"""Thresholds and limits, in one place."""

# Seconds one document may take before its worker is killed (a PDF that hangs the extractor).
DOCUMENT_TIME_LIMIT = 120.0

# Two documents of one authority, inspection, document type and publisher are one publication in
# two formats (duplicates.py) when this share of their cleaned texts' word shingles is common to
# both (Jaccard similarity). A report's PDF and its saved text share 0.997 of their 5-word
# shingles on the sample; different documents share almost none.
SAME_PUBLICATION_MIN_JACCARD = 0.8
SAME_PUBLICATION_SHINGLE_WORDS = 5
# Cleaned texts read at a time while comparing candidate copies.
SAME_PUBLICATION_TEXTS_PER_READ = 64

# The report leaves out a metric whose subject keeps fewer letters than this once numbers,
# punctuation and stop words are gone ('%', '65%', 'at 31/03/2014'): nothing to compare it by.
REPORT_MIN_SUBJECT_LETTERS = 4
