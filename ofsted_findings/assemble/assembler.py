"""The assembler: the one interface the run sequence uses to turn documents into tables.

    assembler = Assembler(folder)          # a scratch folder on the warehouse's disk
    assembler.carry(version=..., records=..., quarantine=...)  # documents carried unchanged
    assembler.add(result)                  # each processed document, as it finishes
    staged = assembler.finish()            # every table validated, staged on disk

Each added document's large rows are validated and written to Parquet parts in batches, and its
record (facts and judgements, which linking needs) goes to the record store on disk (spool.py,
records.py). `finish` then links one authority's documents at a time, validates documents and
inspections a batch at a time, cuts the large tables into buckets of document_id (buckets.py),
and marks the documents with quarantined rows; publishing streams every table sorted by its key
from what it leaves (staging.py). Memory holds a batch, an authority or a bucket at a time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ofsted_findings.assemble.buckets import split_into_buckets
from ofsted_findings.assemble.duplicates import (
    COPY_STATUSES,
    SAME_PUBLICATION,
    Copy,
    candidate_groups,
    drop_same_bytes,
    mark_copy,
    same_publication,
)
from ofsted_findings.assemble.link import link_tables
from ofsted_findings.assemble.parts import (
    Batcher,
    PartFolder,
    connect,
    nullable,
    part_files,
    part_pattern,
    shared_database,
)
from ofsted_findings.assemble.records import RecordStore
from ofsted_findings.assemble.rows import SPOOLED_TABLES, inspection_row, themes_rows
from ofsted_findings.assemble.spool import BATCH_DOCUMENTS, Spool
from ofsted_findings.assemble.staging import (
    DOCUMENT_MAP,
    DOCUMENT_ORDER,
    EARLIER_MAP,
    INSPECTION_ORDER,
    StagedTables,
    Tables,
)
from ofsted_findings.assemble.validate import (
    kept_positions,
    quarantine_row,
    typed_rows,
    unique_columns,
    validate_batches,
    validate_rows,
)
from ofsted_findings.models import DocumentRecord, DocumentResult, Row
from ofsted_findings.reference.authorities import authority_rows
from ofsted_findings.schemas import arrow_schema
from ofsted_findings.settings import LINK_BATCH_ROWS

MAP_SCHEMA = pa.schema([("document_id", pa.string()), ("inspection_id", pa.string())])
EARLIER_SCHEMA = pa.schema([("judgement_id", pa.string()), ("inspection_id", pa.string())])


class Assembler:
    """Documents in (added as processed, or carried from the published version), validated
    tables out (`finish`), through the scratch `folder`."""

    def __init__(self, folder: Path, *, batch_documents: int = BATCH_DOCUMENTS) -> None:
        self.folder = folder
        self.spool = Spool(folder, batch_documents=batch_documents)

    def add(self, result: DocumentResult) -> None:
        """One processed document (or the row of a file not read: a copy, a superseded file)."""
        self.spool.add(result)

    def carry(self, *, version: Path | None, records: list[DocumentRecord], quarantine: list[Row]) -> None:
        """Documents of the published `version` carried unchanged (assemble/incremental.py): their
        records, and their rows copied from its Parquet files; `quarantine` their quarantined rows."""
        if version is not None:
            self.spool.carry(version, records, quarantine)

    def finish(self) -> StagedTables:
        """Link every document, validate documents and inspections a batch at a time and the small
        tables at once, cut the large tables into buckets for streaming, and mark the documents
        some of whose rows were quarantined."""
        spool = self.spool
        spool.flush()
        staged = StagedTables(spool_folder=spool.folder, quarantine=list(spool.quarantine))
        _link(spool.records, staged, _copies(spool))
        _validate_linked("documents", DOCUMENT_ORDER, staged)
        _validate_linked("inspections", INSPECTION_ORDER, staged)
        staged.frames["themes"] = validate_rows("themes", themes_rows(), staged.quarantine)
        staged.frames["authorities"] = validate_rows("authorities", authority_rows(), staged.quarantine)
        kept, withheld = _write_maps(staged)
        # a copy's rows are not published, nor is what of them failed a check
        ids = set(withheld.to_pylist())
        staged.quarantine = [q for q in staged.quarantine if q["document_id"] not in ids]
        for table in SPOOLED_TABLES:
            parts = part_files(spool.folder / table)
            for row in split_into_buckets(parts, kept, staged.folder(f"buckets/{table}"), withheld):
                reason = f"{table}.document_id is not in documents.document_id"
                staged.quarantine.append(
                    quarantine_row(table, row, "document_id", "foreign_key", row["document_id"], reason)
                )
        staged.mark_quarantined_documents()
        return staged


def assemble_in_memory(results: Iterable[DocumentResult]) -> Tables:
    """Every table of these results as frames (small runs, tests, the data dictionary): the same
    steps as a run, through a temporary folder. Copies of another file's bytes become their
    skipped_duplicate rows first, as planning makes them in a run."""
    results = drop_same_bytes(list(results))
    with tempfile.TemporaryDirectory(prefix="ofsted-spool-") as folder, shared_database(Path(folder)):
        assembler = Assembler(Path(folder))
        for r in results:
            assembler.add(r)
        return assembler.finish().materialise()


def _with(table: str, extra: list[str], *, validated: bool) -> pa.Schema:
    """The table's schema plus the `extra` order columns; every field nullable until validated."""
    schema = arrow_schema(table).remove_metadata()
    schema = pa.schema([*schema, *(pa.field(name, pa.int64()) for name in extra)])
    return schema if validated else nullable(schema)


def _typed(table: str, rows: list[Row], extra: dict[str, list[int]], quarantine: list[Row]) -> pa.Table:
    """The rows typed (a value of the wrong type is quarantined), with their `extra` columns."""
    data, kept = typed_rows(table, rows, quarantine)
    keep = kept_positions(rows, kept)
    for name, values in extra.items():
        data = data.append_column(name, pa.array([values[i] for i in keep], pa.int64()))
    return data


def _copies(spool: Spool) -> dict[str, Copy]:
    """The documents that are another's copy in another format (duplicates.py), by id: candidates
    are found in the records, an authority at a time, and compared by their spooled texts."""
    groups = [g for group in spool.records.groups() for g in candidate_groups(r for _, r in group)]
    if not groups:
        return {}
    return {c.document_id: c for c in same_publication(groups, lambda ids: _texts(spool.folder, ids))}


def _texts(folder: Path, ids: list[str]) -> dict[str, str]:
    """The cleaned texts of these documents, from the spool's document_texts parts."""
    pattern = part_pattern(folder / "document_texts")
    if not ids or pattern is None:
        return {}
    con = connect(folder)
    try:
        con.register("wanted", pa.table({"document_id": pa.array(ids, pa.string())}))
        query = (
            "SELECT document_id, cleaned_text FROM read_parquet(?) "
            "WHERE document_id IN (SELECT document_id FROM wanted)"
        )
        return dict(con.sql(query, params=[pattern]).fetchall())
    finally:
        con.close()


def _link(records: RecordStore, staged: StagedTables, copies: dict[str, Copy]) -> None:
    """Link one authority's documents at a time (records.py), writing the documents and
    inspections rows, typed, and the inspections of earlier judgements as parts. A copy of
    another document's publication (`copies`) is marked as such and joins no inspection."""
    documents = Batcher(
        PartFolder(staged.folder("linked/documents")), _with("documents", DOCUMENT_ORDER, validated=False),
        LINK_BATCH_ROWS,
    )
    inspections = Batcher(
        PartFolder(staged.folder("linked/inspections")),
        _with("inspections", INSPECTION_ORDER, validated=False),
        LINK_BATCH_ROWS,
    )
    earlier = Batcher(PartFolder(staged.folder("linked/earlier")), EARLIER_SCHEMA, LINK_BATCH_ROWS)
    for group in records.groups():
        members = [r for _, r in group]
        for r in members:
            if r.document_id in copies:
                mark_copy(r, copies[r.document_id])
            elif r.status == SAME_PUBLICATION:  # carried as a copy, its canonical one no longer found
                raise ValueError(f"{r.source_path}: carried as a copy of {r.duplicate_of}, which is gone")
        rows, found, links = link_tables(members)
        documents.add(_typed("documents", rows, {"seq": [seq for seq, _ in group]}, staged.quarantine))
        first: dict[str, int] = {}
        for seq, r in group:
            first.setdefault(r.document_id, seq)
        order = {  # the order one list of every document gave: dated inspections first
            "link_phase": [0 if i.dates_known else 1 for i in found],
            "seq": [first[i.document_ids[0]] for i in found],
        }
        inspections.add(_typed("inspections", [inspection_row(i) for i in found], order, staged.quarantine))
        earlier.add(pa.table([list(links), list(links.values())], schema=EARLIER_SCHEMA))
    for batcher in (documents, inspections, earlier):
        batcher.flush()


def _validate_linked(table: str, extra: list[str], staged: StagedTables) -> None:
    """Validate the linked rows a part at a time (validate_batches) into valid/<table>."""
    linked = PartFolder(staged.folder(f"linked/{table}"))
    valid = PartFolder(staged.folder(f"valid/{table}"))
    schema = _with(table, extra, validated=True)
    duplicated: dict[str, pa.Array] = {}
    pattern = linked.pattern()
    if pattern is not None:
        con = connect(staged.spool_folder)
        try:
            for column in unique_columns(table):
                query = f'SELECT "{column}" FROM read_parquet(?) GROUP BY ALL HAVING count(*) > 1'
                found = con.sql(query, params=[pattern]).to_arrow_table()
                duplicated[column] = found[column].combine_chunks()
        finally:
            con.close()
    batches = (pq.read_table(path) for path in linked.files())
    validate_batches(
        table, batches, duplicated, extra, staged.quarantine, lambda data: valid.write(data.cast(schema))
    )


def _write_maps(staged: StagedTables) -> tuple[pa.Array, pa.Array]:
    """document_id -> inspection_id of the documents kept, and judgement_id -> inspection_id of
    earlier judgements, as Parquet files; returns the kept documents' ids, sorted, and the ids of
    the copies whose rows are withheld."""
    documents = staged.parts("valid/documents")
    earlier = staged.parts("linked/earlier")
    con = connect(staged.spool_folder)
    try:
        for path, source, query, schema in (
            (
                DOCUMENT_MAP, documents, "SELECT document_id, inspection_id FROM {} "
                f"WHERE status NOT IN {COPY_STATUSES}", MAP_SCHEMA,
            ),
            (  # one row per judgement, or the join would repeat it
                EARLIER_MAP, earlier, "SELECT judgement_id, inspection_id FROM {} QUALIFY row_number() "
                "OVER (PARTITION BY judgement_id ORDER BY inspection_id NULLS LAST) = 1", EARLIER_SCHEMA,
            ),
        ):
            target = staged.folder(path)
            if source is None:
                pq.write_table(schema.empty_table(), target)
            else:
                pq.write_table(con.sql(query.format(source)).to_arrow_table().cast(schema), target)
        withheld = pa.array([], pa.string())
        if documents is not None:
            query = f"SELECT document_id FROM {documents} WHERE status = '{SAME_PUBLICATION}'"
            withheld = con.sql(query).to_arrow_table()["document_id"].combine_chunks()
    finally:
        con.close()
    ids = pq.read_table(staged.folder(DOCUMENT_MAP), columns=["document_id"])["document_id"]
    return ids.take(pc.sort_indices(ids)).combine_chunks(), withheld
