"""What a document is and says about itself: type, publisher, title, authority, dates, people.

Every value found comes with its evidence span (the `facts` list), so a document row can be
traced to the text as any other extracted row.
"""

from __future__ import annotations

import datetime as dt
import re

from ofsted_findings.extract.dates import FULL_DATE, find_range, parse_date
from ofsted_findings.models import CleanDocument, DocumentFacts
from ofsted_findings.reference import framework_of, publishers
from ofsted_findings.reference.authorities import Authority, mentions, resolve

# A person's name: capitalised words (any script's capitals: "Máire"), not the role that follows
# it on the same line ("Jan Edwards Her Majesty's Inspector", "Gary Lamb HMI"), with initials
# anywhere but last ("Jane A. Smith", "Jane A Smith", "J. A. Smith").
_ROLE_WORD = (
    r"(?:Her|His|HMIs?|S?HMI|AI|Senior|Ofsted|Social|Inspectors?|Majesty[’']s|Team|Deputy|Shadow|Lead"
    r"|Report|Associate|Additional|Contracted|Seconded|Designate)\b"
)
_NAME_WORD = rf"(?!{_ROLE_WORD})[A-ZÀ-ÖØ-Þ][\w'’\-]+"
# An initial: a capital with a full stop, or alone before the next part of the name.
_INITIALS = r"(?:[A-ZÀ-ÖØ-Þ](?:\.[ \t]*|[ \t]+))+"
NAME = (
    rf"(?:{_INITIALS})?{_NAME_WORD}"
    rf"(?:[ \t]+(?:{_INITIALS})?(?:{_NAME_WORD}|[dDlL][’'][A-Z][\w'’\-]+"
    r"|de|van|von|der|den|le|la|du|da|del|di)\b)*"
)
_INSPECTOR_ROLE = (
    r"(?:Her|His) Majesty[’']s Inspectors?|HMIs?|Ofsted Inspectors?|Social Care Regulatory Inspectors?"
)
_NAMES = rf"{NAME}(?:\s*(?:,|\band\b|&)\s*{NAME})*"
# A role written after a name in a list of inspectors: "Jane Smith HMI", "Jane Smith, His
# Majesty's Inspector", "Ty Yousaf AI", "Dean Jennings (Additional Inspector)".
_ROLE_AFTER_NAME = (
    r"\([^()\n]{1,40}\)|(?:Senior[ \t]+)?(?:HMIs?|SHMI|AI)\b(?:[ \t]+[Dd]esignate\b)?"
    r"|(?:(?:Her|His)[ \t]+Majesty[’']s|Ofsted|Associate|Additional|Contracted|Seconded"
    r"|Social[ \t]+Care[ \t]+Regulatory)[ \t]+[Ii]nspectors?\b"
)
_PERSON = rf"{NAME}(?:,?[ \t]*(?:{_ROLE_AFTER_NAME}))?"
_PERSON_WITH_ROLE = re.compile(rf"{NAME},?[ \t]*(?:{_ROLE_AFTER_NAME})")
# People listed after a label: names each with or without its role, joined by a comma, "and",
# "&", or nothing but a space after a role ("Jane Smith HMI John Brown HMI").
_PEOPLE = rf"{_PERSON}(?:(?:\s*(?:,?[ \t]*(?:\band\b|&)|,)\s*|[ \t]+){_PERSON})*"
_ROLE_IN_LIST = re.compile(rf",?[ \t]*(?:{_ROLE_AFTER_NAME})")

# Titles by document type, in the order they are tried: (document type, inspection type,
# framework family, pattern); the `la` group is the authority as written. The framework within
# the family follows from the inspection's dates (reference/frameworks.csv).
_SERVICES = r"children[’']s services"
TITLE_PATTERNS: tuple[tuple[str, str, str | None, re.Pattern[str]], ...] = (
    (
        "monitoring_visit_letter",
        "monitoring_visit",
        None,
        re.compile(rf"^Monitoring visit (?:of|to) (?P<la>.+?)(?: {_SERVICES})?$", re.I),
    ),
    (
        "focused_visit_letter",
        "focused_visit",
        None,
        re.compile(rf"^Focused visit (?:of|to) (?P<la>.+?)(?: {_SERVICES})?$", re.I),
    ),
    (
        "inspection_report",
        "full_inspection",
        "ILACS",
        re.compile(rf"^Inspection of (?:local authority {_SERVICES}|children[’']s social care services)$",
                   re.I),
    ),
    (
        "inspection_report",
        "full_inspection",
        "ILACS",
        re.compile(rf"^Inspection of (?P<la>.+?) (?:local authority )?{_SERVICES}$", re.I),
    ),
    (  # a trust running an authority's services: "Inspection of Bradford Children and Families Trust"
        "inspection_report",
        "full_inspection",
        "ILACS",
        re.compile(r"^Inspection of (?P<la>.+?) Children(?:[’']s)?(?: and Families)?(?: Services)? Trust$",
                   re.I),
    ),
    (
        "inspection_report",
        "full_inspection",
        "SIF",
        re.compile(
            r"^(?:(?P<la>.+?)\s+)?(?:Re-?\s?)?inspection of services for children in need of help"
            r" and protection.*$",
            re.I,
        ),
    ),
    (
        "other",
        "looked_after_children_inspection",
        "LAC",
        re.compile(r"^Inspection of (?:services for )?looked after children(?:[’']s)? services$", re.I),
    ),
    (  # any other body running an authority's services: "Inspection of Slough Children First"
        "inspection_report",
        "full_inspection",
        "ILACS",
        re.compile(r"^Inspection of (?P<la>(?!looked after|services for|the effectiveness)[A-Z].{2,80})$"),
    ),
    (  # a review of the LSCB published on its own, not with an inspection of the authority
        "other",
        "board_review",
        "SIF",
        re.compile(
            r"^(?:Review of )?the effectiveness of the (?:local )?safeguarding children board"
            r"(?: \((?-i:[A-Z]{2,6})\))?(?: in (?P<la>.+))?$",
            re.I,
        ),
    ),
)
# An authority's name is at most this long ("Bath and North East Somerset Council": 7 words).
_MAX_NAME_WORDS = 10
_MAX_NAME_CHARS = 100
# A title with the authority's name in its block is no longer than this.
_MAX_TITLE_CHARS = 250
_ILACS_NAMED = re.compile(r"\(ILACS\)|inspection of local authority children[’']s services", re.I)
_SHORT_INSPECTION = re.compile(r"\bshort inspection\b", re.I)
# An ILACS standard inspection is two weeks on site, a short one a single week (Monday to Friday).
_SHORT_INSPECTION_MAX_DAYS = 7
# "Lead inspector: X", "Lead inspectors: X and Y", "Joint lead inspectors: X HMI, Y HMI", "Lead
# inspector on site: X", "Reporting inspector X HMI"; every such line of a report is read (joint
# leads may each have their own).
_LEAD = re.compile(
    # "Lead inspector", "Joint lead inspector" or "Reporting inspector", not after "Deputy " or
    # inside a word. The lookbehinds follow the first letter so that `re` can skip to an L, R or
    # J quickly (a branch opening with a common letter, "Co-lead", would treble the scan).
    r"(?:J(?<!\wJ)oint[ \t]+[Ll]ead|L(?<!\wL)(?<![Dd]eputy L)ead|R(?<!\wR)(?<![Dd]eputy R)eporting)"
    rf" [Ii]nspector(?P<plural>s)?(?: on site)?\s*:?\s*(?P<names>{_PEOPLE})"
)
# A plural lead label in the raw text, before the names on its line and the lines below it.
_PLURAL_LABEL_IN_RAW = re.compile(r"\b(?:[Jj]oint[ \t]+)?[Ll]ead [Ii]nspectors(?: on site)?[ \t]*:?[ \t]*")
# A person's name has at least a first name and a surname.
_MIN_NAME_WORDS = 2
# Further members of an inspection team, after the lead.
_TEAM = re.compile(rf"^(?:Deputy lead inspectors?|Team inspectors?)\s*:?\s*(?P<names>{_PEOPLE})", re.M)
# The team of a visit, in either of two phrasings: searched as two regexes (leftmost wins, the
# first at a tie, as in their alternation), each only in a text holding one of the literal
# phrases it cannot match without (a substring test costs next to nothing; the regex scan does).
_VISIT_TEAM = (
    (
        ("carried out by", "undertaken by", "conducted by"),
        re.compile(
            rf"(?:carried out by|undertaken by|conducted by)\s+(?P<names>{_NAMES}),?\s+(?:{_INSPECTOR_ROLE})"
        ),
    ),
    (
        (" for this visit ", " for this inspection "),
        re.compile(
            rf"(?:{_INSPECTOR_ROLE}) for this (?:visit|inspection) (?:were|was)\s+(?P<names>{_NAMES})"
        ),
    ),
)
_PUBLISHED = re.compile(rf"^(?:Report published|Published|Date of publication)\s*:\s*(?={FULL_DATE.pattern})",
                        re.M | re.I)
_SIGNED = re.compile(rf"Yours sincerely\s+(?P<name>{NAME})")
_BYLINE = re.compile(rf"^By (?P<name>{NAME})$", re.M)
_VISIT_DATES_CUE = re.compile(
    r"Inspection dates?:|Dates? of (?:inspection|visit):|Inspection dates?(?=\s+\d)"
    r"|(?:visit|inspection)\b[^.]{0,120}?\b(?:on|between|from)\s",
    re.I,
)
_NEWS_TYPE_CUES = (
    ("focused_visit", re.compile(r"\bfocused visit\b", re.I)),
    (
        "monitoring_visit",
        re.compile(
            r"\bmonitoring visit|\b(?:first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) visit\b"
            r"|letter to the council",
            re.I,
        ),
    ),
    ("full_inspection", re.compile(r"\binspection\b|\bOfsted\b", re.I)),
)


def find_publisher(raw_text: str) -> str | None:
    """Publisher from signatures in the raw (uncleaned) text: footers are cleaned away later."""
    for name, pattern in publishers():
        if pattern.search(raw_text):
            return name
    return None


def extract_document(doc: CleanDocument, raw_text: str) -> DocumentFacts:
    text = doc.text
    facts = DocumentFacts(publisher=find_publisher(raw_text))
    is_news = doc.text_format == "web_page" or (facts.publisher not in (None, "Ofsted"))
    _title(doc, facts, is_news)
    if is_news:
        facts.document_type = "news_article"
        _news(doc, facts)
    else:
        if facts.publisher is None and facts.document_type != "other":
            facts.publisher = "Ofsted"
        _visit_dates(doc, facts)
        _inspectors(doc, facts, raw_text=raw_text)
        if facts.document_type in ("monitoring_visit_letter", "focused_visit_letter"):
            _letter_date(doc, facts)
        else:
            _report_date(doc, facts)
    _authority(doc, facts)
    reports = ("inspection_report", "monitoring_visit_letter", "focused_visit_letter")
    if facts.document_type in reports or facts.framework_family:
        facts.framework = _framework(facts, text)
    if facts.inspection_type == "full_inspection" and _is_short(facts, text):
        facts.inspection_type = "short_inspection"
    return facts


def _is_short(facts: DocumentFacts, text: str) -> bool:
    """A short ILACS inspection: said so, or one week on site rather than two."""
    if _SHORT_INSPECTION.search(text[:5000]):
        return True
    if facts.framework is None or not facts.framework.startswith("ILACS"):
        return False
    if facts.start_date is None or facts.end_date is None:
        return False
    return (facts.end_date - facts.start_date).days < _SHORT_INSPECTION_MAX_DAYS


def _framework(facts: DocumentFacts, text: str) -> str | None:
    """The framework of the report's family (from its title) at its inspection dates; for letters,
    by what they say and their dates."""
    family = facts.framework_family
    if family is None and _ILACS_NAMED.search(text):
        family = "ILACS"
    if family is None and facts.start_date:
        family = "ILACS" if facts.start_date >= dt.date(2018, 1, 1) else None
        if family is None and facts.start_date >= dt.date(2013, 11, 1):
            family = "SIF"
    return framework_of(family, facts.start_date) if family else None


def _title(doc: CleanDocument, facts: DocumentFacts, is_news: bool) -> None:
    headings = [p for p in doc.paragraphs if p.kind in ("heading", "text")][:40]
    if is_news:
        if headings:
            p = headings[0]
            facts.title = doc.text[p.start : p.end]
            facts.note("title", facts.title, p.start, p.end, doc.text)
        return
    for i, p in enumerate(headings):
        line = doc.text[p.start : p.end].strip()
        found = _match_title(line)
        if found is None:
            continue
        (doc_type, inspection_type, family, m), title, name = found
        facts.document_type, facts.inspection_type = doc_type, inspection_type
        facts.framework_family = family
        facts.title = title
        facts.note("title", title, p.start, p.end, doc.text)
        la = m.groupdict().get("la")
        if la:
            facts.authority_as_written = la.strip()
        elif name:
            facts.authority_as_written = name
        else:  # the authority's name set on its own line just above or below the title
            facts.authority_as_written = _named_authority(doc, headings[max(0, i - 1) : i + 2], p)
        return


def _match_title(line: str) -> tuple[tuple, str, str | None] | None:
    """((document type, inspection type, family, match), title, authority's name) when `line` is
    a title; also when it is a title with the authority's name set before or after it in the
    same block (a name line the cleaner joined to the title: "wigan metropolitan borough council
    Inspection of children's social care services", whatever the name's case)."""
    found = _title_pattern(line)
    if found:
        return found, line, None
    if len(line) > _MAX_TITLE_CHARS:
        return None
    words = line.split()
    for n in range(1, min(_MAX_NAME_WORDS, len(words) - 1) + 1):
        for name, title in ((words[:n], words[n:]), (words[-n:], words[:-n])):
            name_text, title_text = " ".join(name), " ".join(title)
            if resolve(name_text.strip(",:;–-")) is None:
                continue
            found = _title_pattern(title_text)
            if found:
                return found, title_text, name_text.strip(",:;–-")
    return None


def _title_pattern(line: str) -> tuple | None:
    for doc_type, inspection_type, family, pattern in TITLE_PATTERNS:
        m = pattern.match(line)
        if m:
            return doc_type, inspection_type, family, m
    return None


def _named_authority(doc: CleanDocument, around: list, title) -> str | None:
    """The authority's name on a line of its own next to the title: a heading, or a line of text
    when its case kept it from being taken for one ("trafford metropolitan borough council")."""
    for q in around:
        if q is not title and q.kind in ("heading", "text") and q.end - q.start <= _MAX_NAME_CHARS:
            name = doc.text[q.start : q.end].strip()
            if resolve(name) is not None:
                return name
    return None


def _authority(doc: CleanDocument, facts: DocumentFacts) -> None:
    text = doc.text
    if facts.authority_as_written:
        facts.authority = _resolve_leading(facts.authority_as_written)
        if facts.authority is None:
            facts.warnings.append(f"authority not resolved: {facts.authority_as_written!r}")
        else:
            i = text.find(facts.authority_as_written)
            facts.note("local_authority", facts.authority.name, i, i + len(facts.authority_as_written), text)
            return
    found = mentions(text[:20000])
    if not found:
        if facts.authority is None and not facts.warnings:
            facts.warnings.append("no local authority named")
        return
    counts: dict[str, int] = {}
    for a, _, _ in found:
        counts[a.name] = counts.get(a.name, 0) + 1
    best = max(counts, key=lambda n: (counts[n], -next(s for a, s, _ in found if a.name == n)))
    a, s, e = next(x for x in found if x[0].name == best)
    if len(counts) > 1 and counts[best] < 2 * sorted(counts.values())[-2]:
        facts.warnings.append(f"authority ambiguous: {sorted(counts)}")
        return
    facts.authority = a
    facts.note("local_authority", a.name, s, e, text)


def _resolve_leading(name: str) -> Authority | None:
    """The authority a name starts with: "Slough Children First" -> Slough (a company or trust
    named after the authority whose services it runs)."""
    words = name.split()
    for n in range(len(words), 0, -1):
        authority = resolve(" ".join(words[:n]))
        if authority is not None:
            return authority
    return None


def _visit_dates(doc: CleanDocument, facts: DocumentFacts) -> None:
    text = doc.text
    for cue in _VISIT_DATES_CUE.finditer(text[:15000]):
        dates, s, e = find_range(
            text, cue.end() if cue.group(0).endswith(":") else cue.start(), min(len(text), cue.end() + 120)
        )
        if dates:
            facts.start_date, facts.end_date = min(dates), max(dates)
            facts.note("inspection_dates", f"{facts.start_date}/{facts.end_date}", s, e, text)
            return


def _split_names(names: str) -> list[str]:
    """The names of a list of people, without the roles written after them."""
    names = _ROLE_IN_LIST.sub(",", names)  # a role ends its name: "A HMI B HMI" is two people
    return [" ".join(n.split()) for n in re.split(r"\s*(?:,|\band\b|&)\s*", names) if n.strip()]


def _following_people(doc: CleanDocument, end: int) -> list:
    """Paragraphs right after the one a list of names ends (at `end`) that are a name with its
    role and nothing else: under "Lead inspectors: A HMI", the "B HMI" set as a paragraph below."""
    text = doc.text
    out = []
    paragraphs = iter(doc.paragraphs)
    for p in paragraphs:
        if p.start <= end <= p.end:
            if text[end : p.end].strip():
                return []
            break
    for p in paragraphs:
        if not _PERSON_WITH_ROLE.fullmatch(text[p.start : p.end].strip()):
            break
        out.append(p)
    return out


def _names_by_line(name: str, raw_text: str) -> list[str]:
    """The names under a plural label that cleaning joined into one line ("Lead inspectors: Jane
    Smith" | "John Brown" -> "Jane Smith John Brown"): split where the raw text breaks its lines,
    when the lines following such a label hold exactly its words; else the name as it is."""
    words = name.split()
    if len(words) < 2 * _MIN_NAME_WORDS:
        return [name]
    for label in _PLURAL_LABEL_IN_RAW.finditer(raw_text):
        lines, count = [], 0
        for line in raw_text[label.end() :].splitlines():
            part = line.split()
            if not part:
                continue
            lines.append(" ".join(part))
            count += len(part)
            if count >= len(words):
                break
        if (
            len(lines) > 1
            and " ".join(lines).split() == words
            and all(len(n.split()) >= _MIN_NAME_WORDS for n in lines)
        ):
            return lines
    return [name]


def _leftmost(
    patterns: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...], text: str
) -> re.Match[str] | None:
    """The match their alternation would find: the leftmost, the earlier pattern's at a tie.
    Each pattern comes with literals one of which every match of it contains."""
    best = None
    for literals, pattern in patterns:
        if not any(literal in text for literal in literals):
            continue
        m = pattern.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _inspectors(doc: CleanDocument, facts: DocumentFacts, raw_text: str = "") -> None:
    """Inspectors named, lead(s) first. Joint leads ("Lead inspectors: A and B", "A HMI, B HMI",
    a name a line, or a lead line each) are all in `lead_inspectors`, in the order written."""
    text = doc.text
    leads: list[str] = []
    for m in _LEAD.finditer(text):
        names = _split_names(m.group("names"))
        end = m.end("names")
        if m.group("plural") and len(names) == 1:
            names = _names_by_line(names[0], raw_text)
        if m.group("plural"):
            for p in _following_people(doc, end):
                names.extend(_split_names(text[p.start : p.end]))
                end = p.end
        found = [n for n in names if n not in leads]
        if found:
            leads.extend(found)
            facts.note("lead_inspector", ", ".join(found), m.start("names"), end, text)
    names = list(leads)
    if leads:
        for member in _TEAM.finditer(text):
            names.extend(n for n in _split_names(member.group("names")) if n not in names)
    team = _leftmost(_VISIT_TEAM, text)
    if team:
        for n in _split_names(team.group("names")):
            if n not in names:
                names.append(n)
        facts.note("inspectors", ", ".join(names), team.start("names"), team.end("names"), text)
    signed = _SIGNED.search(text)
    if signed and not leads:
        signer = signed.group("name")
        if signer in names:
            names.remove(signer)
            names.insert(0, signer)
            leads = [signer]
            facts.note("lead_inspector", signer, signed.start("name"), signed.end("name"), text)
    facts.inspectors = names
    facts.lead_inspectors = leads


def _report_date(doc: CleanDocument, facts: DocumentFacts) -> None:
    """A report's publication date where its front page states one ("Report published: 5 April
    2016" in SIF reports, "Published: 16 August 2013")."""
    text = doc.text
    m = _PUBLISHED.search(text[:5000])
    if m:
        date = FULL_DATE.match(text, m.end())
        facts.published_date = parse_date(date.group(1), date.group(2), date.group(3))
        facts.note("published_date", facts.published_date, date.start(), date.end(), text)


def _letter_date(doc: CleanDocument, facts: DocumentFacts) -> None:
    """A letter's date: the first paragraph that is nothing but a date, before the salutation."""
    text = doc.text
    dear = text.find("Dear ")
    for p in doc.paragraphs:
        if dear != -1 and p.start > dear:
            break
        m = FULL_DATE.fullmatch(text[p.start : p.end].strip())
        if m:
            facts.published_date = parse_date(m.group(1), m.group(2), m.group(3))
            facts.note("published_date", facts.published_date, p.start, p.end, text)
            return


def _news(doc: CleanDocument, facts: DocumentFacts) -> None:
    text = doc.text
    head = text[:1500]
    byline = _BYLINE.search(head)
    if byline:
        facts.author = byline.group("name")
        facts.note("author", facts.author, byline.start("name"), byline.end("name"), text)
    for p in doc.paragraphs[:8]:
        m = FULL_DATE.search(text[p.start : p.end])
        if m and len(text[p.start : p.end]) < 40:
            facts.published_date = parse_date(m.group(1), m.group(2), m.group(3))
            facts.note("published_date", facts.published_date, p.start + m.start(), p.start + m.end(), text)
            break
    for inspection_type, cue in _NEWS_TYPE_CUES:
        m = cue.search(text)
        if m:
            facts.inspection_type = inspection_type
            facts.note("inspection_type", inspection_type, m.start(), m.end(), text)
            break
