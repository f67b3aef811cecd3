"""The extractors, one module per table (see README's layout)."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

MODEL_FILE = "findings.json"


def shipped_model_file() -> Traversable:
    """Where the package keeps the trained findings models (finding_model.py reads them; their
    hash is part of the extractor stamp, versions.py). Here, so that the stamp needs no import
    of the models' code."""
    return resources.files(__name__) / "models" / MODEL_FILE
