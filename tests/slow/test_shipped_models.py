"""The shipped findings models are exactly what training on the gold gives (a full training run:
slow; the models' scoring and the trainer's determinism: tests/unit/extract/test_finding_model.py)."""

import pytest

from ofsted_findings.extract import finding_model as fm
from tests.conftest import REPO

SHIPPED = REPO / "ofsted_findings" / "extract" / "models" / fm.MODEL_FILE


@pytest.mark.slow
def test_the_shipped_models_are_what_the_gold_trains(tmp_path):
    pytest.importorskip("sklearn")
    from ofsted_findings.extract.train import main

    out = tmp_path / fm.MODEL_FILE
    assert main(["--out", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes(), "retrain: python -m ofsted_findings.extract.train"
