"""Streaming assembly of the tables, so memory does not grow with the corpus.

Each processed document's large rows (findings, metrics, cleaned text, ...) are validated and
written to Parquet parts in batches as documents finish, and its header (facts and judgements,
which linking needs) goes to the header store on disk (headers.py). `finalise` then links one
authority's documents at a time, validates documents and inspections a batch at a time, and cuts
the large tables into buckets of document_id (buckets.py), from which publishing streams every
table sorted by its key (staged.py). Memory holds a batch, an authority or a bucket at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ofsted_findings.buckets import split_into_buckets
from ofsted_findings.duplicates import (
    COPY_STATUSES,
    SAME_PUBLICATION,
    Copy,
    candidate_groups,
    mark_copy,
    same_publication,
)
from ofsted_findings.headers import HeaderStore, light_header
from ofsted_findings.models import Row
from ofsted_findings.parts import (
    READ_BATCH_ROWS,
    Batcher,
    PartFolder,
    connect,
    nullable,
    part_files,
    part_pattern,
)
from ofsted_findings.reference.authorities import authority_rows
from ofsted_findings.run.worker import DocumentResult
from ofsted_findings.schemas import arrow_schema
from ofsted_findings.staged import DOCUMENT_MAP, DOCUMENT_ORDER, EARLIER_MAP, INSPECTION_ORDER, Staged
from ofsted_findings.tables import SPOOLED_TABLES, inspection_row, link_tables, spooled_rows, themes_rows
from ofsted_findings.validate import (
    Validated,
    kept_positions,
    quarantine_row,
    typed_rows,
    unique_columns,
    validate_batches,
    validate_rows,
)

# Documents validated and written per Parquet part: bounds the rows held in memory.
BATCH_DOCUMENTS = 64
# Rows of documents and of inspections per part once linked; each part is validated on its own.
LINK_BATCH_ROWS = 1000
MAP_SCHEMA = pa.schema([("document_id", pa.string()), ("inspection_id", pa.string())])
EARLIER_SCHEMA = pa.schema([("judgement_id", pa.string()), ("inspection_id", pa.string())])


@dataclass
class Spool:
    folder: Path
    batch_documents: int = BATCH_DOCUMENTS
    quarantine: list[Row] = field(default_factory=list)
    headers: HeaderStore = field(init=False)
    _buffer: list[DocumentResult] = field(default_factory=list)
    _parts: int = 0

    def __post_init__(self) -> None:
        for table in SPOOLED_TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)
        self.headers = HeaderStore(self.folder / "headers")

    def add(self, result: DocumentResult) -> None:
        self._buffer.append(result)
        if len(self._buffer) >= self.batch_documents:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        rows: dict[str, list[Row]] = {t: [] for t in SPOOLED_TABLES}
        headers = []
        for r in self._buffer:
            mine = spooled_rows(r)
            for table, table_rows in mine.items():
                rows[table].extend(table_rows)
            headers.append(light_header(r, mine["judgements"]))
        self.headers.add(headers)
        self._buffer = []
        checked = Validated()
        for table, table_rows in rows.items():
            if table_rows:
                frame = validate_rows(table, table_rows, checked, foreign_keys=False)
                self._write(table, pa.Table.from_pandas(frame, preserve_index=False))
        self.quarantine.extend(checked.quarantine)

    def _write(self, table: str, data: pa.Table) -> None:
        if data.num_rows:
            pq.write_table(
                data.cast(arrow_schema(table).remove_metadata()),
                self.folder / table / f"part-{self._parts:06d}.parquet",
            )
            self._parts += 1

    def carry(self, version: Path, headers: list[DocumentResult], quarantine: list[Row]) -> None:
        """Documents carried forward unchanged: their rows are copied from the previous version's
        Parquet files straight into the spool (never through Python objects)."""
        if not headers:
            return
        ids = pa.table({"document_id": [h.document_id for h in headers]})
        con = connect(self.folder)
        try:
            con.register("carried_ids", ids)
            for table in SPOOLED_TABLES:
                source = version / f"{table}.parquet"
                columns = arrow_schema(table).names
                select = ", ".join(
                    "NULL::VARCHAR AS inspection_id" if c == "inspection_id" else f'"{c}"' for c in columns
                )
                query = (
                    f"SELECT {select} FROM read_parquet(?) "
                    "WHERE document_id IN (SELECT document_id FROM carried_ids)"
                )
                reader = con.sql(query, params=[str(source)]).to_arrow_reader(READ_BATCH_ROWS)
                for batch in reader:
                    self._write(table, pa.Table.from_batches([batch]))
        finally:
            con.close()
        self.headers.add(light_header(h, h.rows.get("judgements", [])) for h in headers)
        self.quarantine.extend(quarantine)


def finalise(spool: Spool) -> Staged:
    """Link every document, validate documents and inspections a batch at a time and the small
    tables at once, and cut the large tables into buckets for streaming."""
    spool.flush()
    staged = Staged(quarantine=list(spool.quarantine), spool_folder=spool.folder)
    _link(spool.headers, staged, _copies(spool))
    _validate_linked("documents", DOCUMENT_ORDER, staged)
    _validate_linked("inspections", INSPECTION_ORDER, staged)
    staged.frames["themes"] = validate_rows("themes", themes_rows(), staged)
    staged.frames["authorities"] = validate_rows("authorities", authority_rows(), staged)
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
    return staged


def _with(table: str, extra: list[str], *, validated: bool) -> pa.Schema:
    """The table's schema plus the `extra` order columns; every field nullable until validated."""
    schema = arrow_schema(table).remove_metadata()
    schema = pa.schema([*schema, *(pa.field(name, pa.int64()) for name in extra)])
    return schema if validated else nullable(schema)


def _typed(table: str, rows: list[Row], extra: dict[str, list[int]], out: Validated) -> pa.Table:
    """The rows typed (a value of the wrong type is quarantined), with their `extra` columns."""
    data, kept = typed_rows(table, rows, out)
    keep = kept_positions(rows, kept)
    for name, values in extra.items():
        data = data.append_column(name, pa.array([values[i] for i in keep], pa.int64()))
    return data


def _copies(spool: Spool) -> dict[str, Copy]:
    """The documents that are another's copy in another format (duplicates.py), by id: candidates
    are found in the headers, an authority at a time, and compared by their spooled texts."""
    groups = [g for group in spool.headers.groups() for g in candidate_groups(r for _, r in group)]
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


def _link(headers: HeaderStore, staged: Staged, copies: dict[str, Copy]) -> None:
    """Link one authority's documents at a time (headers.py), writing the documents and
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
    for group in headers.groups():
        results = [r for _, r in group]
        for r in results:
            if r.document_id in copies:
                mark_copy(r, copies[r.document_id])
            elif r.status == SAME_PUBLICATION:  # carried as a copy, its canonical one no longer found
                raise ValueError(f"{r.source_path}: carried as a copy of {r.duplicate_of}, which is gone")
        rows, found, links = link_tables(results)
        documents.add(_typed("documents", rows, {"seq": [seq for seq, _ in group]}, staged))
        first: dict[str, int] = {}
        for seq, r in group:
            first.setdefault(r.document_id, seq)
        order = {  # the order one list of every document gave: dated inspections first
            "link_phase": [0 if i.dates_known else 1 for i in found],
            "seq": [first[i.document_ids[0]] for i in found],
        }
        inspections.add(_typed("inspections", [inspection_row(i) for i in found], order, staged))
        earlier.add(pa.table([list(links), list(links.values())], schema=EARLIER_SCHEMA))
    for batcher in (documents, inspections, earlier):
        batcher.flush()


def _validate_linked(table: str, extra: list[str], staged: Staged) -> None:
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
    validate_batches(table, batches, duplicated, extra, staged, lambda data: valid.write(data.cast(schema)))


def _write_maps(staged: Staged) -> tuple[pa.Array, pa.Array]:
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
