"""Validated tables staged on disk in the spool folder, read back by DuckDB a piece at a time.

`Assembler.finish` (assembler.py) leaves: the documents and inspections tables as validated
Parquet parts (each row with the order it would have had in one in-memory list: `seq`), the large
tables cut into buckets of document_id (buckets.py), and the maps that fill their inspection_id.
Publishing streams each table from these, sorted by its key; nothing here holds a whole table in
memory. Small runs and tests turn it into frames with `materialise` (`Tables`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from ofsted_findings.assemble.parts import connect, part_pattern
from ofsted_findings.assemble.rows import SPOOLED_TABLES
from ofsted_findings.assemble.validate import QUARANTINED_ROWS
from ofsted_findings.models import Row
from ofsted_findings.schemas import arrow_schema, empty_frame, metadata_of
from ofsted_findings.settings import READ_BATCH_ROWS
from ofsted_findings.warehouse.sql import sql_string

# Every table the assembler makes (the warehouse adds quarantine and runs).
ASSEMBLED_TABLES = ("documents", "inspections", *SPOOLED_TABLES, "themes", "authorities")
# Columns carried beside a staged table's own: the order of its rows in a run that held them in
# one list (documents: arrival; inspections: created by a dated document, then by an undated one).
DOCUMENT_ORDER = ["seq"]
INSPECTION_ORDER = ["link_phase", "seq"]
DOCUMENT_MAP = "document_map.parquet"  # document_id -> inspection_id, the documents kept
EARLIER_MAP = "earlier_map.parquet"  # judgement_id -> inspection_id of earlier judgements
_QUARANTINED = "n IS NOT NULL AND d.status = 'ok'"
_MARKED = {
    "status": f"CASE WHEN {_QUARANTINED} THEN 'quarantined' ELSE d.status END",
    "stage": f"CASE WHEN {_QUARANTINED} THEN 'validate' ELSE d.stage END",
    "error": f"CASE WHEN {_QUARANTINED} THEN n::VARCHAR || {sql_string(QUARANTINED_ROWS)} ELSE d.error END",
}


def _keys(table: str) -> list[str]:
    meta = metadata_of(table)
    return list(dict.fromkeys([*meta.get("sort_by", []), *meta.get("primary_key", [])]))


def _order(columns: list[str], alias: str = "") -> str:
    return ", ".join(f'{alias}"{c}" NULLS FIRST' for c in columns)


def quarantined_by_table(quarantine: list[Row]) -> dict[str, int]:
    """Rows quarantined per table."""
    out: dict[str, int] = {}
    for q in quarantine:
        out[q["table_name"]] = out.get(q["table_name"], 0) + 1
    return out


@dataclass
class StagedTables:
    """Every validated table of a run: the small reference ones as frames, the others as parts
    and buckets in the spool `folder`, read by DuckDB; the quarantined rows in memory."""

    spool_folder: Path
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    quarantine: list[Row] = field(default_factory=list)
    marks: pa.Table | None = None  # document_id -> rows quarantined, once documents are marked

    def folder(self, name: str) -> Path:
        return self.spool_folder / name

    def reader(self, table: str) -> Iterator[pa.RecordBatch] | pd.DataFrame:
        """A frame for a small table; for a staged one, its rows as sorted record batches."""
        if table in self.frames:
            return self.frames[table]
        if table == "documents":
            keys = [*metadata_of(table)["sort_by"], *DOCUMENT_ORDER]
            return self._stream(self._documents(keys))
        if table == "inspections":
            keys = [*metadata_of(table)["sort_by"], *INSPECTION_ORDER]
            return self._stream(self._staged("inspections", keys))
        if table in SPOOLED_TABLES:
            return self._buckets(table)
        return empty_frame(table)

    def quarantined_by_table(self) -> dict[str, int]:
        return quarantined_by_table(self.quarantine)

    def quarantine_counts(self) -> dict[str, int]:
        """Rows quarantined per document."""
        counts: dict[str, int] = {}
        for q in self.quarantine:
            if q["document_id"]:
                counts[q["document_id"]] = counts.get(q["document_id"], 0) + 1
        return counts

    # --- documents ------------------------------------------------------------------------------

    def parts(self, name: str) -> str | None:
        """read_parquet(...) of a folder's parts, or None when it has none."""
        pattern = part_pattern(self.folder(name))
        return None if pattern is None else f"read_parquet({sql_string(pattern)})"

    def _documents(self, order: list[str], columns: list[str] | None = None, where: str = "") -> str | None:
        """Documents as marked (mark_quarantined_documents), in `order`."""
        parts = self.parts("valid/documents")
        if parts is None:
            return None
        names = arrow_schema("documents").names
        select = [
            f'{_MARKED[c]} AS "{c}"' if self.marks is not None and c in _MARKED else f'd."{c}"'
            for c in [*names, *DOCUMENT_ORDER]
        ]
        join = "LEFT JOIN marks USING (document_id)" if self.marks is not None else ""
        inner = f"SELECT {', '.join(select)} FROM {parts} d {join}"
        picked = ", ".join(f'"{c}"' for c in columns or names)
        return f"SELECT {picked} FROM ({inner}) {where} {'ORDER BY ' + _order(order) if order else ''}"

    def _staged(self, table: str, order: list[str]) -> str | None:
        parts = self.parts(f"valid/{table}")
        if parts is None:
            return None
        picked = ", ".join(f'"{c}"' for c in arrow_schema(table).names)
        return f"SELECT {picked} FROM {parts} ORDER BY {_order(order)}"

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = connect(self.spool_folder)
        if self.marks is not None:
            con.register("marks", self.marks)
        return con

    def _stream(self, query: str | None) -> Iterator[pa.RecordBatch]:
        if query is None:
            return
        con = self._connect()
        try:
            yield from con.sql(query).to_arrow_reader(READ_BATCH_ROWS)
        finally:
            con.close()

    def mark_quarantined_documents(self) -> None:
        """An ok document with rows in the quarantine becomes `quarantined`, at stage validate
        (applied as documents are read)."""
        counts = self.quarantine_counts()
        self.marks = pa.table(
            [pa.array(list(counts), pa.string()), pa.array(list(counts.values()), pa.int64())],
            names=["document_id", "n"],
        )

    def document_statuses(self) -> dict[str, int]:
        """Documents per status, the most common first."""
        query = self._documents([], ["status"])
        if query is None:
            return {}
        con = self._connect()
        try:
            grouped = f"SELECT status, count(*) AS n FROM ({query}) GROUP BY status ORDER BY n DESC, status"
            return {status: n for status, n in con.sql(grouped).fetchall()}
        finally:
            con.close()

    def document_problems(self) -> list[tuple[str, str, str]]:
        """(source_path, status/stage, reason) of every document not ok or with a warning."""
        where = "WHERE status != 'ok' OR coalesce(error, '') != ''"
        query = self._documents(DOCUMENT_ORDER, ["source_path", "status", "stage", "error"], where)
        if query is None:
            return []
        con = self._connect()
        try:
            rows = con.sql(query).fetchall()
            return [(path, f"{status}/{stage}", error or "") for path, status, stage, error in rows]
        finally:
            con.close()

    # --- the large tables -----------------------------------------------------------------------

    def _query(self, table: str, bucket: Path) -> str:
        select = []
        for c in arrow_schema(table).names:
            if c == "inspection_id" and table == "judgements":
                select.append(
                    "CASE WHEN s.judgement_of = 'earlier_inspection' THEN e.inspection_id "
                    "ELSE m.inspection_id END AS inspection_id"
                )
            elif c == "inspection_id":
                select.append("m.inspection_id AS inspection_id")
            else:
                select.append(f's."{c}"')
        document_map = sql_string(str(self.folder(DOCUMENT_MAP)))
        earlier_map = sql_string(str(self.folder(EARLIER_MAP)))
        earlier = f"LEFT JOIN read_parquet({earlier_map}) e USING (judgement_id)"
        return (
            f"SELECT {', '.join(select)} FROM read_parquet({sql_string(str(bucket / '*.parquet'))}) s "
            f"JOIN read_parquet({document_map}) m USING (document_id) "
            f"{earlier if table == 'judgements' else ''} ORDER BY {_order(_keys(table), 's.')}"
        )

    def _buckets(self, table: str) -> Iterator[pa.RecordBatch]:
        """The table's rows sorted: bucket after bucket (buckets.py), each sorted by DuckDB."""
        buckets = sorted(self.folder(f"buckets/{table}").glob("bucket-*"))
        if not buckets:
            return
        con = self._connect()
        try:
            for bucket in buckets:
                yield from con.sql(self._query(table, bucket)).to_arrow_reader(READ_BATCH_ROWS)
        finally:
            con.close()

    def materialise(self) -> Tables:
        """Every table as a frame, in the order one in-memory run gave (small runs, tests)."""
        frames = dict(self.frames)
        ordered = {
            "documents": self._documents(DOCUMENT_ORDER),
            "inspections": self._staged("inspections", INSPECTION_ORDER),
        }
        for table in ("documents", "inspections", *SPOOLED_TABLES):
            batches = list(self._stream(ordered[table]) if table in ordered else self._buckets(table))
            schema = arrow_schema(table).remove_metadata()
            data = pa.Table.from_batches(batches).cast(schema) if batches else schema.empty_table()
            frames[table] = data.to_pandas(types_mapper=pd.ArrowDtype)
        return Tables(
            frames=frames,
            quarantine=list(self.quarantine),
            statuses=self.document_statuses(),
            problems=self.document_problems(),
        )


@dataclass
class Tables:
    """A run's tables held in memory, as `StagedTables.materialise` read them (small runs and
    tests), with the statuses and problems it found: publishable as StagedTables is."""

    frames: dict[str, pd.DataFrame]
    quarantine: list[Row]
    statuses: dict[str, int]
    problems: list[tuple[str, str, str]]

    def reader(self, table: str) -> pd.DataFrame:
        return self.frames.get(table, empty_frame(table))

    def quarantined_by_table(self) -> dict[str, int]:
        return quarantined_by_table(self.quarantine)

    def document_statuses(self) -> dict[str, int]:
        return dict(self.statuses)

    def document_problems(self) -> list[tuple[str, str, str]]:
        return list(self.problems)
