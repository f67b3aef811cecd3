"""The hand-off bundle for analysts who receive files rather than run the pipeline."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ofsted_findings.errors import UsageError
from ofsted_findings.schemas import TABLES
from ofsted_findings.warehouse.dictionary import first_values, handoff_files
from ofsted_findings.warehouse.publish import (
    DATABASE,
    RUNS_FILE,
    STORAGE_COMPATIBILITY,
    VERSIONED_TABLES,
    current_version,
    write_comments,
)
from ofsted_findings.warehouse.sql import sql_string
from ofsted_findings.warehouse.views import analysis_views, create_analysis_views

# Too large for a spreadsheet cell (Excel holds 32,767 characters): Parquet and DuckDB only.
NOT_IN_SPREADSHEETS = {"document_texts"}
EXCEL_CELL_LIMIT = 32_767
EXCEL_SHEET_NAME = 31  # characters
# The tables counted in the bundle's README, after the documents.
README_COUNTS = {
    "inspections": "inspections and visits", "judgements": "judgements", "recommendations": "recommendations",
    "findings": "findings", "metrics": "metrics", "quarantine": "quarantined rows",
}
NOT_RECORDED = "not recorded"

RECIPIENT_README = """# Ofsted children's services inspections — data bundle

Made by ofsted-findings {code_version} (run `{run_id}`, published {created_at}) from {files} source
files: {counts}.

| file | what it is |
|---|---|
| `*.parquet` | one file per table, columns described in the file metadata |
| `ofsted.duckdb` | a DuckDB database (opens in DuckDB 1.4 or later) holding every table and the analysis views; it contains the data itself, so it works wherever this folder is moved |
| `csv/*.csv`, `ofsted_findings.xlsx` | the tables and the analysis views for spreadsheets (one sheet each; lists joined with "; "; the cleaned texts are in the Parquet and DuckDB files only) |
| `DATA_DICTIONARY.md`, `datapackage.json` | what every column means, its type and allowed values |
| `CHANGELOG.md` | what changed in the tables from one schema version to the next |

Every extracted row has `document_id` and `start`/`end`: the evidence is
`substr(cleaned_text, start + 1, end - start)` of `document_texts.cleaned_text`.

## Example queries (`duckdb ofsted.duckdb`)

```sql
-- grades over time, with the change from the previous inspection
select local_authority, end_date, area, grade, change from grade_history order by 1, 2, 3;

-- weaknesses that persist from one inspection to the next
select local_authority, theme, status_history from theme_trajectory where trajectory = 'persistent_weakness';

-- recommendations made again at a later inspection
select local_authority, earlier_date, later_date, score, later_text from recurring_recommendations where match_rank = 1;

-- an authority's latest grades beside its statistical neighbours'
select * from statistical_neighbours_grades where local_authority = 'Dudley' and area = 'overall_effectiveness';
```
"""


def export_bundle(warehouse_dir: Path, out: Path) -> Path:
    version = current_version(warehouse_dir)
    if version is None:
        raise UsageError(f"{warehouse_dir}: no published warehouse; run `ofsted-findings run` first")
    if out.suffix == ".zip":
        with tempfile.TemporaryDirectory() as tmp:
            folder = _write_folder(version, Path(tmp) / out.stem)
            out.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        zf.write(path, path.relative_to(folder.parent))
        return out
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out}: folder exists and is not empty")
    return _write_folder(version, out)


# What the bundle's data dictionary says of itself.
DICTIONARY_HEADER = (
    "Generated from the tables' schemas by `ofsted-findings export`.",
    "Examples are from these tables.",
)


def _write_folder(version: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        source = version / f"{table}.parquet" if table in VERSIONED_TABLES else version.parent.parent / RUNS_FILE
        shutil.copy2(source, folder / f"{table}.parquet")
    # Written from the schemas and the package's data, not copied from a source tree: an
    # installed package writes the same files.
    for name, text in handoff_files(first_values(folder), header=DICTIONARY_HEADER).items():
        (folder / name).write_text(text, encoding="utf-8")
    _write_database(folder)
    _write_spreadsheets(folder)
    (folder / "README.md").write_text(RECIPIENT_README.format(**_provenance(folder)), encoding="utf-8")
    return folder


def _provenance(folder: Path) -> dict[str, str]:
    """The run that published these tables (the file metadata every versioned table carries),
    when, from how many files, and what it holds."""
    meta = pq.read_schema(folder / "documents.parquet").metadata or {}

    def value(key: str) -> str:
        return meta[key.encode()].decode() if key.encode() in meta else NOT_RECORDED

    created = value("created_at")
    with contextlib.suppress(ValueError):
        created = f"{dt.datetime.fromisoformat(created):%Y-%m-%d %H:%M} UTC"
    con = duckdb.connect(str(folder / DATABASE), read_only=True)
    try:
        statuses = con.execute(
            "SELECT status, count(*) FROM documents GROUP BY status ORDER BY count(*) DESC, status"
        ).fetchall()
        rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in README_COUNTS}
    finally:
        con.close()
    documents = sum(n for _, n in statuses)
    by_status = ", ".join(f"{n} {status}" for status, n in statuses)
    counts = f"{documents} documents ({by_status})" if statuses else "no documents"
    counts += "".join(f", {n} {README_COUNTS[table]}" for table, n in rows.items())
    return {
        "code_version": value("code_version"),
        "run_id": value("run_id"),
        "created_at": created,
        "files": value("source_file_count"),
        "counts": counts,
    }


def _write_database(folder: Path) -> None:
    """Tables copied into the database (no paths inside), the analysis views, every comment."""
    con = duckdb.connect(str(folder / DATABASE), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    try:
        for table in TABLES:
            path = sql_string(str(folder / f"{table}.parquet"))
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM read_parquet({path})')
            write_comments(con, table, "TABLE")
        create_analysis_views(con, analysis_views())
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _flat(table: pa.Table) -> pd.DataFrame:
    """Lists joined with '; ' and times in UTC without a zone (spreadsheets have neither)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            table = table.set_column(i, field.name, pc.binary_join(table.column(i), "; "))
        elif pa.types.is_timestamp(field.type) and field.type.tz:
            table = table.set_column(i, field.name, table.column(i).cast(pa.timestamp(field.type.unit)))
    return table.to_pandas()


def _view_frames(folder: Path) -> dict[str, pd.DataFrame]:
    """Each analysis view's rows, read from the bundle's own DuckDB file."""
    con = duckdb.connect(str(folder / DATABASE), read_only=True)
    try:
        return {v.name: _flat(con.sql(f"SELECT * FROM {v.name}").to_arrow_table()) for v in analysis_views()}
    finally:
        con.close()


def _write_spreadsheets(folder: Path) -> None:
    """A CSV file and an XLSX sheet for every table but the cleaned texts, and for every analysis
    view (what analysts open first)."""
    (folder / "csv").mkdir(exist_ok=True)
    frames = {
        t: _flat(pq.read_table(folder / f"{t}.parquet"))
        for t in TABLES
        if t not in NOT_IN_SPREADSHEETS
    }
    frames.update(_view_frames(folder))
    for name, df in frames.items():
        df.to_csv(folder / "csv" / f"{name}.csv", index=False)
    with pd.ExcelWriter(folder / "ofsted_findings.xlsx", engine="xlsxwriter") as writer:
        for name, df in frames.items():
            sheet = name[:EXCEL_SHEET_NAME]
            clipped = df.map(lambda v: v[:EXCEL_CELL_LIMIT] if isinstance(v, str) else v)
            clipped.to_excel(writer, sheet_name=sheet, index=False, freeze_panes=(1, 0))
            writer.sheets[sheet].autofilter(0, 0, max(len(df), 1), max(len(df.columns) - 1, 0))


def summary(folder: Path) -> str:
    return json.dumps(sorted(p.name for p in folder.iterdir()))
