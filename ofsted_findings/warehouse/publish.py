"""Publish validated tables to the warehouse folder atomically.

Each run writes a complete new version (Parquet files + a DuckDB file of views) into
`.versions/<id>/`, then switches the `current` link to it in one rename. The stable names
users open (`ofsted.duckdb`, `<table>.parquet`) are links through `current`, so a reader sees
one run or the other, never a mix; a run killed half-way leaves the last version in place.
The last KEEP_VERSIONS published versions stay for `rollback`, which switches `current` back the
same way. What was published is read from what is on disk (the runs table's `published_version`,
each version's Parquet metadata), never from a separate record that could drift.

The views name their files relative to the warehouse folder, found through the DuckDB variable
`ofsted_warehouse` (every connection the project opens sets it): a warehouse folder copied or
moved elsewhere works as it did. Without the variable the paths are relative to the working
directory, so `duckdb ofsted.duckdb` works from inside the warehouse folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings.errors import UsageError
from ofsted_findings.schemas import TABLES, arrow_schema, metadata_of
from ofsted_findings.settings import KEEP_VERSIONS, MATERIALISE_MEMORY_LIMIT, PUBLISH_THREADS
from ofsted_findings.warehouse.layout import (  # noqa: F401 - re-exported for the writers' callers
    CURRENT,
    DATABASE,
    RUNS_FILE,
    VERSIONS,
    WAREHOUSE_VARIABLE,
    current_version,
    open_warehouse,
    published_files,
    set_warehouse_variable,
)
from ofsted_findings.warehouse.lock import warehouse_lock
from ofsted_findings.warehouse.sql import sql_string
from ofsted_findings.warehouse.views import ViewStatement, create_analysis_views

# The record of runs (RUNS_FILE) lives beside the versions, not in them: every run appends to it,
# including runs that had nothing to publish.
VERSIONED_TABLES = tuple(t for t in TABLES if t != "runs")
# DuckDB 1.4+ clients (the duckdb CLI on PyPI is 1.5) open files written with this setting.
STORAGE_COMPATIBILITY = "v1.4.0"


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


def table_file(table: str, version_id: str) -> str:
    """The Parquet file a table's view reads, relative to the warehouse folder."""
    return f"{VERSIONS}/{version_id}/{table}.parquet" if table in VERSIONED_TABLES else RUNS_FILE


def write_views(database: Path, parquet_dir: Path, views: list[ViewStatement] | None = None) -> None:
    """A DuckDB file with one commented view per table, over that version's Parquet files
    (`parquet_dir`, a folder of the warehouse's `.versions`), named relative to the warehouse."""
    con = duckdb.connect(str(database), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    scratch = database.parent / ".duckdb-tmp"
    # materialising the analysis views spills to disk rather than growing with the corpus
    con.execute(f"SET memory_limit = '{MATERIALISE_MEMORY_LIMIT}'")
    con.execute("SET threads = 1")  # with the limit: see MATERIALISE_MEMORY_LIMIT
    con.execute(f"SET temp_directory = {sql_string(str(scratch))}")
    set_warehouse_variable(con, parquet_dir.parent.parent)
    try:
        con.execute("BEGIN TRANSACTION")  # one commit for some 200 statements, not one each
        for table in TABLES:
            schema = arrow_schema(table)
            columns = ", ".join(f'"{name}"' for name in schema.names)
            path = sql_string("/" + table_file(table, parquet_dir.name))
            source = f"read_parquet(coalesce(getvariable('{WAREHOUSE_VARIABLE}'), '.') || {path})"
            con.execute(f'CREATE VIEW "{table}" AS SELECT {columns} FROM {source}')
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
    # PUBLISH_THREADS tables at a time (DuckDB's sorts and Parquet's compression release the GIL);
    # one by default: two sorts at once cost ~40 MB of peak memory (settings.py).
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
    switch_current(warehouse, final)
    prune_versions(warehouse)
    return final, rows


def _empty_runs() -> pd.DataFrame:
    from ofsted_findings.schemas import empty_frame

    return empty_frame("runs")


def switch_current(warehouse: Path, final: Path) -> None:
    """Point `current` at a version folder in one rename (publish and rollback both use this)."""
    tmp = warehouse / f".{CURRENT}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path(VERSIONS) / final.name)
    os.replace(tmp, warehouse / CURRENT)  # atomic: readers see the old or the new version
    _fsync_dir(warehouse)
    _ensure_stable_links(warehouse)


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


@dataclass(frozen=True)
class Version:
    """A published version, as its folder and the runs table record it."""

    name: str
    path: Path
    created_at: str | None  # when its run published it (the Parquet files' metadata)
    run_id: str | None
    documents: int | None  # rows of its documents table
    current: bool


def _published_names(warehouse: Path) -> set[str]:
    """Versions some run switched `current` to (the runs table), and the current one (a run killed
    between the switch and recording itself); other folders are killed runs' leftovers."""
    names: set[str] = set()
    runs = warehouse / RUNS_FILE
    if runs.exists():
        try:
            column = pq.read_table(runs, columns=["published_version"]).column("published_version")
            names = {n for n in column.to_pylist() if n}
        except (OSError, ValueError, KeyError):
            names = set()  # unreadable: only the current version is known to be published
    current = current_version(warehouse)
    if current is not None:
        names.add(current.name)
    return names


def _describe(path: Path, current: Path | None) -> Version:
    try:
        meta = pq.read_metadata(path / "documents.parquet")
        info = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
        documents: int | None = meta.num_rows
    except (OSError, ValueError):
        info, documents = {}, None
    return Version(
        name=path.name,
        path=path,
        created_at=info.get("created_at"),
        run_id=info.get("run_id"),
        documents=documents,
        current=path == current,
    )


def list_versions(warehouse_dir: Path) -> list[Version]:
    """Published versions still on disk, oldest first (version names start with their time)."""
    warehouse = warehouse_dir.resolve()
    folder = warehouse / VERSIONS
    if not folder.is_dir():
        return []
    published = _published_names(warehouse)
    current = current_version(warehouse)
    paths = sorted(p for p in folder.iterdir() if p.is_dir() and p.name in published)
    return [_describe(p, current) for p in paths]


def _complete(path: Path) -> bool:
    names = [DATABASE, *(f"{t}.parquet" for t in VERSIONED_TABLES)]
    return all((path / name).is_file() for name in names)


def rollback(warehouse_dir: Path, version: str | None = None, on_wait=None) -> tuple[Version, Version]:
    """Switch `current` to a published version (default: the one before current), holding the
    warehouse lock; returns (was current, now current). `version` is a name or a unique prefix."""
    warehouse = warehouse_dir.resolve()
    if current_version(warehouse) is None:
        raise UsageError(f"{warehouse_dir}: no published warehouse here")
    with warehouse_lock(warehouse, on_wait=on_wait):
        versions = list_versions(warehouse)
        was = next(v for v in versions if v.current)
        target = _rollback_target(versions, was, version, warehouse_dir)
        if not _complete(target.path):
            raise UsageError(f"{warehouse_dir}: version {target.name} has files missing; not switched")
        if target.name != was.name:
            switch_current(warehouse, target.path)
    return was, _describe(target.path, current_version(warehouse))


def _rollback_target(versions: list[Version], was: Version, wanted: str | None, where: Path) -> Version:
    if wanted is None:
        older = [v for v in versions if v.name < was.name]
        if not older:
            raise UsageError(f"{where}: no version before the current one ({was.name}) to roll back to")
        return older[-1]
    matches = [v for v in versions if v.name == wanted] or [v for v in versions if v.name.startswith(wanted)]
    if not matches:
        known = ", ".join(v.name for v in versions)
        raise UsageError(f"{where}: no published version {wanted!r} (there are: {known})")
    if len(matches) > 1:
        raise UsageError(f"{where}: {wanted!r} matches {len(matches)} versions; give more of its name")
    return matches[0]


def prune_versions(warehouse_dir: Path, keep: int = KEEP_VERSIONS) -> list[str]:
    """Delete all but the newest `keep` published versions (never the current one, and never
    fewer than two, so that there is a version to roll back to) and killed runs' leftover
    folders; the caller holds the warehouse lock. Returns the names deleted."""
    warehouse = warehouse_dir.resolve()
    folders = sorted(p for p in (warehouse / VERSIONS).iterdir() if p.is_dir())
    names = _published_names(warehouse)
    published = [p.name for p in folders if p.name in names]
    kept = set(published[-max(keep, 2) :])
    current = current_version(warehouse)
    if current is not None:
        kept.add(current.name)
    deleted = []
    for path in folders:
        if path.name not in kept:
            shutil.rmtree(path, ignore_errors=True)
            deleted.append(path.name)
    return deleted


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
