"""Every kind of bad input gets a documents row with its status and reason; the run goes on and
the sample's tables come out unchanged."""

from __future__ import annotations

import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time

import pandas as pd
import pypdfium2 as pdfium
import pytest

from ofsted_findings.run.sequence import build_and_validate, list_raw, process_files
from ofsted_findings.run.worker import process_path
from tests.conftest import RAW

LETTER = (
    "Focused visit to Barnsley children’s services\n\n"
    "This letter summarises the findings of the focused visit to Barnsley children’s services on "
    "3 and 4 May 2022. His Majesty’s Inspectors for this visit were Jane Smith and Ann Jones.\n\n"
    "Main findings\n\nMost children receive a timely response. Too many plans are not specific.\n\n"
    "Yours sincerely\n\nJane Smith\n\nHis Majesty’s Inspector\n"
)
NEWS_1252 = (
    "Council’s “good” rating welcomed\n\nBy Sam Green\n\n| 05 July 2019\n\n"
    "Bradford Council’s children’s services were rated as good by Ofsted. Contact Us\n"
)


def _pdf_bytes() -> bytes:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(200, 200)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


EXPECTED = {  # file -> (status, words in the reason)
    "empty.txt": ("unsupported", "empty file"),
    "noise.txt": ("unsupported", "binary"),
    "truncated.pdf": ("failed", "unreadable PDF"),
    "encrypted.pdf": ("unsupported", "encrypted PDF"),
    "saved-page.pdf": ("unsupported", "HTML page"),
    "huge.txt": ("unsupported", "too large"),
    "utf16 letter.txt": ("ok", None),
    "Bradford’s “news” – café.txt": ("ok", None),
    "mixed endings.txt": ("ok", None),
    "recipe.txt": ("unsupported", "not about an Ofsted inspection"),
    "zz copy of the 2018 report.txt": ("skipped_duplicate", "same content as"),
    "loop_a.txt": ("unsupported", "link loop"),
    "outside.txt": ("unsupported", "outside the raw folder"),
    "zero.txt": ("unsupported", "outside the raw folder"),  # a link to /dev/zero
    "fifo.txt": ("unsupported", "not a regular file: a named pipe"),
    "sparse 3 GB.pdf": ("unsupported", "too large: 3221.2 MB"),
    "caf\\xe9.txt": ("ok", None),  # its name's byte 0xE9 is not UTF-8: shown escaped
    "..txt": ("unsupported", "a hidden file"),
    "linked folder": ("unsupported", "not a regular file: a folder"),
    "linked outside folder": ("unsupported", "outside the raw folder"),
    "folder.pdf": ("unsupported", "not a regular file: a folder"),
}


@pytest.fixture(scope="module")
def hostile_raw(tmp_path_factory):
    return make_hostile_folder(tmp_path_factory.mktemp("raw"))


def make_hostile_folder(raw):
    """The sample plus one file of every kind of bad input."""
    raw.mkdir(parents=True, exist_ok=True)
    for f in RAW.iterdir():
        shutil.copy(f, raw / f.name)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "noise.txt").write_bytes(random.Random(0).randbytes(4096))
    (raw / "truncated.pdf").write_bytes(_pdf_bytes()[:300])
    (raw / "encrypted.pdf").write_bytes(_encrypted_pdf())
    (raw / "saved-page.pdf").write_bytes(b"<!DOCTYPE html><html><body>Report not found</body></html>")
    with (raw / "huge.txt").open("wb") as fh:
        line = b"Inspectors found that most children are helped and protected. " * 16 + b"\n"
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    (raw / "utf16 letter.txt").write_bytes(LETTER.encode("utf-16"))
    (raw / "Bradford’s “news” – café.txt").write_bytes(NEWS_1252.encode("cp1252"))
    mixed = LETTER.replace("Barnsley", "Bury").encode()
    mixed = mixed.replace(b"\n\n", b"\r\n\r\n", 2).replace(b"\n\n", b"\r\r", 1)
    (raw / "mixed endings.txt").write_bytes(mixed)
    (raw / "recipe.txt").write_text("Apple pie\n\nMix the flour and butter. Bake for 40 minutes.\n")
    shutil.copy(RAW / "dudley_2018-12-10_inspection_report.txt", raw / "zz copy of the 2018 report.txt")
    os.symlink("loop_b.txt", raw / "loop_a.txt")
    os.symlink("loop_a.txt", raw / "loop_b.txt")
    os.symlink("/etc/hostname", raw / "outside.txt")
    os.symlink("/dev/zero", raw / "zero.txt")
    os.mkfifo(raw / "fifo.txt")
    with (raw / "sparse 3 GB.pdf").open("wb") as fh:  # takes no disk space
        fh.truncate(3 * 2**30)
    (raw / os.fsdecode(b"caf\xe9.txt")).write_bytes(LETTER.replace("Barnsley", "Bolton").encode())
    (raw / "..txt").write_text(LETTER)
    (raw / "sub").mkdir()
    os.symlink("sub", raw / "linked folder")
    os.symlink("/etc", raw / "linked outside folder")
    (raw / "folder.pdf").mkdir()
    return raw


@pytest.fixture(scope="module")
def hostile_run(hostile_raw):
    results = process_files(hostile_raw, list_raw(hostile_raw), workers=2)
    return build_and_validate(results)


def test_every_hostile_file_has_a_status_and_reason(hostile_run):
    docs = hostile_run.frames["documents"].set_index("source_path")
    for name, (status, reason) in EXPECTED.items():
        assert name in docs.index, name
        row = docs.loc[name]
        assert row["status"] == status, (name, row["status"], row["error"])
        if reason:
            assert reason in row["error"], (name, row["error"])
            assert "\n" not in row["error"] and row["stage"]


def test_decoded_texts_are_right(hostile_run):
    docs = hostile_run.frames["documents"].set_index("source_path")
    assert docs.loc["utf16 letter.txt", "local_authority"] == "Barnsley"
    assert docs.loc["mixed endings.txt", "local_authority"] == "Bury"
    assert docs.loc["caf\\xe9.txt", "local_authority"] == "Bolton"
    assert docs.loc["Bradford’s “news” – café.txt", "title"] == "Council’s “good” rating welcomed"


def test_the_sample_tables_are_unchanged(hostile_run, sample_tables):
    sample_ids = set(sample_tables.frames["documents"]["document_id"])
    for table in ("judgements", "recommendations", "findings", "metrics", "document_facts"):
        clean = sample_tables.frames[table].reset_index(drop=True)
        mixed = hostile_run.frames[table]
        mixed = mixed[mixed["document_id"].isin(sample_ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(clean, mixed, check_like=False)


def test_a_file_unreadable_by_permissions(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    secret = raw / "secret.txt"
    secret.write_text(LETTER)
    secret.chmod(0)
    if os.geteuid() != 0:
        result = process_path(raw, secret)
    else:  # root reads anything: read it from a child process that has dropped to nobody
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_end)
            os.setgid(65534)
            os.setuid(65534)
            r = process_path(raw, secret)
            os.write(write_end, f"{r.status}|{r.error}".encode())
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as fh:
            status, error = fh.read().split("|", 1)
        os.waitpid(pid, 0)
        result = type("R", (), {"status": status, "error": error})
    assert result.status == "failed"
    assert "Permission denied" in result.error


def test_a_document_over_the_time_limit_fails_and_the_rest_go_on(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "dudley_2025-11-20_focused_visit_letter.md", raw / "a.md")
    (raw / "slow.txt").write_text(LETTER + ("Inspectors saw 12 children. " * 200_000))
    started = time.monotonic()
    results = process_files(raw, list_raw(raw), workers=1, time_limit=2.0)
    assert time.monotonic() - started < 30
    by_name = {r.source_path: r for r in results}
    assert by_name["a.md"].status == "ok"
    assert by_name["slow.txt"].status == "failed"
    assert "time limit" in by_name["slow.txt"].error


# The whole run in a child process under an address-space cap: reading /dev/zero, the named pipe
# or the sparse 3 GB file whole would hang it or end it with MemoryError instead of finishing.
RUN_AND_LIST = """
import json, resource, sys
from pathlib import Path
from ofsted_findings.run.sequence import run_pipeline
from ofsted_findings.warehouse.query import run_query
raw, wh = Path(sys.argv[1]), Path(sys.argv[2])
run_pipeline(raw, wh, workers=1)
_, rows = run_query(wh, "select source_path, status, stage, error from documents")
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"rows": rows, "peak_mb": peak // 1024}))
"""
ADDRESS_SPACE_CAP = 6 * 2**30


def _cap_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def test_a_whole_run_plans_and_publishes_past_every_hostile_input(hostile_raw, tmp_path):
    """Planning hashes files before anything else: it too must check a file's type and size
    before reading it, and read it in chunks."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, str(hostile_raw), str(tmp_path / "wh")],
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=_cap_address_space,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    docs = {path: (status, stage, error) for path, status, stage, error in report["rows"]}
    for name, (status, reason) in EXPECTED.items():
        assert docs[name][0] == status, (name, docs[name])
        if reason:
            assert reason in docs[name][2] and "\n" not in docs[name][2], (name, docs[name])
    assert report["peak_mb"] < 1500, report["peak_mb"]
