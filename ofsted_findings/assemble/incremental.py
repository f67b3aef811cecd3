"""Incremental runs: process only new or changed raw files (by content hash and extractor
version), carry every other document forward from the published warehouse, drop deleted ones.
Files with the same bytes are read once: the others get a skipped_duplicate row."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from ofsted_findings.assemble.duplicates import SAME_PUBLICATION, same_bytes, skipped_duplicate
from ofsted_findings.assemble.records import linking_judgements
from ofsted_findings.assemble.rows import facts_of_document
from ofsted_findings.extract.versions import extractor_version
from ofsted_findings.ingest.discover import raw_hash, relative_source_path
from ofsted_findings.models import DocumentRecord, DocumentResult, Row
from ofsted_findings.reference.authorities import by_urn
from ofsted_findings.warehouse.publish import current_version

# Statuses worth another try even when the file is unchanged (a time limit hit under load).
RETRY_STATUSES = {"failed"}
# Statuses whose rows are made afresh by every run rather than carried.
RECOMPUTED_STATUSES = {"skipped_duplicate", "superseded"}


@dataclass
class Published:
    """What incremental planning needs of the last published version (not its large tables)."""

    version: Path
    documents: list[Row]
    judgements: list[Row]
    quarantine: list[Row]


@dataclass
class Plan:
    to_process: list[Path] = field(default_factory=list)
    carried: list[DocumentRecord] = field(default_factory=list)  # records of unchanged documents
    carried_quarantine: list[Row] = field(default_factory=list)
    duplicates: list[DocumentResult] = field(default_factory=list)
    version: Path | None = None  # where the carried documents' rows are
    new: int = 0
    changed: int = 0
    deleted: int = 0
    unchanged: int = 0
    duplicates_changed: bool = False

    @property
    def nothing_to_do(self) -> bool:
        return not (self.to_process or self.deleted or self.new or self.changed or self.duplicates_changed)


def read_published(warehouse_dir: Path) -> Published | None:
    version = current_version(warehouse_dir)
    if version is None:
        return None
    try:
        tables = {
            t: pq.read_table(version / f"{t}.parquet").to_pylist()
            for t in ("documents", "judgements", "quarantine")
        }
    except (OSError, ValueError):
        return None  # an older layout or a damaged file: process everything
    return Published(version, tables["documents"], tables["judgements"], tables["quarantine"])


def plan(raw_dir: Path, paths: list[Path], published: Published | None, full: bool) -> Plan:
    out = Plan(version=published.version if published else None)
    previous = {
        r["source_path"]: r
        for r in (published.documents if published else [])
        if r["status"] not in RECOMPUTED_STATUSES
    }
    stamp = extractor_version()
    sources = {path: relative_source_path(raw_dir, path) for path in paths}
    # each file's SHA-256, read in chunks after its type and size are checked; UNREADABLE_SHA for
    # a file that is refused or unreadable (processing then records why)
    hashes = {path: raw_hash(raw_dir, path) for path in paths}
    copies = same_bytes((sources[path], hashes[path]) for path in paths)
    out.duplicates = [
        skipped_duplicate(sources[path], hashes[path], copies[sources[path]])
        for path in paths
        if sources[path] in copies
    ]
    readable = sorted((p for p in paths if sources[p] not in copies), key=lambda p: sources[p])
    keep: set[str] = set()
    for path in readable:
        source = sources[path]
        before = previous.get(source)
        if before is None:
            out.new += 1
            out.to_process.append(path)
        elif hashes[path] != before["sha256"]:
            out.changed += 1
            out.to_process.append(path)
        elif full or before.get("extractor_version") != stamp or before["status"] in RETRY_STATUSES:
            out.to_process.append(path)
        else:
            out.unchanged += 1
            keep.add(source)
    _process_orphaned_copies(previous, keep, out, {source: path for path, source in sources.items()})
    out.deleted = len(set(previous) - set(sources.values()))
    before_duplicates = {
        r["source_path"]
        for r in (published.documents if published else [])
        if r["status"] == "skipped_duplicate"
    }
    out.duplicates_changed = before_duplicates != {d.source_path for d in out.duplicates}
    if published and keep:
        out.carried = carried_records(published, keep)
        ids = {h.document_id for h in out.carried}
        out.carried_quarantine = [q for q in published.quarantine if q["document_id"] in ids]
    return out


def _process_orphaned_copies(
    previous: dict[str, Row], keep: set[str], out: Plan, paths: dict[str, Path]
) -> None:
    """A same_publication copy published no rows: it is carried only with the document it
    copies; when that one is gone, changed or processed again, the copy is processed too."""
    kept_ids = {previous[s]["document_id"] for s in keep}
    for source in sorted(keep):
        before = previous[source]
        if before["status"] == SAME_PUBLICATION and before["duplicate_of"] not in kept_ids:
            keep.discard(source)
            out.unchanged -= 1
            out.to_process.append(paths[source])


def carried_records(published: Published, sources: set[str]) -> list[DocumentRecord]:
    """The records of unchanged documents (their large rows stay on disk), as the assembler
    would have made them from their results."""
    docs = [r for r in published.documents if r["source_path"] in sources]
    ids = {r["document_id"] for r in docs}
    judgements: dict[str, list[Row]] = defaultdict(list)
    for row in published.judgements:
        if row["document_id"] in ids:
            judgements[row["document_id"]].append(row)
    for q in published.quarantine:  # a quarantined judgement still counts for linking, as before
        if q["document_id"] in ids and q["table_name"] == "judgements":
            judgements[q["document_id"]].append(json.loads(q["row_json"]))
    out = []
    for d in docs:
        status = d["status"] if d["status"] in ("unsupported", SAME_PUBLICATION) else "ok"
        warning = d["error"] if d["stage"] != "validate" else None
        record = DocumentRecord(
            document_id=d["document_id"],
            source_path=d["source_path"],
            sha256=d["sha256"],
            status=status,
            stage=d["stage"] if warning else None,
            error=warning,
            text_format=d["text_format"],
            char_count=d["char_count"],
            page_count=d["page_count"],
            extractor_version=d["extractor_version"],
            duplicate_of=d["duplicate_of"] if status == SAME_PUBLICATION else None,
        )
        if status in ("ok", SAME_PUBLICATION):
            authority = by_urn(d["la_urn"]) if d["la_urn"] is not None else None
            record.facts = facts_of_document(d, authority)
            record.judgements = linking_judgements(judgements.get(d["document_id"], []))
        out.append(record)
    return out
