"""The lines `serve` prints for its scheduled runs, from the runs' states in the API."""

from ofsted_findings.flows.serving import run_line


def _run(kind: str, message: str = "") -> dict:
    return {"id": "1", "name": "brave-otter", "state": {"type": kind, "message": message}}


def test_a_run_is_reported_when_it_starts_and_when_it_ends():
    assert run_line(_run("PENDING"), None) == []
    assert run_line(_run("RUNNING"), "PENDING") == ["run brave-otter started"]
    assert run_line(_run("RUNNING"), "RUNNING") == []
    done = _run("COMPLETED", "documents: ok 8; 2232 rows, 0 quarantined; 4.1 s")
    assert run_line(done, "RUNNING") == [
        "run brave-otter finished: documents: ok 8; 2232 rows, 0 quarantined; 4.1 s"
    ]
    assert run_line(done, "COMPLETED") == []


def test_a_run_seen_only_once_it_ended_is_reported_whole_and_a_failure_in_one_line():
    failed = _run("FAILED", "Flow run encountered an exception: PipelineError:\n  raw folder not found")
    assert run_line(failed, "PENDING") == [
        "run brave-otter started",
        "run brave-otter failed: Flow run encountered an exception: PipelineError: raw folder not found",
    ]
    assert run_line(_run("CRASHED", ""), "RUNNING") == ["run brave-otter failed: no reason given"]
