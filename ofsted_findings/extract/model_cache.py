"""The findings models laid out for reading, kept on disk between processes.

Building the models from the shipped file (gunzip, parse 6 MB of JSON, split the weights by
theme, pack them by word: finding_model.models_from_json) costs ~0.45 s of CPU, and every worker
process of every run paid it before reading its first document: in a run of the 8 sample
documents, a tenth of the wall time. The laid-out form loads in ~10 ms. It is derived data: its
name is a hash of the model file's bytes and of the code that lays the models out, so a new model
or a changed layout is never read from a stale file; and anything wrong with the file or its
folder (missing, unreadable, corrupt, not writable) costs only the build, never the run.

Stored with `marshal` (plain tuples, dicts, strings and numbers: unlike pickle, loading builds no
object the file names); what is read back is checked (finding_model.models_from_state) before use.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ofsted_findings.settings import CACHE_DIR_ENV, user_folder

_PREFIX = "findings-models-"
_SUFFIX = ".marshal"


def cache_dir() -> Path:
    """OFSTED_FINDINGS_CACHE_DIR, else $XDG_CACHE_HOME/ofsted-findings, else ~/.cache/ofsted-findings."""
    return user_folder(override=CACHE_DIR_ENV, xdg="XDG_CACHE_HOME", fallback=".cache")


def cache_file(model_bytes: bytes, code: tuple[Path, ...], folder: Path | None = None) -> Path:
    """Where the laid-out form of the models in `model_bytes`, laid out by the modules `code`, is
    kept (the Python version is in the name too: marshal's format follows it)."""
    digest = hashlib.sha256(model_bytes)
    for path in code:
        digest.update(path.read_bytes())
    digest.update(f"{sys.version_info[:2]}/{marshal.version}".encode())
    return (folder or cache_dir()) / f"{_PREFIX}{digest.hexdigest()[:32]}{_SUFFIX}"


def cached(
    *, model_bytes: bytes, code: tuple[Path, ...], build: Callable[[], Any], state: Callable[[Any], Any],
    restore: Callable[[Any], Any], folder: Path | None = None,
) -> Any:  # fmt: skip
    """The models restored from their cache file, or built (`build`) and their `state` (plain
    data) written there for the next process; a cache that cannot be read or written is passed
    over. `restore(state(m))` must equal `m` (a test holds it)."""
    try:
        path = cache_file(model_bytes, code, folder)
    except OSError:
        return build()
    try:
        return restore(marshal.loads(path.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        pass  # none yet, unreadable or not what this code wrote: built and written (again)
    models = build()
    _write(path, marshal.dumps(state(models)))
    return models


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a temporary file renamed over it: another
    process never reads half a file), then remove the files of other models or code."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for old in path.parent.glob(f"{_PREFIX}*{_SUFFIX}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return  # a read-only or full disk: the next process builds the models again
