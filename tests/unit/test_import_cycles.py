"""No import loops among the project's modules, nor among its packages.

The modules are every .py file of the folders pyproject.toml maps into the package
(`[tool.setuptools.package-dir]`: ofsted_findings/, schemas/, flows/), so a module added or moved
is checked without naming it here. Every import counts, at the top of a file or inside a
function (an import inside a function only postpones a loop), except those under
`if TYPE_CHECKING:`, which never run.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from tests.conftest import REPO

ROOT_PACKAGE = "ofsted_findings"


def project_modules(repo: Path = REPO) -> dict[str, Path]:
    """Dotted module name -> file, for every module the package installs."""
    package_dirs = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-dir"
    ]
    modules: dict[str, Path] = {}
    for prefix, folder in package_dirs.items():
        for path in sorted((repo / folder).rglob("*.py")):
            parts = list(path.relative_to(repo / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join([prefix, *parts])
            # A folder mapped on its own (schemas/ -> ofsted_findings.schemas) wins over a
            # same-named folder inside another mapped one.
            if not any(name.startswith(f"{other}.") or name == other for other in package_dirs
                       if other != prefix and other.startswith(f"{prefix}.")):
                modules[name] = path
    return modules


def _ancestors(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:`."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules importing it runs: the module named and the packages above
    it whose __init__ runs first (not the importer's own packages, which already run)."""
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        skipped = _type_checking_only(tree)
        own = _ancestors(name) | {name}
        edges = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    module = f"{base}.{node.module}" if node.module else base
                else:
                    module = node.module or ""
                targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            else:
                continue
            for target in targets:
                edges |= {m for m in {target} | _ancestors(target) if m in modules and m not in own}
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _package_of(name: str) -> str:
    """`ofsted_findings.warehouse.export` -> `ofsted_findings.warehouse`: the top-level module or
    package of the project it belongs to."""
    return ".".join(name.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, targets in graph.items():
        out.setdefault(_package_of(a), set())
        out[_package_of(a)] |= {_package_of(b) for b in targets if _package_of(b) != _package_of(a)}
    return out


def test_the_modules_are_found():
    modules = project_modules()
    expected = {ROOT_PACKAGE, f"{ROOT_PACKAGE}.schemas", f"{ROOT_PACKAGE}.flows", f"{ROOT_PACKAGE}.cli"}
    assert expected <= set(modules)
    assert len(modules) > 50


def test_no_import_cycle_between_modules():
    assert cycles(import_graph(project_modules())) == []


def test_no_import_cycle_between_packages():
    """Nor between the top-level packages and modules of ofsted_findings: warehouse/ (export)
    must not reach the run, which imports warehouse/ (publish)."""
    assert cycles(package_graph(import_graph(project_modules()))) == []


def test_the_check_finds_a_cycle_through_a_function_level_import(tmp_path):
    """The check itself: a loop made only by an import inside a function is a loop."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.setuptools.package-dir]\n"pkg" = "pkg"\n')
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg.b import f\n")
    (tmp_path / "pkg" / "b.py").write_text("def f():\n    from pkg import a\n")
    (tmp_path / "pkg" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import x\n"
    )
    assert cycles(import_graph(project_modules(tmp_path))) == [["pkg.a", "pkg.b"]]
