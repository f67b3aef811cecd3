"""The manifest file, and the superseded files the pipeline must skip."""

from ofsted_findings.fetch.manifest import (
    COLUMNS,
    MANIFEST_NAME,
    Entry,
    Manifest,
    drop_superseded,
    superseded_paths,
)
from ofsted_findings.ingest.discover import discover

URL = "https://files.ofsted.gov.uk/v1/file/1"


def test_round_trip_keeps_every_column(tmp_path):
    e = Entry(url=URL, urn="80464", authority="Dudley", title='Children\'s services inspection, "full"')
    e.etag, e.error = '"abc"', "HTTP 404 Not Found"
    path = Manifest([e]).save(tmp_path)
    assert path.name == MANIFEST_NAME
    assert path.read_text().splitlines()[0] == ",".join(COLUMNS)
    assert Manifest.load(tmp_path).entries == [e]
    assert not list(tmp_path.glob("*.tmp"))


def test_missing_manifest_is_empty(tmp_path):
    assert Manifest.load(tmp_path).entries == []
    assert superseded_paths(tmp_path) == set()


def test_current_is_the_latest_row_for_a_url():
    m = Manifest(
        [Entry(URL, path="a.pdf"), Entry("other", path="x.pdf"), Entry(URL, path="b.pdf", supersedes="a.pdf")]
    )
    assert m.current(URL).path == "b.pdf"
    assert m.current("nope") is None


def test_superseded_files_are_skipped_and_the_manifest_is_not_a_document(tmp_path):
    for name in ("a.pdf", "a_1234abcd.pdf", "b.pdf", "c.pdf"):
        (tmp_path / name).write_bytes(b"%PDF")
    Manifest(
        [
            Entry(URL, path="a.pdf"),
            Entry(URL, path="a_1234abcd.pdf", supersedes="a.pdf"),
            Entry("u2", path="b.pdf"),
            Entry("u2", path="gone.pdf", supersedes="b.pdf"),  # the newer file was deleted
            Entry("u3", path="c.pdf"),
            Entry("u3", path="c_5678abcd.pdf", supersedes="c.pdf"),
            Entry("u4", path="c.pdf"),  # another link's newest file has the same bytes: still wanted
        ]
    ).save(tmp_path)
    (tmp_path / "c_5678abcd.pdf").write_bytes(b"%PDF")
    assert superseded_paths(tmp_path) == {"a.pdf"}
    found = discover(tmp_path)
    names = ["a.pdf", "a_1234abcd.pdf", "b.pdf", "c.pdf", "c_5678abcd.pdf"]
    assert [p.name for p in found] == names  # the hidden manifest is not a document
    assert [p.name for p in drop_superseded(tmp_path, found)] == names[1:]
    outside = tmp_path.parent / "elsewhere.pdf"
    assert drop_superseded(tmp_path, [outside, tmp_path / "a.pdf"]) == [outside]


def test_an_unreadable_manifest_hides_nothing(tmp_path):
    (tmp_path / MANIFEST_NAME).write_bytes(b"\xff\xfe\x00garbage")
    assert superseded_paths(tmp_path) == set()
