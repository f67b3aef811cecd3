"""The extractors, one module per table (see README's layout)."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from importlib.abc import Traversable

# The trained findings models: JSON, gzip-compressed (6.4 MB of weights by name, ~1 MB packed).
MODEL_FILE = "findings.json.gz"


def shipped_model_file() -> Traversable:
    """Where the package keeps the trained findings models (finding_model.py reads them; their
    hash is part of the extractor stamp, versions.py). Here, so that the stamp needs no import
    of the models' code."""
    return resources.files(__name__) / "models" / MODEL_FILE


def read_models(path: Traversable) -> dict:
    """The models' weights as the trainer wrote them (`models_bytes`)."""
    return decode_models(path.read_bytes())


def decode_models(data: bytes) -> dict:
    """The models' weights from the bytes of their file (`models_bytes`)."""
    return json.loads(gzip.decompress(data))


def models_bytes(data: dict) -> bytes:
    """The models' file: sorted compact JSON, compressed with no timestamp, so that the same
    weights give the same bytes (the extractor stamp is their hash)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
