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
        # dates in figures, day first (UK)
        ("Inspection dates: 12/09/2016 to 06/10/2016", [D(2016, 9, 12), D(2016, 10, 6)]),
        ("Inspection dates: 1/06/2015 – 25/06/2015", [D(2015, 6, 1), D(2015, 6, 25)]),
        ("Inspection dates: 1.6.2015 - 25.6.2015", [D(2015, 6, 1), D(2015, 6, 25)]),
        ("Inspection dates: 01-06-2015 to 25-06-2015", [D(2015, 6, 1), D(2015, 6, 25)]),
        ("Inspection dates: 01/06/15 and 25/06/15", [D(2015, 6, 1), D(2015, 6, 25)]),
        ("Inspection dates: 1 to 5/06/2015", [D(2015, 6, 1), D(2015, 6, 5)]),
        # any dash
        *[
            (f"Inspection dates: 20 June 2017 {dash} 13 July 2017", [D(2017, 6, 20), D(2017, 7, 13)])
            for dash in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\ufe63\uff0d"
        ],
        ("Inspection dates: 20 June\u250013 July 2017", [D(2017, 6, 20), D(2017, 7, 13)]),
        # ordinal suffixes, glued or set apart, and "of"
        ("Inspection dates: 12th \u2013 23rd September 2016", [D(2016, 9, 12), D(2016, 9, 23)]),
        ("Inspection dates: 1 st to 12 th May 2017", [D(2017, 5, 1), D(2017, 5, 12)]),
        ("Inspection dates: 2nd of May 2017 until 12th of May 2017", [D(2017, 5, 2), D(2017, 5, 12)]),
        ("Inspection dates: 8 May 2017 through 19 May 2017", [D(2017, 5, 8), D(2017, 5, 19)]),
        ("Inspection dates: 8 & 9 May 2017", [D(2017, 5, 8), D(2017, 5, 9)]),
    ],
)
def test_date_ranges(text, dates):
    found, start, end = find_range(text)
    assert found == dates
    assert text[start:end].strip()[0].isdigit()


def test_a_day_without_a_full_date_is_not_a_range():
    assert find_range("paragraph 12 and section 47")[0] == []


@pytest.mark.parametrize(
    "text",
    [
        "see paragraph 1.2.3 and table 4",  # numbered sections are not dates
        "in 2016/17 and 2017/18",  # financial years
        "reference 12/34/5678",  # no month 34
        "figures 1/2/3/2016",  # a longer run of figures
        "31/02/2016",  # no such day
    ],
)
def test_figures_that_are_not_dates(text):
    assert find_range(text)[0] == []
