"""Dates and date ranges as Ofsted writes them ("12 and 13 October 2016", "8 to 19 May 2018",
"20 June 2017 ─ 13 July 2017", "12/09/2016 to 06/10/2016")."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateparser

MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
# A day's ordinal suffix, glued on ("12th") or set apart by the PDF's superscript ("12 th").
_ORDINAL = r"(?:\s?(?:st|nd|rd|th)\b)?"
# One full date: "26 October 2016", "Wednesday 26 October 2016", "05 July 2017", "1st May 2019",
# "12th of June 2017".
FULL_DATE = re.compile(
    rf"(?:{WEEKDAY})?\b(\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+({MONTHS})\.?,?\s+(\d{{4}})\b", re.I
)
# A date in figures, day first as in the UK: "12/09/2016", "1/06/2015", "12.09.2016",
# "12/09/16", "12-09-2016" (a hyphen only with a four-digit year, so that "12-14" stays a range
# of days); one separator throughout, and not part of a longer run of figures.
_NUMERIC = (
    r"(?<![\d/.])(?:\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})"
    r"|\d{1,2}-\d{1,2}-\d{4})(?![\d/.]\d|\d)"
)
NUMERIC_DATE = re.compile(_NUMERIC)
_NUMERIC_PARTS = re.compile(r"(\d+)\D(\d+)\D(\d+)")
# Two-digit years in a numeric date are of this century (no report predates 2000).
_CENTURY = 2000
# Every dash a range may be written with: hyphen-minus, hyphen, non-breaking hyphen, figure
# dash, en dash, em dash, horizontal bar, minus sign, box-drawing light and heavy horizontals,
# small and full-width hyphen-minus.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\ufe63\uff0d"
# What joins the dates of a range: a comma, "&", "and", "to", "until", "till", "through", a dash.
_JOINER = rf"(?:,|&|\band\b|\bto\b|\buntil\b|\btill\b|\bthrough\b|[{DASHES}])"
# A day, optionally followed by its month and year: "12", "12th June", "12 of June, 2017".
_TEXT_PART = (
    rf"\b(?P<day>\d{{1,2}}){_ORDINAL}(?:(?:\s+of)?\s+(?P<month>{MONTHS})\b\.?)?"
    rf"(?:,?\s+(?P<year>\d{{4}})\b)?"
)
# The parts of a range: a date in figures, or a day with what is stated of its month and year.
_DAY_PART = re.compile(rf"(?P<numeric>{_NUMERIC})|{_TEXT_PART}", re.I)
# The same without its group names, to be repeated in RANGE.
_UNNAMED_TEXT_PART = re.sub(r"\(\?P<\w+>", "(?:", _TEXT_PART)
# A run of dates joined by to/and/a dash/a comma, forming one range phrase.
RANGE = re.compile(
    rf"(?:{_NUMERIC}|{_UNNAMED_TEXT_PART})(?:\s*{_JOINER}\s*(?:{_NUMERIC}|{_UNNAMED_TEXT_PART}))*",
    re.I,
)


def parse_date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dateparser.parse(f"{int(day)} {month} {year}", dayfirst=True).date()
    except (ValueError, OverflowError):
        return None


def parse_numeric(day: str, month: str, year: str) -> dt.date | None:
    """A date in figures, day first: ("12", "09", "2016") -> 12 September 2016."""
    y = int(year) + (_CENTURY if len(year) == 2 else 0)
    try:
        return dt.date(y, int(month), int(day))
    except ValueError:
        return None


def parse_range(phrase: str) -> list[dt.date]:
    """Every date of a range phrase, filling a missing month/year from the next stated one
    ("12 to 14 June 2017", "12 to 14/06/2017")."""
    parts: list[list[str | None]] = []
    for m in _DAY_PART.finditer(phrase):
        if m.group("numeric"):
            parts.append(list(_NUMERIC_PARTS.match(m.group("numeric")).groups()))
        else:
            parts.append([m.group("day"), m.group("month"), m.group("year")])
    month = year = None
    for part in reversed(parts):
        if part[2]:
            year = part[2]
        else:
            part[2] = year
        if part[1]:
            month = part[1]
        else:
            part[1] = month
    dates = []
    for day, mon, yr in parts:
        if mon and yr:
            d = parse_numeric(day, mon, yr) if mon.isdigit() else parse_date(day, mon, yr)
            if d:
                dates.append(d)
    return dates


def find_range(text: str, start: int = 0, end: int | None = None) -> tuple[list[dt.date], int, int]:
    """The first date range in text[start:end] that ends in a full date: (dates, start, end)."""
    end = len(text) if end is None else end
    for m in RANGE.finditer(text, start, end):
        phrase = m.group(0)
        if not (FULL_DATE.search(phrase) or NUMERIC_DATE.search(phrase)):
            continue
        dates = parse_range(phrase)
        if dates:
            return dates, m.start(), m.end()
    return [], -1, -1
