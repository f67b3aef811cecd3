"""Numbers written as words ("three teams", "Outcome Three"): one vocabulary for every
extractor that reads them."""

from __future__ import annotations

SMALL: list[str] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS: list[str] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(SMALL)} | {
    w: 20 + 10 * i for i, w in enumerate(TENS)
}
# one … ninety as a regex alternation, in counting order (no zero: "zero teams" is not a count)
WORD_NUMBER = "(?:" + "|".join([*SMALL[1:], *TENS]) + ")"
