"""A document that needs more memory than its worker may have (a compression bomb) fails with
"over the memory limit" and the run goes on; a PDF with more text than a report could hold is
refused before its text is read. The bomb is made here: ~300 KB of PDF inflating to 100 MB."""

from __future__ import annotations

import shutil
import zlib

from ofsted_findings.ingest import pdf
from ofsted_findings.run.pool import run_supervised
from ofsted_findings.run.sequence import list_raw, process_files
from tests.conftest import RAW
from tests.worker_functions import allocate

MB = 1024**2


def bomb_pdf(text_mb: float) -> bytes:
    """A one-page PDF whose single Flate stream inflates to `text_mb` MB of text operators."""
    op = b"(AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA) Tj 0 -1 Td\n"
    content = b"BT /F1 1 Tf 10 800 Td\n" + op * int(text_mb * 1e6 // len(op)) + b"ET\n"
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_compression_bomb_fails_over_the_memory_limit_and_the_rest_go_on(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    bomb = bomb_pdf(100)
    assert len(bomb) < 400_000
    (raw / "bomb.pdf").write_bytes(bomb)
    shutil.copy(RAW / "dudley_2023-01-13.pdf", raw / "report.pdf")
    shutil.copy(RAW / "dudley_2025-11-20_focused_visit_letter.md", raw / "letter.md")
    results = process_files(raw, list_raw(raw), workers=1, time_limit=60, memory_limit=300 * MB)
    by_name = {r.source_path: r for r in results}
    assert by_name["bomb.pdf"].status == "failed"
    assert by_name["bomb.pdf"].error == "over the memory limit (300 MB per worker process)"
    assert by_name["report.pdf"].status == "ok" and by_name["letter.md"].status == "ok"


def test_a_memory_error_in_a_worker_is_over_the_memory_limit():
    out = run_supervised(
        allocate,
        [1, 400, 2],
        workers=1,
        time_limit=60,
        memory_limit=200 * MB,
        on_failure=lambda item, reason: reason,
    )
    assert out == [MB, "over the memory limit (200 MB per worker process)", 2 * MB]


def test_a_pdf_with_more_text_than_a_report_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_DOCUMENT_CHARS", 5_000)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "wordy.pdf").write_bytes(bomb_pdf(0.01))  # ~7,000 characters
    (result,) = process_files(raw, list_raw(raw), workers=0)
    assert result.status == "unsupported" and result.stage == "read"
    assert result.error.startswith("too much text: over 5,000 characters by page 1")
