"""What pyproject.toml installs: every package folder, and every file in it that is not Python
(reference data, models, SQL, the changelog): a file left out works from the source tree and
fails, or silently goes missing, from a wheel."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folder(package: str):
    """The folder a package is installed from (the longest package-dir mapping that holds it)."""
    mapping = SETUPTOOLS["package-dir"]
    for prefix in sorted(mapping, key=len, reverse=True):
        if package == prefix or package.startswith(f"{prefix}."):
            return REPO / mapping[prefix] / package.removeprefix(prefix).lstrip(".").replace(".", "/")
    return REPO / package.replace(".", "/")


def _package_folders() -> dict:
    return {package: _folder(package).resolve() for package in SETUPTOOLS["packages"]}


def test_every_package_folder_is_installed():
    listed = set(_package_folders().values())
    for folder in SETUPTOOLS["package-dir"].values():
        for init in (REPO / folder).rglob("__init__.py"):
            assert init.parent.resolve() in listed, f"{init.parent} is not in [tool.setuptools] packages"


def test_every_data_file_is_package_data():
    folders = _package_folders()
    for package, folder in folders.items():
        inner = [f for f in folders.values() if f != folder and folder in f.parents]
        data = {
            path
            for path in folder.rglob("*")
            if path.is_file()
            and path.suffix not in (".py", ".pyc")
            and "__pycache__" not in path.parts
            and not path.name.startswith(".")
            and not any(f in path.parents for f in inner)
        }
        patterns = SETUPTOOLS.get("package-data", {}).get(package, [])
        packaged = {p for pattern in patterns for p in folder.glob(pattern)}
        assert data <= packaged, f"{package}: not package data: {sorted(str(p) for p in data - packaged)}"


def test_reference_data_is_all_packaged():
    """The reference folder in particular (stopwords.txt was left out once)."""
    folder = _folder("ofsted_findings.reference")
    patterns = SETUPTOOLS["package-data"]["ofsted_findings.reference"]
    files = {p for p in folder.iterdir() if p.is_file() and p.suffix != ".py"}
    assert files and files <= {p for pattern in patterns for p in folder.glob(pattern)}
    assert folder / "stopwords.txt" in files


def _locked(lock: str) -> set[str]:
    text = (REPO / lock).read_text(encoding="utf-8")
    return {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", text, re.MULTILINE)}


def test_the_default_install_leaves_dask_out_and_the_tests_have_it():
    # With Dask installed, Pandera imports dask.dataframe when it first builds a table's schema:
    # seconds of CPU in every run (pyproject.toml's `dask` extra)
    assert not {"dask", "prefect-dask", "distributed"} & _locked("requirements.lock")
    assert {"dask", "prefect-dask"} <= _locked("requirements-test.lock")
