"""The generated documentation is current, and breaking schema changes need a version bump."""

import copy

from ofsted_findings.warehouse import dictionary
from tests.conftest import REPO


def test_generated_files_are_current(sample_tables):
    """Fails when DATA_DICTIONARY.md, datapackage.json or the schema snapshot are stale:
    run `.venv/bin/python scripts/dictionary` and commit the result."""
    assert dictionary.regenerate(REPO, sample_tables.frames, check=True) == ([], [])


def test_removing_renaming_or_retyping_a_column_needs_a_version_bump():
    old = dictionary.snapshot()
    new = copy.deepcopy(old)
    del new["judgements"]["columns"]["grade"]
    new["metrics"]["columns"]["value"] = "string"
    new["findings"]["columns"]["polarity_label"] = new["findings"]["columns"].pop("polarity")
    problems = dictionary.breaking_changes(old, new)
    assert len(problems) == 3
    for table in ("judgements", "metrics", "findings"):
        new[table]["version"] += 1
    assert dictionary.breaking_changes(old, new) == []


def test_adding_a_column_is_not_breaking():
    old = dictionary.snapshot()
    new = copy.deepcopy(old)
    new["documents"]["columns"]["new_column"] = "string"
    assert dictionary.breaking_changes(old, new) == []


def test_every_table_version_is_in_the_changelog():
    changelog = dictionary.changelog()
    for table, entry in dictionary.snapshot().items():
        assert f"`{table}`" in changelog
        assert entry["version"] >= 1


def test_datapackage_describes_every_column():
    package = dictionary.datapackage()
    for resource in package["resources"]:
        assert resource["path"].endswith(".parquet")
        assert all(f["description"] for f in resource["schema"]["fields"])
