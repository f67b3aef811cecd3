"""The package's top level stays small: each stage a package, or a module whose name is the stage."""

from __future__ import annotations

from pathlib import Path

import ofsted_findings

TOP_LEVEL_LIMIT = 15


def test_top_level_has_at_most_fifteen_modules_and_packages() -> None:
    root = Path(ofsted_findings.__file__).parent
    entries = sorted(
        p.name for p in root.iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py") or (p / "__init__.py").is_file()
    )
    assert len(entries) <= TOP_LEVEL_LIMIT, entries
