"""The code base is ruff clean (the configuration is in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


@pytest.mark.skipif(RUFF is None, reason="ruff (test extra) not installed")
def test_ruff_clean():
    out = subprocess.run([RUFF, "check", "--exclude", ".venv", "."], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_calls_in_flows_pass_their_arguments_by_keyword():
    """Two or more positional arguments across a flow/module boundary are how `workers` once
    reached the pipeline as `full`: every call in the flow modules of flows/ (builtins aside)
    names its arguments. (The Prefect helpers beside them, moved there from the package, are
    not flows.)"""
    import ast
    import builtins

    offenders = []
    flow_modules = [
        p for p in sorted((REPO / "flows").glob("*.py")) if "@flow(" in p.read_text(encoding="utf-8")
    ]
    assert {p.name for p in flow_modules} >= {"pipeline.py", "scheduled.py"}
    for path in flow_modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            if isinstance(node.func, ast.Name) and hasattr(builtins, node.func.id):
                continue
            offenders.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert offenders == []
