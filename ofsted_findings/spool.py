"""Streaming assembly of the tables, so memory does not grow with the corpus.

Each processed document's large rows (findings, metrics, cleaned text, ...) are validated and
written to Parquet parts in batches as documents finish; only a light header per document stays
in memory (its facts and judgements, which linking needs). Once every document is linked, DuckDB
streams each table out of the parts, with inspection_id filled in and rows sorted by key (it
sorts on disk when the table does not fit in memory).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings.models import Row
from ofsted_findings.process import DocumentResult
from ofsted_findings.reference.authorities import authority_rows
from ofsted_findings.schemas import arrow_schema, empty_frame, metadata_of
from ofsted_findings.tables import SPOOLED_TABLES, link_tables, spooled_rows, themes_rows
from ofsted_findings.validate import Validated, quarantine_row, validate_rows

# Documents validated and written per Parquet part: bounds the rows held in memory.
BATCH_DOCUMENTS = 64
# DuckDB's memory for sorting the spooled tables; beyond it, it spills to the spool folder
# (so the main process's peak does not grow with the corpus).
DUCKDB_MEMORY_LIMIT = "256MB"
READ_BATCH_ROWS = 50_000


def _light(r: DocumentResult, judgements: list[Row]) -> DocumentResult:
    """The header kept in memory: everything but the cleaned text and the large row lists."""
    return replace(r, cleaned_text=None, sections=[], rows={"judgements": judgements})


@dataclass
class Spool:
    folder: Path
    batch_documents: int = BATCH_DOCUMENTS
    headers: list[DocumentResult] = field(default_factory=list)
    quarantine: list[Row] = field(default_factory=list)
    _buffer: list[DocumentResult] = field(default_factory=list)
    _parts: int = 0

    def __post_init__(self) -> None:
        for table in SPOOLED_TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)

    def add(self, result: DocumentResult) -> None:
        self._buffer.append(result)
        if len(self._buffer) >= self.batch_documents:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        rows: dict[str, list[Row]] = {t: [] for t in SPOOLED_TABLES}
        for r in self._buffer:
            mine = spooled_rows(r)
            for table, table_rows in mine.items():
                rows[table].extend(table_rows)
            self.headers.append(_light(r, mine["judgements"]))
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
        con = _connect(self.folder)
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
        self.headers.extend(headers)
        self.quarantine.extend(quarantine)


def _connect(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{str(folder / '.duckdb-tmp').replace(chr(39), chr(39) * 2)}'")
    con.execute("SET preserve_insertion_order = false")
    return con


@dataclass
class Staged(Validated):
    """Validated tables: the small ones as frames, the large ones streamed from the spool."""

    spool_folder: Path | None = None
    document_map: pa.Table | None = None  # document_id -> inspection_id, the documents kept
    earlier_map: pa.Table | None = None  # judgement_id -> inspection_id of earlier judgements

    def reader(self, table: str) -> Iterator[pa.RecordBatch] | pd.DataFrame:
        """A frame for a small table; for a spooled one, its rows as sorted record batches."""
        if table in self.frames or self.spool_folder is None or table not in SPOOLED_TABLES:
            return self.frames.get(table, empty_frame(table))
        return self._stream(table)

    def _parts(self, table: str) -> str | None:
        folder = self.spool_folder / table
        return str(folder / "*.parquet") if any(folder.glob("*.parquet")) else None

    def _query(self, table: str) -> str:
        columns = arrow_schema(table).names
        meta = metadata_of(table)
        keys = [*meta.get("sort_by", []), *meta.get("primary_key", [])]
        order = ", ".join(f's."{k}" NULLS FIRST' for k in dict.fromkeys(keys))
        select = []
        for c in columns:
            if c == "inspection_id" and table == "judgements":
                select.append(
                    "CASE WHEN s.judgement_of = 'earlier_inspection' THEN e.inspection_id "
                    "ELSE m.inspection_id END AS inspection_id"
                )
            elif c == "inspection_id":
                select.append("m.inspection_id AS inspection_id")
            else:
                select.append(f's."{c}"')
        earlier = "LEFT JOIN earlier_map e USING (judgement_id)" if table == "judgements" else ""
        return (
            f"SELECT {', '.join(select)} FROM read_parquet(?) s "
            f"JOIN document_map m USING (document_id) {earlier} ORDER BY {order}"
        )

    def _stream(self, table: str) -> Iterator[pa.RecordBatch]:
        parts = self._parts(table)
        if parts is None:
            return
        con = _connect(self.spool_folder)
        try:
            con.register("document_map", self.document_map)
            con.register("earlier_map", self.earlier_map)
            yield from con.sql(self._query(table), params=[parts]).to_arrow_reader(READ_BATCH_ROWS)
        finally:
            con.close()

    def orphans(self) -> list[Row]:
        """Spooled rows whose document is not in documents (foreign key), for the quarantine."""
        out = []
        con = _connect(self.spool_folder)
        try:
            con.register("document_map", self.document_map)
            for table in SPOOLED_TABLES:
                parts = self._parts(table)
                if parts is None:
                    continue
                query = (
                    "SELECT * FROM read_parquet(?) "
                    "WHERE document_id NOT IN (SELECT document_id FROM document_map)"
                )
                rows = con.sql(query, params=[parts]).to_arrow_table().to_pylist()
                for row in rows:
                    out.append(
                        quarantine_row(
                            table,
                            row,
                            "document_id",
                            "foreign_key",
                            row["document_id"],
                            f"{table}.document_id is not in documents.document_id",
                        )
                    )
        finally:
            con.close()
        return out

    def materialise(self) -> Staged:
        """Read every spooled table into a frame (small runs, tests)."""
        for table in SPOOLED_TABLES:
            data = self.reader(table)
            if isinstance(data, pd.DataFrame):
                continue
            batches = list(data)
            schema = arrow_schema(table).remove_metadata()
            arrow_table = pa.Table.from_batches(batches).cast(schema) if batches else schema.empty_table()
            self.frames[table] = arrow_table.to_pandas(types_mapper=pd.ArrowDtype)
        return self


def finalise(spool: Spool) -> Staged:
    """Link every document, validate the small tables, and stage the large ones for streaming."""
    spool.flush()
    documents, inspections, earlier = link_tables(spool.headers)
    staged = Staged(quarantine=list(spool.quarantine), spool_folder=spool.folder)
    staged.frames["documents"] = validate_rows("documents", documents, staged)
    staged.frames["inspections"] = validate_rows("inspections", inspections, staged)
    staged.frames["themes"] = validate_rows("themes", themes_rows(), staged)
    staged.frames["authorities"] = validate_rows("authorities", authority_rows(), staged)
    docs = staged.frames["documents"]
    kept = docs[docs["status"] != "skipped_duplicate"]
    staged.document_map = pa.Table.from_pandas(kept[["document_id", "inspection_id"]], preserve_index=False)
    staged.earlier_map = pa.table(
        {
            "judgement_id": pa.array(list(earlier), pa.string()),
            "inspection_id": pa.array(list(earlier.values()), pa.string()),
        }
    )
    staged.quarantine.extend(staged.orphans())
    return staged
