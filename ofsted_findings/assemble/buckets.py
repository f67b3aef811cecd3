"""The spooled tables cut into ranges of document_id, so that each is sorted a range at a time.

Every large table is ordered by document_id first. Its parts (one per batch of documents, in the
order documents finished) are re-written once into buckets of DOCS_PER_BUCKET consecutive
documents in document_id order; sorting one bucket after another then gives the whole table's
order while DuckDB holds one bucket, not the table. Rows whose document is not in `documents`
(it failed its checks) are set aside on the way, for the quarantine; those of a document
`withheld` (a copy of another's publication: duplicates.py) are dropped.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ofsted_findings.models import Row
from ofsted_findings.settings import DOCS_PER_BUCKET, SPLIT_BYTES


def bucket_folder(folder: Path, bucket: int) -> Path:
    return folder / f"bucket-{bucket:06d}"


def split_into_buckets(
    parts: list[Path], kept: pa.Array, folder: Path, withheld: pa.Array | None = None
) -> list[Row]:
    """Write the rows of `parts` into bucket folders in `folder` by their document's position in
    `kept` (the documents' ids, sorted); returns the rows of documents neither in it nor
    `withheld` (those are dropped).

    Parts are read a few at a time (SPLIT_BYTES) and each bucket's share written as a file of its
    own: no writer stays open, so memory does not grow with the number of buckets. When one
    bucket holds every document (a run of up to DOCS_PER_BUCKET documents), a part whose rows
    are all kept is linked into it as it is, not read and written again."""
    orphans: list[Row] = []
    pending: list[pa.Table] = []
    size = chunk = 0
    one_bucket = len(kept) <= DOCS_PER_BUCKET
    for part in parts:
        if one_bucket and _all_kept(part, kept):
            # Every row goes to bucket 0 as it is: link the part there rather than rewrite it.
            _link(part, bucket_folder(folder, 0), chunk)
            chunk += 1
            continue
        pending.append(pq.read_table(part))
        size += pending[-1].nbytes
        if size >= SPLIT_BYTES:
            orphans += _split(pa.concat_tables(pending), kept, folder, chunk, withheld)
            pending, size, chunk = [], 0, chunk + 1
    if pending:
        orphans += _split(pa.concat_tables(pending), kept, folder, chunk, withheld)
    return orphans


def _split(data: pa.Table, kept: pa.Array, folder: Path, chunk: int, withheld: pa.Array | None) -> list[Row]:
    position = pc.index_in(data["document_id"], value_set=kept.cast(data["document_id"].type))
    missing = pc.is_null(position)
    orphans = []
    if pc.any(missing).as_py():
        orphan = missing
        if withheld is not None and len(withheld):
            copy = pc.is_in(data["document_id"], value_set=withheld.cast(data["document_id"].type))
            orphan = pc.and_(missing, pc.invert(copy))
        orphans = data.filter(orphan).to_pylist()
        data, position = data.filter(pc.invert(missing)), position.filter(pc.invert(missing))
    bucket = pc.divide(position, DOCS_PER_BUCKET)  # integer division
    for b in pc.unique(bucket).to_pylist():
        target = bucket_folder(folder, b)
        target.mkdir(parents=True, exist_ok=True)
        pq.write_table(data.filter(pc.equal(bucket, b)), target / f"part-{chunk:06d}.parquet")
    return orphans


def _all_kept(part: Path, kept: pa.Array) -> bool:
    ids = pq.read_table(part, columns=["document_id"])["document_id"]
    return pc.all(pc.is_in(ids, value_set=kept.cast(ids.type))).as_py() is not False


def _link(part: Path, target: Path, chunk: int) -> None:
    target.mkdir(parents=True, exist_ok=True)
    destination = target / f"part-{chunk:06d}.parquet"
    try:
        os.link(part, destination)
    except OSError:  # a file system without hard links
        shutil.copyfile(part, destination)
