"""Parquet parts in the spool folder, and the DuckDB connection that reads them.

Every stage of assembling the tables writes its rows to numbered Parquet files as it goes and the
next stage reads them back with DuckDB (or one file at a time), so no stage holds a whole table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings.settings import DUCKDB_MEMORY_LIMIT
from ofsted_findings.warehouse.sql import sql_string


def part_files(folder: Path) -> list[Path]:
    """A folder's Parquet parts, in the order they were written."""
    return sorted(folder.glob("*.parquet"))


def part_pattern(folder: Path) -> str | None:
    """The glob DuckDB reads a folder's parts by, or None when it has none (read_parquet would fail)."""
    return str(folder / "*.parquet") if any(folder.glob("*.parquet")) else None


class PartFolder:
    """A folder of Parquet parts, numbered in the order they are written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def write(self, data: pa.Table) -> None:
        if data.num_rows:
            pq.write_table(data, self.path / f"part-{self.count:06d}.parquet")
            self.count += 1

    def files(self) -> list[Path]:
        return part_files(self.path)

    def pattern(self) -> str | None:
        return part_pattern(self.path)


class Batcher:
    """Collects small Arrow tables and writes them as parts of about `rows` rows."""

    def __init__(self, folder: PartFolder, schema: pa.Schema, rows: int) -> None:
        self.folder, self.schema, self.rows = folder, schema, rows
        self._pending: list[pa.Table] = []
        self._count = 0

    def add(self, data: pa.Table) -> None:
        if data.num_rows:
            self._pending.append(data.cast(self.schema))
            self._count += data.num_rows
        if self._count >= self.rows:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.folder.write(pa.concat_tables(self._pending))
        self._pending, self._count = [], 0


def nullable(schema: pa.Schema) -> pa.Schema:
    """The schema with every field nullable: for rows not validated yet (Parquet refuses a null
    in a field declared not null)."""
    return pa.schema([f.with_nullable(True) for f in schema.remove_metadata()])


# The in-memory DuckDB of each scratch folder inside `shared_database`.
_SHARED: dict[Path, duckdb.DuckDBPyConnection] = {}


def _open(scratch: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {sql_string(str(scratch / '.duckdb-tmp'))}")
    con.execute("SET preserve_insertion_order = false")
    # the spool's parts are read once or twice: DuckDB's cache of file blocks only held memory
    # (10,000 documents, in-process: peak 352 -> 341 MB, the document texts' write 340 -> 326 MB)
    con.execute("SET enable_external_file_cache = false")
    return con


@contextmanager
def shared_database(scratch: Path) -> Iterator[None]:
    """Inside, `connect(scratch)` gives cursors on one in-memory DuckDB, closed on leaving.

    Opening a DuckDB costs ~20 ms and a run asks for some 25 connections, one after another,
    after the last document is read; a cursor costs ~0.01 ms. Each cursor still has its own
    registered tables, so the callers stay as they are.
    """
    database = _open(scratch)
    _SHARED[scratch] = database
    try:
        yield
    finally:
        del _SHARED[scratch]
        database.close()


def connect(scratch: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose sorts spill to `scratch` beyond DUCKDB_MEMORY_LIMIT: a cursor on
    the shared database when inside `shared_database(scratch)`, else a database of its own."""
    shared = _SHARED.get(scratch)
    return shared.cursor() if shared is not None else _open(scratch)
