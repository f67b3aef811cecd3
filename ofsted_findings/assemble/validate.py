"""Validate every table against its schema. Failing rows go to `quarantine` with the reason;
the rest is published. Nothing is dropped silently."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import pandas as pd
import pandera.errors
import pyarrow
import pyarrow.compute as pc

from ofsted_findings.models import Row
from ofsted_findings.schemas import schema_of, table_from_rows

# The error of an ok document some of whose rows were quarantined, after the count.
QUARANTINED_ROWS = " row(s) quarantined (see quarantine)"


def _json(row: Row) -> str:
    return json.dumps(row, default=str, sort_keys=True, ensure_ascii=False)


def quarantine_row(table: str, row: Row, column: str | None, check: str, case: object, reason: str) -> Row:
    return {
        "table_name": table,
        "column": column,
        "check": check,
        "failure_case": None if case is None else str(case),
        "document_id": row.get("document_id"),
        "evidence": row.get("evidence") or row.get("text"),
        "reason": reason,
        "row_json": _json(row),
    }


def kept_positions(rows: list[Row], kept: list[Row]) -> list[int]:
    """Where each of `kept` (a subsequence of `rows`, the same objects) stands in `rows`."""
    position = {id(row): i for i, row in enumerate(rows)}
    return [position[id(row)] for row in kept]


_TYPE_ERRORS = (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, TypeError, ValueError)


def typed_rows(table: str, rows: list[Row], quarantine: list[Row]) -> tuple[pyarrow.Table, list[Row]]:
    """The rows as an Arrow table of the table's types; a row whose values do not fit the column
    types is quarantined. Returns the table and the rows kept."""
    try:
        return table_from_rows(table, rows), rows
    except _TYPE_ERRORS:
        kept = []
        for row in rows:
            try:
                table_from_rows(table, [row])
                kept.append(row)
            except _TYPE_ERRORS as exc:
                reason = str(exc).splitlines()[0]
                quarantine.append(quarantine_row(table, row, None, "dtype", None, reason))
        return table_from_rows(table, kept), kept


def validate_rows(table: str, rows: list[Row], quarantine: list[Row]) -> pd.DataFrame:
    """The valid rows of `table` as a typed frame; the others go to `quarantine` with the reason.

    Foreign keys are not checked here: the large tables' rows arrive before their documents are
    linked, and a row whose document is not published is quarantined when the tables are cut
    into buckets (buckets.py)."""
    data, rows = typed_rows(table, rows, quarantine)
    return _check_schema(table, data.to_pandas(types_mapper=pd.ArrowDtype), rows, quarantine)[0]


def _check_schema(
    table: str, df: pd.DataFrame, rows: list[Row], quarantine: list[Row]
) -> tuple[pd.DataFrame, list[Row]]:
    """The valid rows as a frame, and the rows kept."""
    schema = schema_of(table)
    for _ in range(3):  # re-check after removing rows: whole-table checks may change
        try:
            return schema.validate(df, lazy=True), rows
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            bad_index = set()
            for case in cases.itertuples(index=False):
                idx = case.index
                if idx is None or (isinstance(idx, float) and pd.isna(idx)):
                    continue
                idx = int(idx)
                if idx in bad_index:
                    continue
                bad_index.add(idx)
                column = case.column if isinstance(case.column, str) and case.column in df.columns else None
                reason = f"{table}.{column or 'row'} failed {case.check}"
                quarantine.append(
                    quarantine_row(table, rows[idx], column, str(case.check), case.failure_case, reason)
                )
            if not bad_index:
                raise
            keep = [i for i in range(len(rows)) if i not in bad_index]
            rows = [rows[i] for i in keep]
            df = df.iloc[keep].reset_index(drop=True)
    return schema.validate(df, lazy=True), rows


def unique_columns(table: str) -> list[str]:
    """The columns whose values must be unique across the whole table."""
    return [name for name, column in schema_of(table).columns.items() if column.unique]


def validate_batches(
    table: str,
    batches: Iterable[pyarrow.Table],
    duplicated: dict[str, pyarrow.Array],
    extra: list[str],
    quarantine: list[Row],
    write: Callable[[pyarrow.Table], None],
) -> None:
    """Schema-check a table a batch at a time and `write` each batch's valid rows.

    `batches` hold the table's columns, typed (typed_rows), plus `extra` columns carried along
    (not checked). Every check of these tables looks at one row, except uniqueness: rows holding
    a value that `duplicated` lists for a unique column (found over the whole table) are set
    aside and checked together at the end, so each row is quarantined exactly as it would be
    were the table checked in one go. (A quarantined row is recorded with every column, as the
    rows of documents and inspections are made.)
    """
    aside: list[pyarrow.Table] = []
    for batch in batches:
        clash = None
        for column, values in duplicated.items():
            if len(values):
                hit = pc.is_in(batch[column], value_set=values)
                clash = hit if clash is None else pc.or_(clash, hit)
        if clash is not None and pc.any(clash).as_py():
            aside.append(batch.filter(clash))
            batch = batch.filter(pc.invert(clash))
        _check_batch(table, batch, extra, quarantine, write)
    if aside:
        _check_batch(table, pyarrow.concat_tables(aside), extra, quarantine, write)


def _check_batch(
    table: str,
    batch: pyarrow.Table,
    extra: list[str],
    quarantine: list[Row],
    write: Callable[[pyarrow.Table], None],
) -> None:
    if not batch.num_rows:
        return
    columns = batch.drop_columns(extra)
    rows = columns.to_pylist()
    valid, kept = _check_schema(table, columns.to_pandas(types_mapper=pd.ArrowDtype), rows, quarantine)
    keep = pyarrow.array(kept_positions(rows, kept), pyarrow.int64())
    data = pyarrow.Table.from_pandas(valid, preserve_index=False)
    for name in extra:
        data = data.append_column(name, batch[name].take(keep))
    write(data)
