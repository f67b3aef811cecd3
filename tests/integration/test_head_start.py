"""The command line's head start: the files read while Prefect starts are the run's, unchanged,
and the flow's process step gets exactly the documents its own plan wants."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ofsted_findings.ingest.discover import discover
from ofsted_findings.run import head_start
from ofsted_findings.run.head_start import HeadStart
from ofsted_findings.run.options import RunOptions
from ofsted_findings.run.sequence import process_locally
from tests.conftest import RAW

OPTIONS = RunOptions(workers=2)


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    return raw


def _step(raw: Path, paths: list[Path]) -> dict[str, object]:
    got: dict[str, object] = {}
    process_locally(
        raw_dir=raw, paths=paths, options=OPTIONS, on_result=lambda r: got.setdefault(r.source_path, r)
    )
    return got


def _children() -> set[int]:
    """This process's children, whichever of its threads started them."""
    children: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        try:
            children.update(int(pid) for pid in (task / "children").read_text().split())
        except FileNotFoundError:  # a thread that ended while we looked started nobody now
            continue
    return children


def test_the_process_step_takes_over_the_head_start_and_gets_what_it_alone_would(tmp_path):
    raw = _raw(tmp_path)
    paths = discover(raw)
    alone = _step(raw, paths)  # no head start open: the step processes every file itself
    with HeadStart(raw_dir=raw, paths=paths, options=OPTIONS, workers=2) as early:
        deadline = time.monotonic() + 60
        while early._results.qsize() < len(paths) + 1 and time.monotonic() < deadline:
            time.sleep(0.05)  # all done (and the end marker) before the flow would start
        taken = _step(raw, paths)
        assert early.ready_at_hand_over == len(paths)
    assert {k: (v.sha256, v.status, v.rows) for k, v in taken.items()} == {
        k: (v.sha256, v.status, v.rows) for k, v in alone.items()
    }
    assert head_start.take(raw) is None  # handed over once, then gone


def test_the_step_reads_again_what_changed_and_what_the_head_start_did_not_cover(tmp_path):
    raw = _raw(tmp_path)
    paths = discover(raw)
    changed, left_out = [p for p in paths if p.suffix == ".txt"][:2]
    with HeadStart(raw_dir=raw, paths=[p for p in paths if p != left_out], options=OPTIONS, workers=2):
        deadline = time.monotonic() + 60
        while head_start._open[raw.resolve()]._results.qsize() < len(paths) and time.monotonic() < deadline:
            time.sleep(0.05)
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        extra = raw / "new_letter.txt"  # a file the head start never saw
        extra.write_text("Ofsted monitoring visit to Dudley children's services.\n", encoding="utf-8")
        taken = _step(raw, [*paths, extra])
    fresh = _step(raw, [changed, left_out, extra])  # each read now, without a head start
    assert len(taken) == len(paths) + 1
    for path in (changed, left_out, extra):
        source = path.relative_to(raw).as_posix()
        assert taken[source].sha256 == fresh[source].sha256 and taken[source].rows == fresh[source].rows


def test_a_head_start_nobody_takes_stops_its_workers_when_closed(tmp_path):
    raw = _raw(tmp_path)
    before = _children()
    with HeadStart(raw_dir=raw, paths=discover(raw) * 20, options=OPTIONS, workers=2) as early:
        time.sleep(1.0)
        assert _children() - before  # its workers run
    assert not early._thread.is_alive()
    assert head_start.take(raw) is None
    deadline = time.monotonic() + 10
    while _children() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _children() - before
    assert not left, [Path(f"/proc/{p}/stat").read_text()[:60] for p in left]  # none, not even a zombie
