"""Seconds per thousand characters of each extractor on pathological sentences (one sentence
repeating a short unit: tests/hostile_text.py), at two sizes, and the ratio of the two times.

    .venv/bin/python bench/hostile_text.py [--kb 8] [--units percent_to,digit_list] [--stages metrics]

Linear work gives a ratio near 2 (the larger text is twice the size) and the same seconds per
KB at both sizes; quadratic work gives 4. Times are CPU seconds of this process (process_time),
the best of --repeat runs, so other work on the machine hardly moves them. One line per unit and
stage, `key=value` fields.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile_text import STAGES, UNITS, hostile_document  # noqa: E402


def seconds(unit: str, stage: str, kb: float, repeat: int) -> float:
    """The best CPU time of `stage` on the `unit` text of `kb` KB."""
    doc, text = hostile_document(unit, kb)
    run = STAGES[stage]
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run(doc, text)
        best = min(best, time.process_time() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=float, default=8.0, help="the smaller size; the larger is twice it")
    parser.add_argument("--units", default=",".join(UNITS))
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for unit in args.units.split(","):
        for stage in args.stages.split(","):
            small = seconds(unit, stage, args.kb, args.repeat)
            large = seconds(unit, stage, 2 * args.kb, args.repeat)
            ratio = large / small if small > 0 else float("nan")
            print(
                f"unit={unit} stage={stage} kb={args.kb:g} s_per_kb={small / args.kb:.5f} "
                f"kb2={2 * args.kb:g} s_per_kb2={large / (2 * args.kb):.5f} ratio={ratio:.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
