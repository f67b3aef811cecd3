"""Version stamps of the parts whose output the warehouse stores.

Bump a stamp whenever that part's output changes for the same input: the next run then
re-processes every document (documents.extractor_version records the combined stamp each row
was made with), instead of carrying forward rows made by the old code.
"""

from __future__ import annotations

import hashlib
from functools import cache

from ofsted_findings import settings
from ofsted_findings.extract import shipped_model_file
from ofsted_findings.ids import stable_id

EXTRACTOR_VERSIONS: dict[str, str] = {
    "ingest": "1",  # ingest/: decoding, PDF text
    "clean": "3",  # clean/ (with clean/structure.py): cleaned text, sections, paragraphs; 2: U+2015 bullets;
    # 3: a one-row grade table under its own header (SIF 2014-15) opens its judgement's section
    "document": "2",  # extract/document.py: type, publisher, authority, dates, inspectors
    "judgements": "2",
    "recommendations": "1",
    # extract/findings.py, polarity.py, themes.py and reference/themes.csv; the models' weights
    # (extract/models/findings.json.gz) and the reader setting enter the stamp themselves
    "findings": "1",
    # 2: kind column, subjects tidied, line-start numbers read; 3: one splitter;
    # 4: "N looked after children" read whole, "one lives with parents" counted, bracketed
    # shares "(135 of the 142)": total and subject
    "metrics": "4",
}


def extractor_version() -> str:
    """One stamp for the whole set (what a document row was made with)."""
    parts = [f"{k}={v}" for k, v in sorted(EXTRACTOR_VERSIONS.items())]
    return stable_id(*parts, f"findings_reader={findings_reader_stamp(settings.FINDINGS_READER)}", length=12)


@cache
def findings_reader_stamp(reader: str) -> str:
    """What reads the findings: "rules", or the shipped models by their file's content hash (a
    retrained model changes the findings rows, so it re-processes every document)."""
    if reader != "model":
        return reader
    path = shipped_model_file()
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "no-model"
