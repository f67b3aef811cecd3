"""Generated documentation of the tables — the data dictionary, a Frictionless datapackage.json
and the schema snapshot that guards against unversioned breaking changes — all derived from the
Pandera models in schemas/, never written by hand.

    python -m ofsted_findings.dictionary          # rewrite the generated files
    python -m ofsted_findings.dictionary --check  # exit 1 if any is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ofsted_findings.schemas import TABLES, arrow_schema, metadata_of, schema_of, table_version
from ofsted_findings.warehouse.views import analysis_views, view_columns

REPO = Path(__file__).resolve().parents[1]
DICTIONARY = REPO / "DATA_DICTIONARY.md"
DATAPACKAGE = REPO / "datapackage.json"
SNAPSHOT = REPO / "schemas" / "snapshot.json"
CHANGELOG = REPO / "CHANGELOG.md"
EXAMPLE_WIDTH = 60


def _type_name(t: pa.DataType) -> str:
    return str(t).replace("large_", "")


def _frictionless_type(t: pa.DataType) -> str:
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t):
        return "number"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_list(t):
        return "array"
    return "string"


def _column_checks(column) -> tuple[list[str] | None, list[str]]:
    allowed, other = None, []
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            allowed = list(stats["allowed_values"])
        elif check.name == "str_matches":
            other.append(f"matches `{stats['pattern']}`")
        elif stats:
            other.append(f"{check.name} {', '.join(f'{k}={v}' for k, v in stats.items())}")
        else:
            other.append(check.name)
    if column.unique:
        other.append("unique")
    return allowed, other


def _example(frame: pd.DataFrame | None, name: str) -> str:
    if frame is None or name not in frame.columns:
        return ""
    values = frame[name].dropna()
    if values.empty:
        return ""
    value = values.iloc[0]
    text = (
        ", ".join(map(str, value))
        if isinstance(value, list | tuple) or hasattr(value, "tolist")
        else str(value)
    )
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_WIDTH else text[: EXAMPLE_WIDTH - 1] + "…"


def data_dictionary(examples: dict[str, pd.DataFrame] | None = None) -> str:
    examples = examples or {}
    lines = [
        "# Data dictionary",
        "",
        "Generated from `schemas/` by `python -m ofsted_findings.dictionary`; do not edit by hand.",
        "Examples are from the sample in `raw/`. Evidence spans are 0-based `[start, end)` offsets into",
        "`document_texts.cleaned_text` (in DuckDB: `substr(cleaned_text, start + 1, end - start)`).",
        "",
        "| table | version | rows are | primary key |",
        "|---|---|---|---|",
    ]
    for table in TABLES:
        schema = schema_of(table)
        key = ", ".join(metadata_of(table).get("primary_key", [])) or "—"
        lines.append(f"| [`{table}`](#{table}) | {table_version(table)} | {schema.description} | {key} |")
    for table in TABLES:
        schema, arrow, meta = schema_of(table), arrow_schema(table), metadata_of(table)
        lines += ["", f"## {table}", "", schema.description or "", ""]
        lines.append(f"Schema version {table_version(table)}.")
        if meta.get("primary_key"):
            lines.append(f"Primary key: `{', '.join(meta['primary_key'])}`.")
        for column, target in meta.get("foreign_keys", {}).items():
            lines.append(f"`{column}` references `{target}`.")
        row_checks = [c.name for c in schema.checks]
        if row_checks:
            lines.append(f"Row checks: {', '.join(f'`{c}`' for c in row_checks)}.")
        lines += [
            "",
            "| column | type | null | description | allowed values / checks | example |",
            "|---|---|---|---|---|---|",
        ]
        for name, column in schema.columns.items():
            allowed, other = _column_checks(column)
            rules = ", ".join(f"`{v}`" for v in allowed) if allowed else ""
            rules = "; ".join(filter(None, [rules, *other]))
            example = _example(examples.get(table), name).replace("|", "\\|")
            lines.append(
                f"| `{name}` | {_type_name(arrow.field(name).type)} | {'yes' if column.nullable else 'no'} "
                f"| {column.description} | {rules} | {example} |"
            )
    lines += views_section()
    return "\n".join(lines) + "\n"


def views_section() -> list[str]:
    """The analysis views of `ofsted.duckdb`, from the descriptions beside their SQL
    (ofsted_findings/warehouse/views/*.sql), with the types DuckDB gives their columns."""
    statements = analysis_views()
    types = view_columns(statements)
    lines = [
        "",
        "## Analysis views",
        "",
        "Defined in `ofsted_findings/warehouse/views/*.sql` and created in every `ofsted.duckdb` (and the",
        "exported bundle, where they are also CSV files and XLSX sheets). A materialised one is stored as a",
        "table when the warehouse is published.",
        "",
        "| view | kind | rows are |",
        "|---|---|---|",
    ]
    for view in statements:
        kind = "materialised table" if view.materialise else "view"
        lines.append(f"| [`{view.name}`](#{view.name}) | {kind} | {_cell(view.description)} |")
    for view in statements:
        lines += [
            "", f"### {view.name}", "", view.description, "", f"Defined in `views/{view.file}`.", "",
            "| column | type | description |", "|---|---|---|",
        ]
        for name, duck_type in types[view.name]:
            lines.append(f"| `{name}` | {duck_type.lower()} | {_cell(view.columns.get(name, ''))} |")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def datapackage() -> dict:
    resources = []
    for table in TABLES:
        schema, arrow, meta = schema_of(table), arrow_schema(table), metadata_of(table)
        fields = []
        for name, column in schema.columns.items():
            allowed, _ = _column_checks(column)
            field = {
                "name": name,
                "type": _frictionless_type(arrow.field(name).type),
                "description": column.description,
            }
            constraints = {}
            if not column.nullable:
                constraints["required"] = True
            if column.unique:
                constraints["unique"] = True
            if allowed:
                constraints["enum"] = allowed
            if constraints:
                field["constraints"] = constraints
            fields.append(field)
        table_schema: dict = {"fields": fields}
        if meta.get("primary_key"):
            table_schema["primaryKey"] = meta["primary_key"]
        fks = [
            {
                "fields": column,
                "reference": {"resource": target.split(".")[0], "fields": target.split(".")[1]},
            }
            for column, target in meta.get("foreign_keys", {}).items()
        ]
        if fks:
            table_schema["foreignKeys"] = fks
        resources.append(
            {
                "name": table,
                "path": f"{table}.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "description": schema.description,
                "schema": table_schema,
                "version": str(table_version(table)),
            }
        )
    return {
        "name": "ofsted-findings",
        "title": "Ofsted children's services inspections as data",
        "licenses": [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0 (Ofsted's text)"}],
        "resources": resources,
    }


def snapshot() -> dict:
    return {
        table: {
            "version": table_version(table),
            "columns": {f.name: _type_name(f.type) for f in arrow_schema(table)},
        }
        for table in TABLES
    }


def breaking_changes(old: dict, new: dict) -> list[str]:
    """Removed, renamed or retyped columns (and removed tables) whose version was not bumped."""
    problems = []
    for table, before in old.items():
        after = new.get(table)
        if after is None:
            problems.append(f"table {table} was removed")
            continue
        changed = [
            f"{c} ({t} -> {after['columns'].get(c, 'removed')})"
            for c, t in before["columns"].items()
            if after["columns"].get(c) != t
        ]
        if changed and after["version"] <= before["version"]:
            problems.append(f"{table}: {', '.join(changed)} changed without bumping its schema version")
    return problems


def sample_examples() -> dict[str, pd.DataFrame]:
    from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files

    raw = REPO / "raw"
    return build_and_validate(process_files(raw, list_raw(raw), workers=1)).frames


def generated_files() -> dict[Path, str]:
    return {
        DICTIONARY: data_dictionary(sample_examples()),
        DATAPACKAGE: json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generated_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.name)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    old = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
    problems = breaking_changes(old, snapshot())
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if old != snapshot():
        stale.append(SNAPSHOT.name)
        if not args.check:
            SNAPSHOT.write_text(json.dumps(snapshot(), indent=2) + "\n", encoding="utf-8")
    if stale:
        print(("stale: " if args.check else "wrote: ") + ", ".join(stale))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
