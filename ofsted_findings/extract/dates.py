"""Dates and date ranges as Ofsted writes them ("12 and 13 October 2016", "8 to 19 May 2018")."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateparser

MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
# One full date: "26 October 2016", "Wednesday 26 October 2016", "05 July 2017", "1st May 2019".
FULL_DATE = re.compile(
    rf"(?:{WEEKDAY})?\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\.?,?\s+(\d{{4}})\b", re.I
)
# The parts of a range: a day, optionally followed by month and year.
_DAY_PART = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({MONTHS})\b\.?)?(?:,?\s+(\d{{4}})\b)?", re.I)
# A run of dates joined by to/and/-/, forming one range phrase.
RANGE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:{MONTHS})\b\.?)?(?:,?\s+\d{{4}})?"
    rf"(?:\s*(?:,|and|to|until|–|-|—)\s*\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:{MONTHS})\b\.?)?"
    rf"(?:,?\s+\d{{4}})?)*",
    re.I,
)


def parse_date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dateparser.parse(f"{int(day)} {month} {year}", dayfirst=True).date()
    except (ValueError, OverflowError):
        return None


def parse_range(phrase: str) -> list[dt.date]:
    """Every date of a range phrase, filling a missing month/year from the next stated one."""
    parts = [[m.group(1), m.group(2), m.group(3)] for m in _DAY_PART.finditer(phrase)]
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
            d = parse_date(day, mon, yr)
            if d:
                dates.append(d)
    return dates


def find_range(text: str, start: int = 0, end: int | None = None) -> tuple[list[dt.date], int, int]:
    """The first date range in text[start:end] that ends in a full date: (dates, start, end)."""
    end = len(text) if end is None else end
    for m in RANGE.finditer(text, start, end):
        if not FULL_DATE.search(m.group(0)):
            continue
        dates = parse_range(m.group(0))
        if dates:
            return dates, m.start(), m.end()
    return [], -1, -1
