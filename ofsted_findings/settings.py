"""Thresholds and limits, in one place."""

import os
from pathlib import Path

# Seconds one document may take before its worker is killed (a PDF that hangs the extractor).
DOCUMENT_TIME_LIMIT = 120.0

# How findings get their polarity and themes: "model" (the linear models trained on gold made by
# reading, extract/models/findings.json.gz, with the rules' readings among their features) or
# "rules" (the cue-word rules alone; eval/generalisation.py compares the two).
FINDINGS_READER = os.environ.get("OFSTED_FINDINGS_READER", "model")
# Where the findings models are kept laid out for reading, so that a worker process loads them in
# milliseconds instead of building them (extract/model_cache.py) [default:
# $XDG_CACHE_HOME/ofsted-findings, else ~/.cache/ofsted-findings]. Derived data: safe to delete.
CACHE_DIR_ENV = "OFSTED_FINDINGS_CACHE_DIR"

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

# --- Prefect's API (flows/prefect_server.py) ---------------------------------------
# With no PREFECT_API_URL, which API a run uses: "shared" (a local server that runs reuse and
# that stops itself when idle) or "ephemeral" (a temporary API started for the run and dying
# with it: CI-like use, nothing left behind).
PREFECT_MODE_ENV = "OFSTED_FINDINGS_PREFECT"
PREFECT_MODES = ("shared", "ephemeral")
# Where the shared server keeps its Prefect home, state file, lock and log [default:
# $XDG_DATA_HOME/ofsted-findings, else ~/.local/share/ofsted-findings].
DATA_DIR_ENV = "OFSTED_FINDINGS_DATA_DIR"
# Minutes without a client (no request, no open connection: no flow run, no `serve`, no UI)
# after which the shared server stops itself; 0 never.
SERVER_IDLE_ENV = "OFSTED_FINDINGS_SERVER_IDLE_MINUTES"
SERVER_IDLE_MINUTES = 30.0
# Seconds a server may take to answer its health check after starting (a first start creates
# its database; a loaded machine is slow).
SERVER_STARTUP_SECONDS = 180.0
# Seconds a server gets to stop after SIGTERM before it is killed.
SERVER_STOP_SECONDS = 10.0
# Seconds the server itself waits for open connections when it stops.
SERVER_GRACEFUL_SECONDS = 3
# Seconds one health check may take.
SERVER_HEALTH_TIMEOUT_SECONDS = 2.0
# Seconds to wait for another process that holds the server lock (it is starting a server).
SERVER_LOCK_SECONDS = 60.0
# How often a server's watchdog looks at its idle time and its parent (seconds).
WATCHDOG_POLL_SECONDS = 1.0

# --- serve -----------------------------------------------------------------------------------
# How often `serve` looks for its scheduled runs' state changes (seconds).
SERVE_POLL_SECONDS = 2.0
# Seconds `serve` takes at most to stop after Ctrl-C (pausing its schedule), then exits anyway.
SERVE_STOP_SECONDS = 4.0

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
# A command-line run starts its workers on the files it will likely read while Prefect starts
# (run/head_start.py); at most this many documents' results wait for the flow (a report's
# results are ~100 KB-1 MB: a slow Prefect start must not hold a large corpus in memory).
HEAD_START_BUFFER = 200
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

# Documents per Prefect task when per-document work goes to a Dask cluster (`run --dask-address`):
# Prefect's per-task overhead is paid per batch, not per file.
DASK_BATCH = 16

# --- reading raw files -------------------------------------------------------------------------
# [ingest/discover.py]
MAX_TEXT_BYTES = 20_000_000

# --- fetch -------------------------------------------------------------------------------------
# [fetch/http.py]
MAX_RETRY_AFTER = 120.0  # seconds: a longer Retry-After is capped (the budget still applies)
# [fetch/run.py]
MAX_SEARCH_PAGES = 20  # 2,000 providers at 100 a page: far more than the 153 there are

# --- assembling the tables ---------------------------------------------------------------------
# [assemble/link.py]
# How long after a visit a press article about it may appear.
ARTICLE_WINDOW_DAYS = 120
# [assemble/link.py]
# An earlier judgement "in April 2016" matches an inspection ending within this many days of it.
EARLIER_JUDGEMENT_WINDOW_DAYS = 120
# [assemble/records.py]
# Unlinked records read back at a time (they need no other document).
UNLINKED_CHUNK = 512
# [assemble/assembler.py]
# Rows of documents and of inspections per part once linked; each part is validated on its own.
LINK_BATCH_ROWS = 1000

# --- extraction --------------------------------------------------------------------------------
# [extract/themes.py]
MAX_THEMES = 3
# [extract/themes.py]
# Themes a sentence takes from its own words; the rest of MAX_THEMES come from its context.
OWN_THEMES = 2
# [extract/framework_refs.py]
# Of a label's words, the share a tag must name to be read as that label.
MIN_LABEL_OVERLAP = 0.6
# [extract/findings.py]
# A paragraph with no closing punctuation and fewer words than this is an address line, a name,
# a date or a title (letter front matter and sign-offs), not prose.
MIN_WORDS_UNPUNCTUATED = 10
# [extract/polarity.py]
# A negator reaches at most this many words past it (or past the last cue it flipped), and never
# past a word that opens a new clause of reason, time or relative description.
NEGATION_WINDOW = 8

# --- scoring against gold ----------------------------------------------------------------------
# [evaluation/gold.py]
# A gold sentence is "found" when one extracted row covers at least this share of it.
MIN_COVER = 0.5
# [evaluation/gold.py]
# Recommendation texts this similar (after folding whitespace and quotes) are the same item.
SAME_RECOMMENDATION = 0.85

# --- memory of a run (issue 16: every process of a run under 500 MB) --------------------------
# Arrow's allocator for every process of the project (ARROW_DEFAULT_MEMORY_POOL, set by the
# package's __init__ before pyarrow loads, so workers inherit it; an explicit setting in the
# environment wins). The default, mimalloc, keeps what it freed: a 375-document run peaked at
# 574-591 MB with it and ~505 MB with "system". pa.set_memory_pool after import does not help.
ARROW_MEMORY_POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"
ARROW_MEMORY_POOL = "system"
# Documents validated (pandas + Pandera) and written per spool part: the batch's frames are the
# spool's memory (64 documents cost ~70 MB over a batch of 1, 16 ~24 MB). 32 against 16 on the 122
# corpus PDFs (run_pipeline, 7 runs each, 2 cores): median wall 0.977x, peak 297 against 277 MB;
# Pandera's fixed cost of a batch is paid half as often. At 10,000 documents the command's peak
# comes at publishing, not while documents are spooled.
BATCH_DOCUMENTS = 32
# Rows per record batch when a query over the spool's parts is streamed back (to the bucket
# sort, to publishing): 50,000 rows of document texts held ~140 MB, 5,000 ~60 MB.
READ_BATCH_ROWS = 5_000
# DuckDB's memory for the sorts and joins over the spool's parts; beyond it, it spills to the
# spool folder.
DUCKDB_MEMORY_LIMIT = "256MB"
# Documents per bucket: the large tables are sorted one bucket at a time (assemble/buckets.py).
DOCS_PER_BUCKET = 256
# Bytes of parts read before they are split into buckets: bounds memory, and the number of files
# each bucket gets.
SPLIT_BYTES = 8 * 2**20
# DuckDB's memory for materialising the analysis views at publishing, on one thread; beyond it, it
# spills. The tables that grow faster than the corpus are computed a few authorities at a time
# (views.py). DuckDB fills what it is given: on 10,000 generated documents the run's peak, reached
# here, was 376 MB at 128 MB on two threads and 346 MB at 64 MB on one, in the same time (~6 s);
# 64 MB on two threads ran out of memory in theme_inspection.
MATERIALISE_MEMORY_LIMIT = "64MB"
# Tables written to the warehouse at once. Two overlapped two DuckDB sorts of a bucket of
# document texts and findings (~90 MB each): one at a time peaked ~40 MB lower on 375 documents
# (403-407 MB against 441-444) for the same CPU; publishing is ~1 s of CPU at that size.
PUBLISH_THREADS = 1


def user_folder(*, override: str, xdg: str, fallback: str) -> Path:
    """A folder of this tool's own under the user's: the environment variable `override` if set,
    else $`xdg`/ofsted-findings, else ~/`fallback`/ofsted-findings (the XDG base directories)."""
    if os.environ.get(override):
        return Path(os.environ[override]).expanduser()
    return Path(os.environ.get(xdg) or str(Path.home() / fallback)) / "ofsted-findings"
