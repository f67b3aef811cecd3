"""Worker processes under a per-document time limit: a hang or a crash costs one document."""

import os
import time

from ofsted_findings.supervise import run_supervised


def _work(x: int) -> int:
    if x == 3:
        time.sleep(60)  # hangs
    if x == 5:
        os._exit(3)  # crashes its process
    return x * 2


def test_hangs_and_crashes_cost_one_item_each():
    started = time.monotonic()
    out = run_supervised(
        _work,
        list(range(8)),
        workers=2,
        time_limit=2,
        on_failure=lambda item, reason: f"failed {item}: {reason}",
    )
    assert time.monotonic() - started < 30
    assert out[:3] == [0, 2, 4] and out[4] == 8 and out[6:] == [12, 14]
    assert out[3] == "failed 3: gave up after 2 s (per-document time limit)"
    assert out[5] == "failed 5: worker process died (exit code 3)"


def test_results_can_stream_without_being_kept():
    seen = []
    out = run_supervised(
        _work,
        [0, 1, 2],
        workers=1,
        time_limit=None,
        on_failure=lambda i, r: None,
        on_result=seen.append,
        collect=False,
    )
    assert out == [] and sorted(seen) == [0, 2, 4]


def _main_module_file(_: int) -> str | None:
    import sys

    return getattr(sys.modules["__main__"], "__file__", None)


def test_workers_do_not_import_the_parents_main_module():
    # multiprocessing's spawn would run the parent's __main__ (here pytest's) again in each worker
    out = run_supervised(_main_module_file, [0], workers=1, time_limit=None, on_failure=lambda i, r: r)
    assert out == [None]
