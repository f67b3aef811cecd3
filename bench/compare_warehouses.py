"""Compare the published tables of two warehouses row for row: run before and after a change
that must not change the output (a refactor), on the same raw folder.

    .venv/bin/python bench/compare_warehouses.py BEFORE_WAREHOUSE AFTER_WAREHOUSE

Every published Parquet table is read whole and sorted by all its columns; the run log
(`runs`) and columns that record a run (its id and timestamps) are left out, since they differ
between any two runs. Prints one line per table (same / differs, with row counts and the first
differing columns) and exits 1 if any table differs or exists on one side only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ofsted_findings.warehouse.layout import RUNS_FILE, current_version

RUN_COLUMNS = {"run_id", "started_at", "finished_at", "published_at", "processed_at"}


def _table(path: Path) -> pa.Table:
    table = pq.read_table(path)
    keep = [name for name in table.column_names if name not in RUN_COLUMNS]
    table = table.select(keep)
    if table.num_rows == 0:
        return table
    return table.sort_by([(name, "ascending") for name in keep
                          if not pa.types.is_nested(table.schema.field(name).type)])


def _current(warehouse_dir: Path) -> dict[str, Path]:
    version = current_version(warehouse_dir)
    if version is None:
        raise SystemExit(f"error: {warehouse_dir}: no published version")
    return {path.name: path for path in sorted(version.glob("*.parquet"))}


def compare(before: Path, after: Path) -> list[str]:
    """One line per table; a line starting 'differs' or 'only' is a difference."""
    left = _current(before)
    right = _current(after)
    lines = []
    for name in sorted(left.keys() | right.keys()):
        if name == RUNS_FILE:
            continue
        if name not in left or name not in right:
            lines.append(f"only in {'after' if name in right else 'before'}: {name}")
            continue
        a, b = _table(left[name]), _table(right[name])
        if a.schema != b.schema:
            lines.append(f"differs {name}: schema {a.schema.names} != {b.schema.names}")
        elif a.equals(b):
            lines.append(f"same    {name}: {a.num_rows} rows")
        else:
            columns = [col for col in a.column_names
                       if a.num_rows != b.num_rows or not a[col].equals(b[col])]
            lines.append(f"differs {name}: {a.num_rows} vs {b.num_rows} rows; columns {columns[:6]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    lines = compare(args.before, args.after)
    print("\n".join(lines))
    return 1 if any(not line.startswith("same") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
