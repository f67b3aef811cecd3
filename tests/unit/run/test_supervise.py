"""Worker processes under a per-document time limit: a hang or a crash costs one document."""

import os
import time

from ofsted_findings.run.pool import run_supervised
from tests.conftest import REPO


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


def _mark_started(item: tuple[str, int]) -> int:
    folder, n = item
    open(os.path.join(folder, f"started-{n}"), "w").close()
    return n


def test_a_worker_starts_its_next_item_before_the_result_is_handled(tmp_path):
    # Handling a result can take a while (the spool writes a batch of rows): the worker must
    # not sit idle meanwhile. With one worker, item 1 starts only if it was sent before
    # on_result(item 0) returned.
    started_during_handling = []

    def handle(n: int) -> None:
        if n == 0:
            deadline = time.monotonic() + 20
            while not (tmp_path / "started-1").exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            started_during_handling.append((tmp_path / "started-1").exists())

    out = run_supervised(
        _mark_started,
        [(str(tmp_path), 0), (str(tmp_path), 1)],
        workers=1,
        time_limit=None,
        on_failure=lambda i, r: r,
        on_result=handle,
    )
    assert out == [0, 1] and started_during_handling == [True]


def test_no_item_starts_while_held_and_a_stop_leaves_the_rest(tmp_path):
    held = {"on": True}
    started = time.time()
    seen: list[int] = []

    def hold() -> bool:
        if time.time() - started > 1.0:
            held["on"] = False
        return held["on"]

    out = run_supervised(
        _mark_started,
        [(str(tmp_path), n) for n in range(6)],
        workers=1,
        time_limit=None,
        on_failure=lambda i, r: r,
        on_result=seen.append,
        hold=hold,
        stop=lambda: len(seen) >= 2,
    )
    # nothing started during the first second; the stop left the rest
    marks = list(tmp_path.glob("started-*"))
    assert min(p.stat().st_mtime for p in marks) >= started + 1.0 - 0.05  # file times are coarse
    assert len(seen) == 2 and out[2:] == [None] * 4
    assert len(marks) <= 3  # at most the one in hand when it stopped



def test_a_function_handed_over_by_name_is_imported_by_the_workers_alone():
    # a run hands its workers the document work by name, so the extractors load only in them
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ofsted_findings.run.documents import PROCESS_ITEM\n"
        "from ofsted_findings.run.pool import ByName, run_supervised\n"
        "out = run_supervised(ByName('tests.unit.run.test_supervise', '_work'), [1, 2], workers=1,\n"
        "                     time_limit=None, on_failure=lambda i, r: r)\n"
        "print(out, [m in sys.modules for m in (PROCESS_ITEM.module, 'tests.unit.run.test_supervise')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[2, 4] [False, False]"
