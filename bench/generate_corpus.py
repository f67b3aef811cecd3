"""A synthetic text corpus for the scale benchmark: real Ofsted text re-assigned across authorities
and dates, so the extractors do real work on every document.

    .venv/bin/python bench/generate_corpus.py OUT_DIR --documents N [--seed S] [--source DIR]

Each source document (.txt/.md; default: the text documents in raw/) is compiled once into a
template: its text cut into lines and, within them, literal text and slots — the source's
authority ("Dudley", "Dudley Metropolitan Borough Council"), dates and date ranges ("29 October
2018 to 9 November 2018", "Wednesday 26 October 2016"), months ("January 2016"), bare years
("in 2016") and grades (judgement-table lines, "rated as good"). Sources whose dates lie close
together (a report and the press article about it) form one episode.

A generated document is an episode's template rendered for another English authority (a name
from the reference list), with every date shifted by the same number of days (weekdays and
month/year boundaries recomputed) so that inspections spread over 2013-2026 within the dates
their framework allows, grades remapped among the valid grades (the same way for every document
of the episode), and some findings paragraphs (whole paragraphs on one line) dropped or swapped
with their neighbour: no two documents have the same bytes. Authorities get equal shares of the
episodes, so each has a history of several inspections. Deterministic for a seed; files are
written one at a time (10,000 in ~10 s, most of it creating the files), and a hidden
`.manifest.csv` (skipped by the pipeline's discovery) says what each file was made from.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import hashlib
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO / "raw"
SOURCE_SUFFIXES = (".txt", ".md", ".markdown")

# Dates in generated text stay on or before this day, and inspections within these windows.
EARLIEST = dt.date(2013, 11, 4)  # the single inspection framework's first inspections
LATEST = dt.date(2026, 10, 31)
ILACS_FIRST = dt.date(2018, 1, 8)
ILACS_REPORT_LAST = dt.date(2026, 3, 31)  # full reports with an overall effectiveness grade
SIF_LAST = dt.date(2017, 12, 31)
# Sources whose anchor dates are this close belong to the same episode (a report and its press).
EPISODE_DAYS = 75
# A press article of an episode with an Ofsted document is generated with this probability.
PRESS_WITH_REPORT = 0.5
# Share of episodes made of press articles alone, relative to episodes with an Ofsted document.
PRESS_ONLY_WEIGHT = 0.5
# Paragraph variation: each findings paragraph is dropped with DROP (at most a fifth of them), and
# neighbouring ones trade places with SHUFFLE.
DROP = 0.06
SHUFFLE = 0.25
DOCUMENTS_PER_AUTHORITY = 6  # authorities used by default: documents / this (at most all of them)

_MONTH_NAMES = [calendar.month_name[i] for i in range(1, 13)]
_MONTH_LOOKUP = {m.lower(): i for i, m in enumerate(_MONTH_NAMES, 1)}
_MONTH_LOOKUP.update({m[:3].lower(): i for i, m in enumerate(_MONTH_NAMES, 1)})
_MONTH_LOOKUP["sept"] = 9
MONTHS = "|".join(_MONTH_NAMES + ["Sept", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct",
                                  "Nov", "Dec"])
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_YEAR = r"(?:19|20)\d{2}"
_DAY_PART = rf"\b\d{{1,2}}(?:st|nd|rd|th)?\b(?:\s+(?:{MONTHS})\b\.?)?(?:,?\s+{_YEAR}\b)?"
_FULL_PART = rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b\.?,?\s+{_YEAR}\b"
_SEP = r"\s*(?:,|and|to|until|–|—|-)\s*"
# One date or a range ending in a full date: "12 and 13 October 2016", "Wednesday 26 October 2016".
DATE_PHRASE = rf"(?:(?:{WEEKDAYS}),?\s+)?(?:{_DAY_PART}{_SEP})*{_FULL_PART}"
_PART = re.compile(
    rf"(?P<day>\d{{1,2}})(?P<ord>st|nd|rd|th)?(?:(?P<msp>\s+)(?P<month>{MONTHS})\b(?P<dot>\.?))?"
    rf"(?:(?P<ysp>,?\s+)(?P<year>{_YEAR})\b)?"
)
_FULL_DATE = re.compile(_FULL_PART)
_WEEKDAY_PREFIX = re.compile(rf"^(?P<weekday>{WEEKDAYS})(?P<wsep>,?\s+)")

GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
GRADE_WORDS = r"outstanding|good|requires improvement to be good|requires improvement|inadequate"
# A judgement-table line: an area's label, then its grade at the end of the line.
_AREA_LABEL = (
    r"(?:the\s+)?(?:impact of leaders|experiences and progress|overall effectiveness|children who need help"
    r"|children looked after|adoption performance|leadership, management and governance"
    r"|the effectiveness of)"
)
GRADE_LINE = rf"(?im:^(?P<gl_pre>[ \t]*{_AREA_LABEL}[^\n]{{0,160}}?[\t ]+)(?P<gl>{GRADE_WORDS})(?=[ \t]*$))"
# A grade alone on its line: a judgement table's cell in text taken from a PDF.
GRADE_CELL = (
    r"(?m:^(?P<gc_pre>[ \t]*)(?P<gc>Outstanding|Good|Requires improvement to be good|Requires improvement"
    r"|Inadequate)(?=[ \t]*$))"
)
# "rated as good", "graded as 'requires improvement to be good'" (not "judged inadequate in January
# 2016": an earlier inspection's grade stays as written).
GRADE_PROSE = rf"(?P<gp_pre>\b(?i:rated|graded) as ['\"‘“]?)(?P<gp>(?i:{GRADE_WORDS}))\b"
MONTH_YEAR = rf"\b(?P<my_m>{MONTHS})\s+(?P<my_y>{_YEAR})\b"
# A year alone ("since the last inspection in 2016"), not an act's or a regulation's
BARE_YEAR = (
    r"(?<![\d/£$.,-])(?<!Act )(?<!Act, )(?<!Regulations )(?<!Order )(?<!Rules )(?<!Children )"
    r"\b(?P<yr>20[0-2]\d)\b(?![\d/]|[.,]\d)"
)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")
_OFSTED_TITLE = re.compile(
    r"^\W*(?:Inspection of|Monitoring visit|Focused visit|Joint targeted area inspection)\b", re.I | re.M
)


# ---- slots -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateSlot:
    """A date or a range: its parts' dates and how each part was written."""

    weekday_sep: str | None  # "Wednesday 26 October 2016": the separator after the weekday
    # per part: date, month shown, year shown, ordinal suffix, space before the year, month
    # abbreviated, space before the month, "0" when the day was written with a leading zero
    parts: tuple[tuple[dt.date, bool, bool, str, str, bool, str, str], ...]
    seps: tuple[str, ...]  # what joins part i to part i+1


@dataclass(frozen=True)
class MonthYearSlot:
    month: int
    year: int
    abbreviated: bool
    space: str


@dataclass(frozen=True)
class YearSlot:
    year: int


@dataclass(frozen=True)
class AuthoritySlot:
    council: bool  # "Dudley Metropolitan Borough Council" -> "<name> Council"


@dataclass(frozen=True)
class GradeSlot:
    grade: str  # one of GRADES
    capital: bool
    long_form: bool  # "requires improvement to be good"


Token = str | DateSlot | MonthYearSlot | YearSlot | AuthoritySlot | GradeSlot


@dataclass
class Block:
    """One line of the source, with its line break."""

    tokens: list[Token]
    movable: bool  # a whole findings paragraph on one line: may be dropped or trade places
    static: str | None = None  # the line itself when it has no slots

    def __post_init__(self) -> None:
        if all(isinstance(t, str) for t in self.tokens):
            self.static = "".join(self.tokens)


@dataclass
class Template:
    source: Path
    kind: str  # from the file name: inspection_report, news_cypnow, ...
    suffix: str
    blocks: list[Block]
    swappable: list[tuple[int, int]]  # neighbouring movable lines (only blank lines between)
    ofsted: bool
    anchor: dt.date | None  # the first day on site, else the earliest full date, else the file name's
    delta_range: tuple[int, int] | None  # allowed shifts in days, None: no dates to shift
    authority: str | None

    def __post_init__(self) -> None:
        self.movable_count = sum(b.movable for b in self.blocks)


@dataclass
class Episode:
    templates: list[Template]
    delta_range: tuple[int, int] | None
    weight: float
    anchor: dt.date | None = None
    index: int = 0


# ---- compiling sources -------------------------------------------------------------------------


def _source_authority(text: str) -> str | None:
    """The authority the source is about: the one its text names most often (ONS names)."""
    from ofsted_findings.reference.authorities import mentions

    counts: dict[str, int] = {}
    for a, _, _ in mentions(text):
        counts[a.name] = counts.get(a.name, 0) + 1
    return max(counts, key=lambda n: counts[n]) if counts else None


def _master_pattern(authority: str | None) -> re.Pattern[str]:
    alternatives = [rf"(?P<date>{DATE_PHRASE})", GRADE_LINE, GRADE_CELL, GRADE_PROSE]
    if authority:
        name = re.escape(authority).replace(r"\ ", r"[\s-]+")
        alternatives.append(
            rf"\b(?P<auth>{name})\b"
            r"(?P<auth_sfx>(?:\s+Metropolitan)?(?:\s+Borough)?(?:\s+(?:City\s+|County\s+)?Council)?)(?![\w-])"
        )
    alternatives += [MONTH_YEAR, BARE_YEAR]
    return re.compile("|".join(alternatives))


def _abbreviated(month: str) -> bool:
    return bool(month) and month.rstrip(".").lower() not in {m.lower() for m in _MONTH_NAMES}


def _parse_date_phrase(phrase: str) -> DateSlot | None:
    weekday_sep = None
    rest = phrase
    m = _WEEKDAY_PREFIX.match(phrase)
    if m:
        weekday_sep = m.group("wsep")
        rest = phrase[m.end() :]
    parts, seps = [], []
    pos = 0
    for pm in _PART.finditer(rest):
        if pm.start() != pos and parts:
            seps.append(rest[pos : pm.start()])
        elif pm.start() != pos:
            return None
        parts.append(pm)
        pos = pm.end()
    if not parts or pos != len(rest):
        return None
    month = year = None
    filled = []
    for pm in reversed(parts):
        year = int(pm.group("year")) if pm.group("year") else year
        month = _MONTH_LOOKUP[pm.group("month").lower().rstrip(".")] if pm.group("month") else month
        if month is None or year is None:
            return None
        try:
            day = dt.date(year, month, int(pm.group("day")))
        except ValueError:
            return None
        filled.append(day)
    filled.reverse()
    out = []
    for pm, day in zip(parts, filled, strict=True):
        month_text = pm.group("month") or ""
        out.append((
            day,
            bool(pm.group("month")),
            bool(pm.group("year")),
            pm.group("ord") or "",
            pm.group("ysp") or " ",
            _abbreviated(month_text),
            pm.group("msp") or " ",
            "0" if len(pm.group("day")) == 2 and pm.group("day").startswith("0") else "",
        ))
    return DateSlot(weekday_sep, tuple(out), tuple(seps))


def _tokens(text: str, pattern: re.Pattern[str]) -> list[Token]:
    tokens: list[Token] = []
    pos = 0

    def literal(s: str) -> None:
        if s:
            if tokens and isinstance(tokens[-1], str):
                tokens[-1] += s
            else:
                tokens.append(s)

    for m in pattern.finditer(text):
        slot: Token | None = None
        prefix = ""
        if m.group("date") is not None:
            slot = _parse_date_phrase(m.group("date"))
            if slot is None:  # "section 47 and 12 October 2016": only the date at its end moves
                last = list(_FULL_DATE.finditer(m.group("date")))[-1]
                prefix = m.group("date")[: last.start()]
                slot = _parse_date_phrase(last.group(0))
                if slot is None:
                    prefix = ""
        elif m.group("gl") or m.group("gc") or m.group("gp"):
            word = m.group("gl") or m.group("gc") or m.group("gp")
            prefix = m.group("gl_pre") or m.group("gc_pre") or m.group("gp_pre") or ""
            low = word.lower()
            grade = "requires_improvement" if low.startswith("requires") else low
            slot = GradeSlot(grade, word[0].isupper(), low.endswith("to be good"))
        elif "auth" in pattern.groupindex and m.group("auth") is not None:
            slot = AuthoritySlot(m.group("auth_sfx").rstrip().endswith("Council"))
        elif m.group("my_m") is not None:
            month = _MONTH_LOOKUP[m.group("my_m").lower()]
            slot = MonthYearSlot(month, int(m.group("my_y")), _abbreviated(m.group("my_m")),
                                 text[m.end("my_m") : m.start("my_y")])
        elif m.group("yr") is not None and 2005 <= int(m.group("yr")) <= 2029:
            slot = YearSlot(int(m.group("yr")))
        literal(text[pos : m.start()])
        if slot is None:
            literal(m.group(0))
        else:
            literal(prefix)
            tokens.append(slot)
        pos = m.end()
    literal(text[pos:])
    return tokens


def _movable(tokens: list[Token]) -> bool:
    """A findings paragraph on one line: whole sentences, long enough, no dates or grades."""
    if any(not isinstance(t, str | AuthoritySlot) for t in tokens):
        return False
    text = "".join(t if isinstance(t, str) else "X" for t in tokens).strip()
    if len(text) < 120 or not text.endswith((".", ".”", '."', ".'")):
        return False
    return text[0].isupper() or text[:2] in ("- ", "• ", "* ") or bool(re.match(r"\d{1,2}\.\s", text))


def _is_ofsted(text: str) -> bool:
    """An Ofsted document (not press): by the pipeline's publisher signatures, else by its title."""
    from ofsted_findings.extract.document import find_publisher

    publisher = find_publisher(text)
    return publisher == "Ofsted" or (publisher is None and bool(_OFSTED_TITLE.search(text[:3000])))


def _file_date(name: str) -> dt.date | None:
    m = _FILE_DATE.search(name)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


def _kind(path: Path, authority: str | None) -> str:
    stem = _FILE_DATE.sub("", path.stem.lower())
    words = [w for w in re.split(r"[^a-z0-9]+", stem) if w]
    drop = set(re.split(r"[^a-z0-9]+", authority.lower())) if authority else set()
    words = [w for w in words if w not in drop]
    return "_".join(words) or "document"


def _window(text: str, ofsted: bool, span_after: int) -> tuple[dt.date, dt.date]:
    """The days a template's anchor may move to: inside its framework's years, ending by LATEST."""
    head = text[:3000]
    lo, hi = EARLIEST, LATEST - dt.timedelta(days=span_after)
    if not ofsted:
        return lo, hi
    if re.search(r"services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+protection", head, re.I):
        return lo, min(hi, SIF_LAST)
    if re.search(r"^\W*Focused\s+visit", head, re.I | re.M):
        return max(lo, dt.date(2018, 3, 1)), hi
    if re.search(r"^\W*Inspection\s+of\s[^.]{0,80}?children[’']s\s+(?:social\s+care\s+)?services", head,
                 re.I | re.M):
        return max(lo, ILACS_FIRST), min(hi, ILACS_REPORT_LAST - dt.timedelta(days=span_after))
    return lo, hi


_VISIT_CUE = re.compile(
    r"(?:Inspection\s+dates?|Dates?\s+of\s+(?:inspection|visit))\s*:|\bvisit\b[^.]{0,150}?\b(?:on|between|from)\s",
    re.I,
)
_DATE_PHRASE = re.compile(DATE_PHRASE)


def _visit_date(text: str) -> dt.date | None:
    """The first day on site, when the text states it ("Inspection dates: ...", "the visit ... on
    12 and 13 October 2016"): the date a framework's years apply to."""
    for cue in _VISIT_CUE.finditer(text[:15000]):
        m = _DATE_PHRASE.search(text, cue.end(), cue.end() + 200)
        slot = _parse_date_phrase(m.group(0)) if m else None
        if slot:
            return slot.parts[0][0]
    return None


def compile_template(path: Path) -> Template:
    text = path.read_bytes().decode("utf-8", errors="replace")
    authority = _source_authority(text)
    pattern = _master_pattern(authority)
    blocks = [Block(tokens, _movable(tokens)) for tokens in (_tokens(line, pattern)
                                                             for line in text.splitlines(keepends=True))]
    movable = [i for i, b in enumerate(blocks) if b.movable]
    swappable = [
        (i, j) for i, j in zip(movable, movable[1:], strict=False)
        if j - i <= 3 and all(not (blocks[k].static or "x").strip() for k in range(i + 1, j))
    ]
    dates = [p[0] for b in blocks for t in b.tokens if isinstance(t, DateSlot) for p in t.parts]
    ofsted = _is_ofsted(text)
    anchor = _visit_date(text) or (min(dates) if dates else _file_date(path.name))
    delta_range = None
    if anchor is not None:
        span_after = (max(dates) - anchor).days if dates else 0
        lo, hi = _window(text, ofsted, span_after)
        delta_range = ((lo - anchor).days, (hi - anchor).days)
    return Template(path, _kind(path, authority), path.suffix.lower(), blocks, swappable, ofsted, anchor,
                    delta_range, authority)


def episodes(templates: list[Template]) -> list[Episode]:
    """Templates with anchors within EPISODE_DAYS of each other form one episode (shared shift);
    an episode's shift keeps every member in its own window."""
    dated = sorted((t for t in templates if t.anchor), key=lambda t: t.anchor)
    groups: list[list[Template]] = []
    for t in dated:
        if groups and (t.anchor - groups[-1][0].anchor).days <= EPISODE_DAYS:
            groups.append(groups.pop() + [t])
        else:
            groups.append([t])
    groups += [[t] for t in templates if t.anchor is None]
    out = []
    for group in groups:
        ranges = [t.delta_range for t in group if t.delta_range]
        lo = max((r[0] for r in ranges), default=0)
        hi = min((r[1] for r in ranges), default=0)
        if ranges and lo > hi:  # no common shift: each on its own
            for t in group:
                out.append(Episode([t], t.delta_range, 1.0 if t.ofsted else PRESS_ONLY_WEIGHT, t.anchor))
            continue
        has_ofsted = any(t.ofsted for t in group)
        out.append(Episode(group, (lo, hi) if ranges else None, 1.0 if has_ofsted else PRESS_ONLY_WEIGHT,
                           min((t.anchor for t in group if t.anchor), default=None)))
    for i, e in enumerate(out):
        e.index = i
    return out


# ---- rendering ---------------------------------------------------------------------------------


def _month_name(month: int, abbreviated: bool) -> str:
    name = _MONTH_NAMES[month - 1]
    return name[:3] if abbreviated else name


def _render_date(slot: DateSlot, delta: dt.timedelta) -> str:
    new = [p[0] + delta for p in slot.parts]
    out = []
    if slot.weekday_sep is not None:
        out.append(calendar.day_name[new[0].weekday()] + slot.weekday_sep)
    last = len(new) - 1
    for i, (part, d) in enumerate(zip(slot.parts, new, strict=True)):
        _, month_shown, year_shown, ordinal, year_space, abbreviated, month_space, zero = part
        nxt = new[i + 1] if i < last else None
        show_year = year_shown or (nxt is not None and nxt.year != d.year)
        show_month = month_shown or show_year or (nxt is not None and nxt.month != d.month)
        day = f"{d.day:02d}" if zero else str(d.day)
        if ordinal:
            ordinal = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        out.append(day + ordinal)
        if show_month:
            out.append(month_space + _month_name(d.month, abbreviated))
        if show_year:
            out.append(year_space + str(d.year))
        if i < last:
            out.append(slot.seps[i])
    return "".join(out)


def _shift_month(month: int, year: int, delta: dt.timedelta) -> tuple[int, int]:
    d = dt.date(year, month, 15) + delta
    return d.month, d.year


def _grade_text(slot: GradeSlot, grade: str) -> str:
    word = {"requires_improvement": "requires improvement to be good" if slot.long_form else
            "requires improvement"}.get(grade, grade)
    return word[0].upper() + word[1:] if slot.capital else word


@dataclass
class Variant:
    authority: str
    delta: dt.timedelta
    grades: dict[str, str]


def render(template: Template, variant: Variant, rng: random.Random) -> str:
    blocks = list(template.blocks)
    # neighbouring findings paragraphs trade places, a few are dropped
    for i, j in template.swappable:
        if rng.random() < SHUFFLE:
            blocks[i], blocks[j] = blocks[j], blocks[i]
    budget = max(1, template.movable_count // 5)
    out: list[str] = []
    name, delta = variant.authority, variant.delta
    for b in blocks:
        if b.movable and budget > 0 and rng.random() < DROP:
            budget -= 1
            continue
        if b.static is not None:
            out.append(b.static)
            continue
        for t in b.tokens:
            if isinstance(t, str):
                out.append(t)
            elif isinstance(t, AuthoritySlot):
                out.append(name + " Council" if t.council else name)
            elif isinstance(t, DateSlot):
                out.append(_render_date(t, delta))
            elif isinstance(t, GradeSlot):
                out.append(_grade_text(t, variant.grades[t.grade]))
            elif isinstance(t, MonthYearSlot):
                month, year = _shift_month(t.month, t.year, delta)
                out.append(_month_name(month, t.abbreviated) + t.space + str(year))
            elif isinstance(t, YearSlot):
                out.append(str((dt.date(t.year, 7, 1) + delta).year))
    return "".join(out)


# ---- the corpus --------------------------------------------------------------------------------


def target_authorities() -> list[str]:
    """Authorities whose reference name the pipeline resolves back to them (not the City of London,
    whose name is all decoration)."""
    from ofsted_findings.reference.authorities import authorities, mentions, resolve

    out = []
    for a in authorities():
        found = mentions(f"Services in {a.name} are good.")
        if resolve(a.name) == a and found and found[0][0] == a:
            out.append(a.name)
    return out


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _grade_map(rng: random.Random) -> dict[str, str]:
    """Each grade stays with probability 0.4, else becomes another valid grade."""
    return {g: g if rng.random() < 0.4 else rng.choice(GRADES) for g in GRADES}


def generate(
    out_dir: Path,
    documents: int,
    seed: int = 0,
    source: Path = DEFAULT_SOURCE,
    authorities: int | None = None,
) -> dict[str, int]:
    """Write `documents` files into out_dir (which must be empty or missing); returns counts by kind."""
    sources = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
                     and not p.name.startswith("."))
    if not sources:
        raise SystemExit(f"{source}: no .txt or .md documents to generate from")
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(p for p in out_dir.iterdir()):
        raise SystemExit(f"{out_dir}: not empty; generate into a new folder")
    templates = [compile_template(p) for p in sources]
    eps = episodes(templates)
    rng = random.Random(f"corpus:{seed}")
    names = target_authorities()
    rng.shuffle(names)
    k = authorities or max(1, min(len(names), round(documents / DOCUMENTS_PER_AUTHORITY)))
    names = names[:k]
    weights = [e.weight for e in eps]
    seen_hashes: set[bytes] = set()
    used: set[tuple[str, int, int]] = set()
    counts: dict[str, int] = {}
    written = 0
    episode_no = 0
    with open(out_dir / ".manifest.csv", "w", newline="", encoding="utf-8") as mf:
        manifest = csv.writer(mf)
        manifest.writerow(["file", "source", "authority", "episode", "shift_days", "grades"])
        while written < documents:
            authority = names[episode_no % len(names)]
            if episode_no % len(names) == len(names) - 1:
                rng.shuffle(names)  # a new round of authorities, in another order
            episode_no += 1
            ep = rng.choices(eps, weights)[0]
            for _ in range(20):
                delta_days = rng.randint(*ep.delta_range) if ep.delta_range else 0
                if (authority, ep.index, delta_days) not in used:
                    break
            used.add((authority, ep.index, delta_days))
            variant = Variant(authority, dt.timedelta(days=delta_days), _grade_map(rng))
            members = [t for t in ep.templates if t.ofsted] or ep.templates
            members += [t for t in ep.templates if not t.ofsted and t not in members
                        and rng.random() < PRESS_WITH_REPORT]
            for t in members:
                if written >= documents:
                    break
                doc_rng = random.Random(f"{seed}:{written}")
                for _attempt in range(50):
                    data = render(t, variant, doc_rng).encode("utf-8")
                    digest = hashlib.blake2b(data, digest_size=16).digest()
                    if digest not in seen_hashes:
                        break
                seen_hashes.add(digest)
                when = (t.anchor + variant.delta) if t.anchor else None
                stamp = when.isoformat() if when else "undated"
                name = f"{slug(authority)}_{stamp}_{t.kind}_{written:05d}{t.suffix}"
                (out_dir / name).write_bytes(data)
                grades = ";".join(f"{a}>{b}" for a, b in variant.grades.items() if a != b)
                manifest.writerow([name, t.source.name, authority, episode_no, delta_days, grades])
                counts[t.kind] = counts.get(t.kind, 0) + 1
                written += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write into (created; must be empty)")
    parser.add_argument("--documents", "-n", type=int, required=True, help="how many documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder of .txt/.md documents to generate from (default: raw/)")
    parser.add_argument("--authorities", type=int, default=None,
                        help=f"how many authorities (default: documents / {DOCUMENTS_PER_AUTHORITY}, "
                        "at most all)")
    args = parser.parse_args(argv)
    if args.documents < 1:
        parser.error("--documents must be at least 1")
    started = time.perf_counter()
    counts = generate(args.out_dir, args.documents, args.seed, args.source, args.authorities)
    seconds = time.perf_counter() - started
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"generated {sum(counts.values())} documents in {seconds:.2f} s into {args.out_dir} ({kinds})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
