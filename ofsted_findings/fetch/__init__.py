"""Fetch new publications from Ofsted's report site into the raw folder.

- `site`: the site's URLs and pages (search results, provider pages, publication labels);
- `http`: a polite HTTP client (rate limit, retries with back-off, time budget, conditional GETs);
- `manifest`: the record of every publication seen (`raw/.fetch-manifest.csv`), and which files
  are superseded by newer bytes at the same URL;
- `plan`: which publications to request and what to name their files;
- `run`: the whole fetch, as one plain function (`fetch`), used by the CLI and the Prefect flow.
"""

from ofsted_findings.fetch.manifest import MANIFEST_NAME, drop_superseded, superseded_paths

__all__ = ["MANIFEST_NAME", "drop_superseded", "superseded_paths"]
