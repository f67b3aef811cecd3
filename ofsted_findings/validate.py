"""Validate every table against its schema. Failing rows go to `quarantine` with the reason;
the rest is published. Nothing is dropped silently."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
import pandera.errors
import pyarrow

from ofsted_findings.models import Row
from ofsted_findings.schemas import frame_from_rows, metadata_of, schema_of

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


def _frame(table: str, rows: list[Row], out: Validated) -> tuple[pd.DataFrame, list[Row]]:
    """Build the typed frame; a row whose values do not fit the column types is quarantined."""
    try:
        return frame_from_rows(table, rows), rows
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, TypeError, ValueError):
        kept = []
        for row in rows:
            try:
                frame_from_rows(table, [row])
                kept.append(row)
            except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, TypeError, ValueError) as exc:
                reason = str(exc).splitlines()[0]
                out.quarantine.append(quarantine_row(table, row, None, "dtype", None, reason))
        return frame_from_rows(table, kept), kept


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
    return _check_schema(table, df, rows, out)


def _check_schema(table: str, df: pd.DataFrame, rows: list[Row], out: Validated) -> pd.DataFrame:
    schema = schema_of(table)
    for _ in range(3):  # re-check after removing rows: whole-table checks may change
        try:
            return schema.validate(df, lazy=True)
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
    return schema.validate(df, lazy=True)


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
