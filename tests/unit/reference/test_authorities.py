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


def test_every_statistical_neighbour_resolves_to_an_authority():
    from ofsted_findings.reference.authorities import authority_rows

    rows = authority_rows()
    ons = {r["la_ons_code"] for r in rows}
    la = {r["la_code"] for r in rows}
    assert all(set(r["statistical_neighbours"] or []) <= ons for r in rows)
    assert all(set(r["statistical_neighbour_la_codes"] or []) <= la for r in rows)
    dudley = next(r for r in rows if r["local_authority"] == "Dudley")
    names = {r["la_ons_code"]: r["local_authority"] for r in rows}
    neighbours = [names[c] for c in dudley["statistical_neighbours"]]
    assert len(neighbours) == 10 and "Barnsley" in neighbours  # E08000016 in the list
    assert sum("Sheffield" in [names[c] for c in r["statistical_neighbours"] or []] for r in rows) == 13


@pytest.mark.parametrize(
    ("code", "code_type", "current"),
    [
        ("E08000016", "ons", "E08000038"),  # Barnsley, 2014
        ("E08000020", "ons", "E08000037"),  # Gateshead, 2013
        ("E06000029", "ons", "E06000058"),  # Poole -> BCP, 2019
        ("E10000002", "ons", "E06000060"),  # Buckinghamshire, 2020
        ("E10000023", "ons", "E06000065"),  # North Yorkshire, 2023
        ("E10000021", "ons", "E10000021"),  # Northamptonshire: split in two, no one successor
        ("836", "la", "839"),
        ("909", "la", "909"),  # Cumbria: split in two
        ("E08000027", "ons", "E08000027"),  # current codes stay
    ],
)
def test_retired_codes_map_to_their_successor(code, code_type, current):
    from ofsted_findings.reference.authorities import current_code

    assert current_code(code, code_type) == current


def test_an_authority_whose_neighbour_does_not_resolve_is_quarantined():
    from ofsted_findings.assemble.validate import validate_rows
    from ofsted_findings.reference.authorities import authority_rows

    rows = authority_rows()
    dudley = next(r for r in rows if r["local_authority"] == "Dudley")
    dudley["statistical_neighbours"] = [*dudley["statistical_neighbours"][:9], "E99000001"]
    quarantine = []
    frame = validate_rows("authorities", rows, quarantine)
    assert "Dudley" not in set(frame["local_authority"]) and len(frame) == len(rows) - 1
    (q,) = quarantine
    assert (q["table_name"], q["check"]) == ("authorities", "statistical_neighbours_resolve")
