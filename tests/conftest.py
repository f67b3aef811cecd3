"""Shared fixtures: the sample raw folder, the seed gold, and one pipeline run over the sample;
and the tiers' markers: every test under tests/slow is marked `slow`, so `-m "not slow"` leaves
out the same tests as `pytest tests/unit tests/integration tests/gold`."""

from __future__ import annotations

import csv
import json
import shutil
import signal
import sys
from pathlib import Path

import pytest

from ofsted_findings.assemble import Tables
from ofsted_findings.models import DocumentResult
from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = FIXTURES / "gold" / "seeds"
SLOW = Path(__file__).resolve().parent / "slow"


def as_from_a_terminal() -> None:
    """preexec_fn for a command a test stops with Ctrl-C: SIGINT as a terminal gives it. A suite
    started as a background job (`cmd &` in a script, as CI may) ignores SIGINT, and its children
    inherit that, as POSIX shells intend; Python then leaves Ctrl-C ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def pytest_collection_modifyitems(items):
    """A test's tier is its folder: those in tests/slow take a minute or more (crash, kill and
    memory safety, the server's life cycle, a Dask cluster, training) and are marked `slow`."""
    for item in items:
        if item.path.is_relative_to(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def private_data_dir(tmp_path_factory):
    """The shared Prefect server of any test that starts one lives in a folder of the session's,
    and is stopped when the session ends: no test leaves a server running."""
    import os

    from ofsted_findings.flows.prefect_server import stop_shared

    folder = tmp_path_factory.mktemp("ofsted-findings-data")
    before = os.environ.get("OFSTED_FINDINGS_DATA_DIR")
    os.environ["OFSTED_FINDINGS_DATA_DIR"] = str(folder)
    yield folder
    stop_shared(directory=folder)
    if before is None:
        os.environ.pop("OFSTED_FINDINGS_DATA_DIR", None)
    else:
        os.environ["OFSTED_FINDINGS_DATA_DIR"] = before


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory):
    """The laid-out findings models (extract/model_cache.py) of the session's processes are kept
    in a folder of the session's, not the user's cache."""
    import os

    folder = tmp_path_factory.mktemp("ofsted-findings-cache")
    before = os.environ.get("OFSTED_FINDINGS_CACHE_DIR")
    os.environ["OFSTED_FINDINGS_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("OFSTED_FINDINGS_CACHE_DIR", None)
    else:
        os.environ["OFSTED_FINDINGS_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def gold_files() -> dict[str, str]:
    """Gold file name -> the sample file's path relative to raw/."""
    with (GOLD / "files.csv").open(encoding="utf-8") as fh:
        return {r["gold_file"]: r["source_path"] for r in csv.DictReader(fh)}


@pytest.fixture(scope="session")
def gold() -> dict[str, list[dict]]:
    return {p.stem: read_jsonl(p) for p in GOLD.glob("*.jsonl")}


@pytest.fixture(scope="session")
def sample_results() -> list[DocumentResult]:
    return process_files(RAW, list_raw(RAW), workers=1)


@pytest.fixture(scope="session")
def sample_tables(sample_results) -> Tables:
    return build_and_validate(sample_results)


@pytest.fixture(scope="session")
def seed_tables(gold_files) -> Tables:
    """A run of the five seed documents alone. The sample also holds the seed 2018 report as a
    PDF, which makes the text a copy whose rows are not published: the gold is about what the
    extractors find in the text, so it is checked on a run without the PDF."""
    return build_and_validate(process_files(RAW, [RAW / p for p in sorted(gold_files.values())], workers=1))


@pytest.fixture(scope="session")
def mixed_results(tmp_path_factory) -> list[DocumentResult]:
    """Results of many authorities: a generated corpus (reports, letters, press articles with and
    without dates), the sample (earlier judgements), an empty file and a copy of a file."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate_corpus import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    raw = tmp_path_factory.mktemp("mixed")
    generate(raw, 48, seed=5)
    for f in RAW.iterdir():
        shutil.copy(f, raw / f.name)
    (raw / "empty.txt").write_bytes(b"")
    shutil.copy(RAW / "dudley_2018-12-10_inspection_report.txt", raw / "zz copy.txt")
    return process_files(raw, list_raw(raw), workers=0)


@pytest.fixture(scope="session")
def cleaned_texts() -> dict[str, str]:
    """source_path -> cleaned text (PDFs by their layout), for checking evidence spans."""
    from ofsted_findings.ingest.discover import read_raw
    from ofsted_findings.run.worker import read_and_clean

    out = {}
    for path in list_raw(RAW):
        _, doc = read_and_clean(read_raw(RAW, path))
        out[doc.source_path] = doc.text
    return out
