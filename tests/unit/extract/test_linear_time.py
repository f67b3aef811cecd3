"""Every extractor's work grows linearly with the length of one sentence: twice the text takes
about twice the time, on the pathological sentences of tests/hostile_text.py and on sentences
hypothesis makes from report fragments. Measured as a ratio of CPU times (best of three), not
as an absolute time, so that a slower or busier machine does not fail it."""

from __future__ import annotations

import gc
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_findings.clean import clean_text
from ofsted_findings.extract.metrics import extract_metrics
from tests.hostile_text import STAGES, UNITS, hostile_document

# Twice the text may take at most this much more time (linear: ~2; quadratic: ~4).
MAX_RATIO = 3.0
# The smaller text grows from START_KB until one run takes MIN_SECONDS (shorter runs are mostly
# noise: 16 ms against 56 ms once failed a linear stage); a stage still faster than that at
# MAX_KB (a quarter of a megabyte in one sentence) is not superlinear in any way that matters.
START_KB, MAX_KB, MIN_SECONDS = 8, 256, 0.03


def _best(run, repeat: int = 3) -> float:
    """Best CPU time of `repeat` runs, with the garbage collector paused: a full collection that
    falls in a run costs in proportion to everything the (long-lived) test process holds, not to
    the text, and made a linear stage look superlinear once in a while."""
    best = float("inf")
    for _ in range(repeat):
        gc.disable()
        try:
            started = time.process_time()
            run()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def growth(run_at) -> tuple[float, float, float]:
    """(kb, seconds at kb, seconds at 2 kb) for `run_at(kb)`, a callable returning the work."""
    kb = START_KB
    while True:
        work = run_at(kb)
        small = _best(work)
        if small >= MIN_SECONDS or kb >= MAX_KB:
            return kb, small, _best(run_at(2 * kb))
        kb *= 2


def assert_linear(run_at, label: str) -> None:
    kb, small, large = growth(run_at)
    if small < MIN_SECONDS:
        return  # MAX_KB in under MIN_SECONDS: the ratio of two such runs is noise
    assert large / small <= MAX_RATIO, f"{label}: {kb} KB {small:.3f} s, {2 * kb} KB {large:.3f} s"


@pytest.mark.parametrize("stage", sorted(STAGES))
@pytest.mark.parametrize("unit", sorted(UNITS))
def test_work_grows_linearly_with_a_sentence(unit, stage):
    def run_at(kb):
        doc, text = hostile_document(unit, kb)
        return lambda: STAGES[stage](doc, text)

    assert_linear(run_at, f"{stage} on {unit!r}")


# Fragments of report sentences around numbers: a unit of a few of them repeated is one long
# sentence full of quantities, lists, qualifiers and periods.
FRAGMENTS = [
    " 20%", " to", " 1,", " 12", " and", " or", " between", " 5", " cases", " children", ",",
    " more than", " almost", " two thirds of", " one in five", " in the last 3 months", " per",
    " 10,000", " £3m", " (73%)", " of whom", " caseloads of", " increased by", " from", " 1,000",
    " October", " 2019", " aged 16", " section 47", " e.g.", " x@y.uk", " a.b",
]  # fmt: skip


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join))
def test_metrics_grow_linearly_on_made_up_sentences(unit):
    def run_at(kb):
        text = "Inspectors found that" + unit * max(1, kb * 1000 // len(unit)) + " caseloads.\n"
        doc = clean_text("d" * 16, "hostile.txt", "plain_text", text)
        return lambda: extract_metrics(doc)

    assert_linear(run_at, f"metrics on {unit!r}")
