"""`ofsted-findings versions` and `ofsted-findings rollback` on a warehouse of published runs."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from ofsted_findings.cli import main
from ofsted_findings.run.sequence import publish_run
from ofsted_findings.warehouse.publish import current_version


@pytest.fixture()
def warehouse(tmp_path, sample_tables):
    names = []
    for run_id in ("run-one", "run-two", "run-three"):
        names.append(publish_run(sample_tables, tmp_path, run_id, dt.datetime.now(dt.UTC), 8).version.name)
    return tmp_path, names


def _invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_versions_lists_each_version_newest_first_and_marks_current(warehouse, sample_tables):
    wh, names = warehouse
    result = _invoke("versions", "--warehouse", str(wh), "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    documents = len(sample_tables.frames["documents"])
    assert [(v["version"], v["run_id"], v["documents"], v["current"]) for v in listed] == [
        (names[2], "run-three", documents, "yes"),
        (names[1], "run-two", documents, ""),
        (names[0], "run-one", documents, ""),
    ]
    table = _invoke("versions", "--warehouse", str(wh))
    assert table.exit_code == 0 and names[0] in table.output and "run-three" in table.output


def test_rollback_defaults_to_the_version_before_current_then_to_a_named_one(warehouse):
    wh, names = warehouse
    result = _invoke("rollback", "--warehouse", str(wh))
    assert result.exit_code == 0, result.output
    assert result.output == f"current: {names[1]} (run run-two, 8 documents); was {names[2]}\n"
    assert current_version(wh).name == names[1]
    assert pq.read_schema(wh / "judgements.parquet").metadata[b"run_id"] == b"run-two"
    listed = json.loads(_invoke("versions", "--warehouse", str(wh), "--format", "json").output)
    assert [v["current"] for v in listed] == ["", "yes", ""]
    result = _invoke("rollback", names[2], "--warehouse", str(wh))
    assert result.exit_code == 0 and current_version(wh).name == names[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rollback", "20000101T000000000000Z-gone"], "no published version '20000101T000000000000Z-gone'"),
        (["rollback", "2"], "matches 3 versions"),
    ],
)
def test_rollback_errors_are_one_line_and_switch_nothing(warehouse, args, message):
    wh, names = warehouse
    result = _invoke(*args, "--warehouse", str(wh))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("error: ") and message in result.output
    assert current_version(wh).name == names[2]


@pytest.mark.parametrize("command", ["versions", "rollback"])
def test_no_warehouse_is_a_one_line_error(tmp_path, command):
    result = _invoke(command, "--warehouse", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path / 'nowhere'}: no published warehouse here\n"
