"""The findings models kept laid out for reading between processes (extract/model_cache.py): what
is loaded equals what is built, and a missing, corrupt, stale or unwritable cache costs only a
build."""

import marshal

import pytest

from ofsted_findings.extract import decode_models, model_cache
from ofsted_findings.extract import finding_model as fm
from tests.conftest import REPO

SHIPPED = REPO / "ofsted_findings" / "extract" / "models" / fm.MODEL_FILE
CODE = (REPO / "ofsted_findings" / "extract" / "finding_model.py",)


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    return SHIPPED.read_bytes()


@pytest.fixture(scope="module")
def built(model_bytes) -> fm.FindingModels:
    return fm.models_from_json(decode_models(model_bytes))


def load(folder, model_bytes, built, builds: list[int]):
    def build():
        builds.append(1)
        return built

    return model_cache.cached(
        model_bytes=model_bytes, code=CODE, build=build, state=fm.models_state,
        restore=fm.models_from_state, folder=folder,
    )  # fmt: skip


def test_the_laid_out_models_equal_the_built_ones_and_read_alike(built):
    restored = fm.models_from_state(marshal.loads(marshal.dumps(fm.models_state(built))))
    assert restored == built
    paragraph = [
        "Leaders cannot be assured that children are safe.",
        "Most assessments are timely and thorough, and plans are reviewed regularly.",
    ]
    codes = [["leadership_governance"], ["assessment", "planning"]]
    assert restored.read_paragraph(paragraph, codes, "in_care", "good") == built.read_paragraph(
        paragraph, codes, "in_care", "good"
    )


def test_the_first_process_builds_and_later_ones_load(tmp_path, model_bytes, built):
    builds: list[int] = []
    assert load(tmp_path, model_bytes, built, builds) == built
    assert builds == [1]
    (path,) = tmp_path.iterdir()
    assert path == model_cache.cache_file(model_bytes, CODE, tmp_path)
    loaded = load(tmp_path, model_bytes, built, builds)
    assert builds == [1], "built again although the cache holds the models"
    assert loaded == built and loaded is not built


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal data", marshal.dumps((99, (), (), (), 0.5, 3)), marshal.dumps({"a": 1})],
    ids=["empty", "corrupt", "another-layout", "another-shape"],
)
def test_a_bad_cache_file_is_built_again_and_replaced(tmp_path, model_bytes, built, content):
    path = model_cache.cache_file(model_bytes, CODE, tmp_path)
    path.write_bytes(content)
    builds: list[int] = []
    assert load(tmp_path, model_bytes, built, builds) == built
    assert builds == [1]
    assert fm.models_from_state(marshal.loads(path.read_bytes())) == built


def test_other_models_or_code_get_their_own_file_and_the_old_one_goes(tmp_path, model_bytes, built):
    load(tmp_path, model_bytes, built, [])
    (old,) = tmp_path.iterdir()
    other = model_cache.cache_file(model_bytes + b"\n", CODE, tmp_path)
    assert other != old
    other_code = model_cache.cache_file(model_bytes, (*CODE, SHIPPED), tmp_path)
    assert other_code not in (old, other)
    builds: list[int] = []
    model_cache.cached(
        model_bytes=model_bytes + b"\n", code=CODE, build=lambda: builds.append(1) or built,
        state=fm.models_state, restore=fm.models_from_state, folder=tmp_path,
    )  # fmt: skip
    assert builds == [1]
    assert list(tmp_path.iterdir()) == [other]


def test_an_unwritable_cache_costs_only_the_build(tmp_path, model_bytes, built):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    builds: list[int] = []
    assert load(blocked / "cache", model_bytes, built, builds) == built
    assert load(blocked / "cache", model_bytes, built, builds) == built
    assert builds == [1, 1]


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OFSTED_FINDINGS_CACHE_DIR", str(tmp_path / "mine"))
    assert model_cache.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("OFSTED_FINDINGS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert model_cache.cache_dir() == tmp_path / "xdg" / "ofsted-findings"


def test_shipped_models_are_the_built_models(built):
    fm.shipped_models.cache_clear()
    try:
        assert fm.shipped_models() == built  # built, or loaded from the session's cache
        fm.shipped_models.cache_clear()
        assert fm.shipped_models() == built  # loaded
    finally:
        fm.shipped_models.cache_clear()
