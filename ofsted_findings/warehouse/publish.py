"""Publish validated tables to the warehouse folder atomically.

Each run writes a complete new version (Parquet files + a DuckDB file of views) into
`.versions/<id>/`, then switches the `current` link to it in one rename. The stable names
users open (`ofsted.duckdb`, `<table>.parquet`) are links through `current`, so a reader sees
one run or the other, never a mix; a run killed half-way leaves the last version in place.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings.schemas import TABLES, arrow_schema, metadata_of
from ofsted_findings.sql import sql_string
from ofsted_findings.warehouse.layout import DATABASE
from ofsted_findings.warehouse.views import ViewStatement, create_analysis_views

# The record of runs lives beside the versions, not in them: every run appends to it, including
# runs that had nothing to publish.
RUNS_FILE = "runs.parquet"
VERSIONED_TABLES = tuple(t for t in TABLES if t != "runs")
VERSIONS = ".versions"
CURRENT = "current"
KEEP_VERSIONS = 3
# DuckDB 1.4+ clients (the duckdb CLI on PyPI is 1.5) open files written with this setting.
STORAGE_COMPATIBILITY = "v1.4.0"
# DuckDB's memory for materialising the analysis views; beyond it, it spills to disk. The tables
# that grow faster than the corpus are computed a few authorities at a time (views.py).
MATERIALISE_MEMORY_LIMIT = "128MB"
# Tables written at once.
PUBLISH_THREADS = 2


def _sorted(table: str, df: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in metadata_of(table).get("sort_by", []) if k in df.columns]
    if keys and not df.empty:
        df = df.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
    return df


def write_parquet(
    table: str, data: pd.DataFrame | Iterable[pa.RecordBatch], path: Path, file_metadata: dict[str, str]
) -> int:
    """Write one table through its schema (descriptions in the field metadata); returns rows.

    A frame is sorted here; record batches (streamed from the spool) arrive sorted.
    """
    schema = arrow_schema(table)
    merged = {**(schema.metadata or {}), **{k.encode(): v.encode() for k, v in file_metadata.items()}}
    schema = schema.with_metadata(merged)
    if isinstance(data, pd.DataFrame):
        arrow_table = pa.Table.from_pandas(_sorted(table, data), schema=schema, preserve_index=False)
        pq.write_table(arrow_table.replace_schema_metadata(merged), path, compression="zstd")
        return arrow_table.num_rows
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in data:
            writer.write_table(pa.Table.from_batches([batch]).cast(schema))
            rows += batch.num_rows
    return rows


def write_parquet_atomic(table: str, df: pd.DataFrame, path: Path, file_metadata: dict[str, str]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write_parquet(table, df, tmp, file_metadata)
    os.replace(tmp, path)


def write_comments(con: duckdb.DuckDBPyConnection, table: str, kind: str) -> None:
    """The table's and every column's description from its schema, as DuckDB comments on the
    VIEW or TABLE of that name (analysts see them in `DESCRIBE` and duckdb_columns())."""
    schema = arrow_schema(table)
    description = (schema.metadata or {}).get(b"description", b"").decode()
    con.execute(f'COMMENT ON {kind} "{table}" IS {sql_string(description)}')
    for f in schema:
        text = (f.metadata or {}).get(b"description", b"").decode()
        con.execute(f'COMMENT ON COLUMN "{table}"."{f.name}" IS {sql_string(text)}')


def write_views(database: Path, parquet_dir: Path, views: list[ViewStatement] | None = None) -> None:
    """A DuckDB file with one commented view per table, over that version's Parquet files."""
    con = duckdb.connect(str(database), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    scratch = database.parent / ".duckdb-tmp"
    # materialising the analysis views spills to disk rather than growing with the corpus
    con.execute(f"SET memory_limit = '{MATERIALISE_MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {sql_string(str(scratch))}")
    try:
        con.execute("BEGIN TRANSACTION")  # one commit for some 200 statements, not one each
        for table in TABLES:
            schema = arrow_schema(table)
            columns = ", ".join(f'"{name}"' for name in schema.names)
            folder = parquet_dir if table in VERSIONED_TABLES else parquet_dir.parent.parent
            path = sql_string(str(folder / f"{table}.parquet"))
            con.execute(f'CREATE VIEW "{table}" AS SELECT {columns} FROM read_parquet({path})')
            write_comments(con, table, "VIEW")
        con.execute("COMMIT")
        create_analysis_views(con, views or [])
        con.execute("CHECKPOINT")
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


def publish(
    sources: Mapping[str, pd.DataFrame | Iterable[pa.RecordBatch]],
    warehouse_dir: Path,
    version_id: str,
    file_metadata: dict[str, str],
    views: list[ViewStatement] | None = None,
) -> tuple[Path, dict[str, int]]:
    """Write a complete version and switch to it: the version's folder and rows per table."""
    warehouse = warehouse_dir.resolve()
    versions = warehouse / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    final = versions / version_id
    shutil.rmtree(final, ignore_errors=True)
    final.mkdir()
    # the version folder is invisible to readers until `current` points at it
    # Two tables at a time: DuckDB's sorts and Parquet's compression release the GIL, and the
    # machine's other core is otherwise idle once the last document is read.
    with ThreadPoolExecutor(max_workers=PUBLISH_THREADS) as pool:
        written = {
            t: pool.submit(write_parquet, t, sources[t], final / f"{t}.parquet", file_metadata)
            for t in VERSIONED_TABLES
        }
        rows = {table: future.result() for table, future in written.items()}
    if not (warehouse / RUNS_FILE).exists():  # the views need it; the run is recorded after the switch
        write_parquet_atomic("runs", _empty_runs(), warehouse / RUNS_FILE, file_metadata)
    write_views(final / DATABASE, final, views)
    _fsync_dir(final)
    _switch_current(warehouse, final)
    _ensure_stable_links(warehouse)
    _prune(versions, keep=final)
    return final, rows


def _empty_runs() -> pd.DataFrame:
    from ofsted_findings.schemas import empty_frame

    return empty_frame("runs")


def current_version(warehouse_dir: Path) -> Path | None:
    link = warehouse_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _switch_current(warehouse: Path, final: Path) -> None:
    tmp = warehouse / f".{CURRENT}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path(VERSIONS) / final.name)
    os.replace(tmp, warehouse / CURRENT)  # atomic: readers see the old or the new version
    _fsync_dir(warehouse)


def _ensure_stable_links(warehouse: Path) -> None:
    for name in [DATABASE, *(f"{t}.parquet" for t in VERSIONED_TABLES)]:
        link = warehouse / name
        target = Path(CURRENT) / name
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        tmp = warehouse / f".{name}.tmp"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(target)
        os.replace(tmp, link)


def _prune(versions: Path, keep: Path) -> None:
    """Keep the newest versions (a reader may still have an older one open); drop the folders
    of runs that were killed before they switched `current`."""
    done = sorted((p for p in versions.iterdir() if p.is_dir()), key=lambda p: p.name)
    for old in done[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
