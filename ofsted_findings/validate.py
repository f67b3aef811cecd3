"""Validate every table against its schema. Failing rows go to `quarantine` with the reason;
the rest is published. Nothing is dropped silently."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
import pandera.errors
import pyarrow
import pyarrow.compute as pc

from ofsted_findings.models import Row
from ofsted_findings.schemas import metadata_of, schema_of, table_from_rows

# Parents first, so foreign keys are checked against already-validated parents.
TABLE_ORDER = (
    "documents",
    "document_facts",
    "document_texts",
    "sections",
    "inspections",
    "judgements",
    "recommendations",
    "findings",
    "metrics",
    "themes",
    "authorities",
)


# The error of an ok document some of whose rows were quarantined, after the count.
QUARANTINED_ROWS = " row(s) quarantined (see quarantine)"


@dataclass
class Validated:
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    quarantine: list[Row] = field(default_factory=list)

    def reader(self, table: str):
        """The table's rows for publishing (Staged streams the large ones from disk)."""
        from ofsted_findings.schemas import empty_frame

        return self.frames.get(table, empty_frame(table))

    def quarantined_by_table(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for q in self.quarantine:
            out[q["table_name"]] = out.get(q["table_name"], 0) + 1
        return out

    def quarantine_counts(self) -> dict[str, int]:
        """Rows quarantined per document."""
        counts: dict[str, int] = {}
        for q in self.quarantine:
            if q["document_id"]:
                counts[q["document_id"]] = counts.get(q["document_id"], 0) + 1
        return counts

    def mark_quarantined_documents(self) -> None:
        """An ok document with rows in the quarantine becomes `quarantined`, at stage validate."""
        docs = self.frames["documents"]
        counts = self.quarantine_counts()
        if not counts or docs.empty:
            return
        hit = docs["document_id"].isin(list(counts)) & (docs["status"] == "ok")
        docs.loc[hit, "status"] = "quarantined"
        for i in docs.index[hit.astype(bool)]:
            n = counts[docs.at[i, "document_id"]]
            docs.at[i, "stage"] = "validate"
            docs.at[i, "error"] = f"{n}{QUARANTINED_ROWS}"

    def document_statuses(self) -> dict[str, int]:
        """Documents per status, the most common first."""
        docs = self.frames["documents"]
        return {str(k): int(v) for k, v in docs["status"].value_counts().items()} if not docs.empty else {}

    def document_problems(self) -> list[tuple[str, str, str]]:
        """(source_path, status/stage, reason) of every document not ok or with a warning."""
        return [
            (r.source_path, f"{r.status}/{r.stage}", r.error or "")
            for r in self.frames["documents"].itertuples()
            if r.status != "ok" or (isinstance(r.error, str) and r.error)
        ]


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


def typed_rows(table: str, rows: list[Row], out: Validated) -> tuple[pyarrow.Table, list[Row]]:
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
                out.quarantine.append(quarantine_row(table, row, None, "dtype", None, reason))
        return table_from_rows(table, kept), kept


def _frame(table: str, rows: list[Row], out: Validated) -> tuple[pd.DataFrame, list[Row]]:
    """Build the typed frame; a row whose values do not fit the column types is quarantined."""
    data, kept = typed_rows(table, rows, out)
    return data.to_pandas(types_mapper=pd.ArrowDtype), kept


def validate_tables(tables: dict[str, list[Row]]) -> Validated:
    """Validate whole tables held in memory, parents before children."""
    out = Validated()
    for table in TABLE_ORDER:
        out.frames[table] = validate_rows(table, tables.get(table, []), out)
    return out


def validate_rows(table: str, rows: list[Row], out: Validated, foreign_keys: bool = True) -> pd.DataFrame:
    """The valid rows of `table` as a typed frame; the others go to out.quarantine.

    foreign_keys=False for a batch of a large table whose parents are not built yet (its keys
    are then checked when the batches are put together).
    """
    df, rows = _frame(table, rows, out)
    if foreign_keys:
        df, rows = _check_foreign_keys(table, df, rows, out)
    return _check_schema(table, df, rows, out)[0]


def _check_schema(
    table: str, df: pd.DataFrame, rows: list[Row], out: Validated
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
                out.quarantine.append(
                    quarantine_row(table, rows[idx], column, str(case.check), case.failure_case, reason)
                )
            if not bad_index:
                raise
            keep = [i for i in range(len(rows)) if i not in bad_index]
            rows = [rows[i] for i in keep]
            df = df.iloc[keep].reset_index(drop=True)
    return schema.validate(df, lazy=True), rows


def _check_foreign_keys(
    table: str, df: pd.DataFrame, rows: list[Row], out: Validated
) -> tuple[pd.DataFrame, list[Row]]:
    fks = metadata_of(table).get("foreign_keys", {})
    if not fks or df.empty:
        return df, rows
    ok = pd.Series(True, index=df.index)
    for column, target in fks.items():
        parent_table, parent_column = target.split(".")
        parent = out.frames.get(parent_table)
        known = set(parent[parent_column].dropna()) if parent is not None else set()
        present = df[column].isna() | df[column].isin(known)
        for i in df.index[~present.astype(bool)]:
            value = df.at[i, column]
            out.quarantine.append(
                quarantine_row(
                    table,
                    rows[i],
                    column,
                    "foreign_key",
                    value,
                    f"{table}.{column} {value!r} is not in {target}",
                )
            )
        ok &= present.astype(bool)
    keep = [i for i in df.index if ok[i]]
    return df.loc[keep].reset_index(drop=True), [rows[i] for i in keep]


def unique_columns(table: str) -> list[str]:
    """The columns whose values must be unique across the whole table."""
    return [name for name, column in schema_of(table).columns.items() if column.unique]


def validate_batches(
    table: str,
    batches: Iterable[pyarrow.Table],
    duplicated: dict[str, pyarrow.Array],
    extra: list[str],
    out: Validated,
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
        _check_batch(table, batch, extra, out, write)
    if aside:
        _check_batch(table, pyarrow.concat_tables(aside), extra, out, write)


def _check_batch(
    table: str, batch: pyarrow.Table, extra: list[str], out: Validated, write: Callable[[pyarrow.Table], None]
) -> None:
    if not batch.num_rows:
        return
    columns = batch.drop_columns(extra)
    rows = columns.to_pylist()
    valid, kept = _check_schema(table, columns.to_pandas(types_mapper=pd.ArrowDtype), rows, out)
    keep = pyarrow.array(kept_positions(rows, kept), pyarrow.int64())
    data = pyarrow.Table.from_pandas(valid, preserve_index=False)
    for name in extra:
        data = data.append_column(name, batch[name].take(keep))
    write(data)
