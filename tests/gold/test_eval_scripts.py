"""The eval/ scripts run and print the measures the issues ask for."""

import runpy
import sys

from tests.conftest import GOLD, RAW, REPO


def test_seed_accuracy_prints_ours_and_the_lexicon_baseline(capsys, monkeypatch):
    monkeypatch.setattr(
        sys,
        "argv",
        ["seed_accuracy.py", "--raw", str(RAW), "--gold", str(GOLD), "--files", str(GOLD / "files.csv")],
    )
    try:
        runpy.run_path(str(REPO / "eval" / "seed_accuracy.py"), run_name="__main__")
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    ours = float(out.split("polarity accuracy: ")[1].split()[0])
    baseline = float(out.split("baseline polarity accuracy: ")[1].split()[0])
    f1 = float(out.split(", F1 ")[1].split()[0])
    precision = float(out.split("metrics precision: ")[1].split()[0])
    recall = float(out.split("metrics recall: ")[1].split()[0])
    assert ours >= 0.85 and f1 >= 0.75
    assert precision >= 0.95 and recall >= 0.90
    assert ours > baseline
