import datetime as dt

import pytest

from ofsted_findings.extract.dates import find_range

D = dt.date


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("on 12 and 13 October 2016.", [D(2016, 10, 12), D(2016, 10, 13)]),
        ("Inspection dates: 29 October 2018 to 9 November 2018", [D(2018, 10, 29), D(2018, 11, 9)]),
        ("Inspection dates: 8 to 19 October 2018", [D(2018, 10, 8), D(2018, 10, 19)]),
        ("between 30 April and 2 May 2019", [D(2019, 4, 30), D(2019, 5, 2)]),
        (
            "Inspection dates: 8 to 12 May 2023 and 22 to 26 May 2023",
            [D(2023, 5, 8), D(2023, 5, 12), D(2023, 5, 22), D(2023, 5, 26)],
        ),
    ],
)
def test_date_ranges(text, dates):
    found, start, end = find_range(text)
    assert found == dates
    assert text[start:end].strip()[0].isdigit()


def test_a_day_without_a_full_date_is_not_a_range():
    assert find_range("paragraph 12 and section 47")[0] == []
