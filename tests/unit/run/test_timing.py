"""The start a run's wall time is counted from."""

import os
import subprocess
import sys
import time

import pytest

from ofsted_findings.run.timing import EXEC_GAP, process_started

_SINCE_START = (
    "import time; from ofsted_findings.run.timing import process_started; "
    "print(time.time() - process_started())"
)


def test_a_command_starts_when_its_process_started():
    run = subprocess.run([sys.executable, "-c", _SINCE_START], capture_output=True, text=True, check=True)
    assert 0 < float(run.stdout) < EXEC_GAP


def test_a_process_execd_after_other_work_starts_when_the_package_was_imported():
    # /proc's start time is the fork's: bash -c "sleep ... && python ..." execs python into the
    # process that slept, and the sleep is none of the command's time
    gap = EXEC_GAP + 1
    run = subprocess.run(
        ["bash", "-c", f"sleep {gap} && exec {sys.executable} -c '{_SINCE_START}'"],
        capture_output=True, text=True, check=True, env=os.environ,
    )  # fmt: skip
    assert float(run.stdout) < EXEC_GAP


def test_the_import_time_stands_in_only_beyond_the_gap():
    started = process_started(imported_at=0.0)  # /proc's start: the import is no later
    assert started < time.time()
    # (/proc's start is read against the clock each time: equal to a few milliseconds)
    assert process_started(imported_at=started + EXEC_GAP / 2) == pytest.approx(started, abs=0.05)
    assert process_started(imported_at=started + EXEC_GAP * 2) == started + EXEC_GAP * 2
