import pytest

from ofsted_findings.reference.authorities import mentions, resolve


@pytest.mark.parametrize(
    ("written", "ons_code"),
    [
        ("Dudley Metropolitan Borough Council", "E08000027"),
        ("Royal Borough of Kensington and Chelsea", "E09000020"),
        ("Bristol", "E06000023"),
        ("St Helens", "E08000013"),
    ],
)
def test_written_names_resolve_to_one_key(written, ons_code):
    assert resolve(written).ons_code == ons_code


def test_unknown_names_do_not_resolve():
    assert resolve("Atlantis") is None


def test_mentions_in_text():
    assert [a.name for a, _, _ in mentions("Dudley and Bracknell Forest councils")] == [
        "Dudley",
        "Bracknell Forest",
    ]
