"""Resolve an authority's name, as written, to one key (Ofsted URN and ONS code).

Names come from the Data to Insight reference list (reference/local_authorities.csv, MIT).
An unresolved name is reported to the caller, never guessed.

Codes retired since a list was made (the 2013-14 recodes, the 2019-2023 unitary reorganisations)
are mapped to their successors by reference/code_changes.csv: the neighbour lists still name
Barnsley and Sheffield by their pre-2014 ONS codes. A code split between two successors
(Northamptonshire, Cumbria) names no one authority and is left as it is, for the authorities
table's check to quarantine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ofsted_findings.reference import read_csv

# Words that decorate an authority's name in reports and letters but are not part of it.
_DECORATION = re.compile(
    r"\b(?:the|metropolitan|borough|royal|london|city|county|district|council|of|children[’']?s"
    r"|services?|local authority|unitary|and)\b|[,.]",
    re.I,
)


@dataclass(frozen=True)
class Authority:
    name: str  # ONS name
    urn: int
    la_code: str  # old three-digit LA code
    ons_code: str  # E06/E08/E09/E10 code
    region: str


def _key(name: str) -> str:
    name = name.replace("&", " and ").replace("’", "'")
    return " ".join(_DECORATION.sub(" ", name.lower()).split())


@cache
def authorities() -> tuple[Authority, ...]:
    out = []
    for r in read_csv("local_authorities.csv"):
        out.append(
            Authority(
                name=r["local_authority_ons_name"].strip(),
                urn=int(r["urn"]),
                la_code=r["la_code"].strip(),
                ons_code=r["la_code_new"].strip(),
                region=r["region_name"].strip(),
            )
        )
    return tuple(out)


@cache
def _index() -> dict[str, Authority]:
    index: dict[str, Authority] = {}
    for r, a in zip(read_csv("local_authorities.csv"), authorities(), strict=True):
        names = [r["local_authority_ons_name"], r["ofsted_ilacs_scrape_la_name"]]
        names += [n for n in re.split(r"[;|]", r.get("also_known_as") or "") if n.strip()]
        for n in names:
            k = _key(n)
            if k and not k.isdigit():
                index.setdefault(k, a)
    return index


def by_urn(urn: int) -> Authority | None:
    return next((a for a in authorities() if a.urn == urn), None)


def resolve(name: str) -> Authority | None:
    """The authority a written name means, or None when it matches none (or is ambiguous)."""
    return _index().get(_key(name))


@cache
def _mention_pattern() -> re.Pattern[str]:
    names = sorted({a.name for a in authorities()}, key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names)
    return re.compile(rf"\b(?:{alternatives})\b")


def mentions(text: str) -> list[tuple[Authority, int, int]]:
    """Every authority named in `text` (ONS names, case-sensitive), with its span."""
    out = []
    for m in _mention_pattern().finditer(text):
        a = resolve(m.group(0))
        if a is not None:
            out.append((a, m.start(), m.end()))
    return out


def _codes(value: str) -> list[str]:
    return [c.strip() for c in (value or "").split(",") if c.strip()]


@cache
def _successors() -> dict[tuple[str, str], tuple[str, ...]]:
    """(code type, retired code) -> its successor codes (reference/code_changes.csv)."""
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for r in read_csv("code_changes.csv"):
        key = (r["code_type"].strip(), r["old_code"].strip())
        out[key] = (*out.get(key, ()), r["new_code"].strip())
    return out


def current_code(code: str, code_type: str) -> str:
    """The code in use today for `code` (an ONS code with code_type 'ons', a three-digit LA code
    with 'la'): its successor's, through every change, when that is one authority; else `code`."""
    seen = {code}
    while len(successors := _successors().get((code_type, code), ())) == 1:
        code = successors[0]
        if code in seen:  # a loop in the file: stop rather than spin
            break
        seen.add(code)
    return code


def authority_rows() -> list[dict]:
    """The reference list as rows of the `authorities` table."""
    rows = []
    for r in read_csv("local_authorities.csv"):
        population = (r.get("ons_population_0-25") or "").strip()
        rows.append({
            "la_urn": int(r["urn"]),
            "la_code": r["la_code"].strip(),
            "la_ons_code": r["la_code_new"].strip(),
            "local_authority": r["local_authority_ons_name"].strip(),
            "region_code": r["region_code"].strip() or None,
            "region": r["region_name"].strip() or None,
            "la_type": (r.get("ons_la_type") or "").strip() or None,
            "population_0_25": int(population) if population.isdigit() else None,
            "statistical_neighbours": [current_code(c, "ons") for c in _codes(r["stat_neighbours_la_code"])]
            or None,
            "statistical_neighbour_la_codes": [current_code(c, "la") for c in _codes(r["stat_neighbours"])]
            or None,
        })
    return rows
