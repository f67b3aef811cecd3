"""Thresholds and limits, in one place."""

# Seconds one document may take before its worker is killed (a PDF that hangs the extractor).
DOCUMENT_TIME_LIMIT = 120.0

# Metrics: characters either side of a quantity that its subject, evidence and period are looked
# for in. The longest sentence in the corpus (122 PDFs) is ~500 characters, so every real
# sentence fits whole; a hostile sentence of megabytes costs this much per quantity, not its
# whole length (which made the extractor quadratic).
METRIC_CONTEXT_CHARS = 1000
# Metrics: most members of a list read as one (dates "12, 13 and 14 October", thousands groups
# "1,000,000"): a longer list is read in pieces, and a list that never ends in what the pattern
# needs is given up on after this many members instead of being re-read from every member.
METRIC_LIST_MEMBERS = 50

# Bytes of address space each worker process may use (RLIMIT_AS; `run --memory-limit`): a
# document that needs more (a compression bomb inflating to gigabytes) fails as "over the
# memory limit" instead of exhausting the machine. A worker reading a report uses < 100 MB.
WORKER_MEMORY_LIMIT = 2 * 1024**3
# A worker that dies (pdfium aborts when an allocation fails) after using at least this share
# of its memory limit died from the limit.
MEMORY_DEATH_SHARE = 0.5
# Characters of text one PDF may yield (a report has < 500,000): a PDF that holds more is
# refused as "too much text" before its lines are read. (Text files are capped by their size,
# ingest/discover.py.)
MAX_DOCUMENT_CHARS = 5_000_000

# Fetch: the largest response kept (a report PDF is < 5 MB; the pipeline refuses PDFs over
# 100 MB unread): a larger Content-Length is refused at once, a longer body when it gets there.
FETCH_MAX_BYTES = 100_000_000
# Fetch: seconds one response may take, body included (`--timeout` bounds each wait for bytes;
# this bounds a server that sends a byte at a time).
FETCH_REQUEST_DEADLINE = 300.0
# Fetch: redirects followed for one request (to the same host only).
FETCH_MAX_REDIRECTS = 5
