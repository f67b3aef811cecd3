"""Every pattern the cleaners use, in one place: page furniture, web boilerplate, glyphs.

Supporting a new publisher's page furniture or a new PDF footer is an edit here plus a test.
"""

import re

# Private-use and typographic bullet glyphs that PDF extractors emit at the start of list items.
# Symbol fonts (Wingdings, Symbol) map their glyphs into the private-use area, so any private-use
# character opening a line is a bullet ("\uf06e", "\uf02d" in 2013-2017 reports); "◼" from 2019;
# "―" (U+2015) in a 2016 SIF report's context list.
BULLET_GLYPHS = (
    "\ue000-\uf8ff\u2022\u2023\u2043\u00b7\u2015\u25a0-\u25ff\u2219\u27a2\u2756\u2713\u2714"
)
BULLET_LINE = re.compile(rf"^\s*[{BULLET_GLYPHS}]\s*")
DASH_ITEM = re.compile(r"^\s*[-–]\s+(?=\S)")
NUMBERED_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.\s*(?=[A-Z‘'\"(])")
# "144.BSCB", "41.The": a paragraph number with no space after its full stop.
NUMBER_WITHOUT_SPACE = re.compile(r"^(\s*\d{1,3}\.)(?=[A-Z‘'\"(])")

# A line that opens with a field label ("Inspection dates:", "Lead inspector:"): it starts a new
# block even when set in the same bold type as the title above it.
FIELD_LABEL_LINE = re.compile(
    r"^\s*(?:Inspection dates?|Dates? of (?:inspection|visit)|Report published|Published"
    r"|(?:Deputy )?lead inspectors?(?: on site)?|Reporting inspector|Age group|Report author)\b\s*:?",
    re.I,
)

# The header row of a report's grade table; the rows under it end with their grade.
GRADE_TABLE_HEADER = re.compile(r"^\s*(?:Key\s+)?Judge?ments?\s+(?:Judge?ments?\s+)?Grades?\s*$", re.I)

# Characters to delete outright: controls other than tab/newline/form feed, zero-width marks.
CONTROL_CHARS = re.compile(r"[\x00\x01\x03-\x08\x0b\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
# A word broken at a line end by the extractor (U+0002, soft hyphen): join the halves.
EXTRACTOR_HYPHEN = "\x02\u00ad"
# pypdfium2 gives U+FFFE for a hyphen it found at a line break ("self\ufffeesteem"); in Ofsted's
# text these are the hyphens of compounds, so they become "-".
PDFIUM_HYPHEN = "\ufffe"

# A line that is only page furniture in PDF text.
PAGE_SEPARATOR = re.compile(r"^\s*(?:[-–—_]|\f)\s*$")
PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
# Running headers/footers of Ofsted reports ("Inspection of X local authority children's services").
RUNNING_HEADER = re.compile(
    r"^\s*(?:Inspection of [\w .,'’&-]+ local authority children[’']s services"
    r"|Ofsted is proud to use recycled paper)\s*$",
    re.I,
)
# Where the back-page boilerplate of an Ofsted publication begins: everything after is dropped
# (the complaints paragraph, Ofsted's statement, licence, address block, copyright).
BACK_PAGE_START = re.compile(
    r"^\s*(?:The Office for Standards in Education, Children[’']s Services and Skills \(Ofsted\)"
    r" regulates"
    r"|Any complaints about the inspection or the report should be made)",
)
# Front-matter and back-page paragraphs of Ofsted PDFs, wherever they sit (2013 reports print the
# copyright block on page 2): the paragraph is dropped.
BOILERPLATE_PARAGRAPH = re.compile(
    r"^\s*(?:©\s*Crown copyright\s*\d{4}"
    r"|Website:\s*www\.ofsted\.gov\.uk"
    r"|This document may be reproduced in whole or in part"
    r"|Further copies of this report are obtainable"
    r"|Reference no\.?\s*\d+"
    r"|Age group:\s*All"
    r")",
    re.I,
)
# Headings of the parts of a report that are not about the authority: its contents page and the
# appendix on how Ofsted inspects and what its grades mean. A part runs to the next heading set
# as large as its own, or to a heading of KEPT_AFTER_DROPPED (the names of the inspection team).
CONTENTS_HEADING = re.compile(r"^\s*(?:Contents|Table of contents)\s*$", re.I)
DROPPED_PART_HEADING = re.compile(
    r"^\s*(?:Information about this inspection"
    r"|What the inspection judge?ments mean(?::.*)?"
    r"|The inspection judge?ments and what they mean"
    r"|About this inspection"
    r")\s*$",
    re.I,
)
KEPT_AFTER_DROPPED = re.compile(r"^\s*(?:The inspection team|Inspection team)\s*$", re.I)
# A line naming the inspectors: kept even inside a dropped part.
INSPECTION_TEAM_LINE = re.compile(
    r"^\s*(?:(?:Deputy )?lead inspectors?(?: on site)?|Team inspectors?|Reporting inspector)\b\s*:?", re.I
)

TERMINAL_PUNCTUATION = ".!?:;"

# Scraped web pages: lines that are navigation, calls to action, widgets or social icons.
WEB_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"Support our #\S+ campaign.*"
    r"|Make an Enquiry|Contact Us|Subscribe(?: Today| now)?|Sign up.*newsletter.*"
    r"|Read Full Story|Read more|Share this(?: article)?|Print this page"
    r"|blog comments powered by Disqus|\d+ comments?|Leave a comment|Comments"
    r"|WP Quality Assured|A Mackman Group collaboration.*"
    r"|Keep abreast of the latest news.*"
    r"|(?:close|chevron-\w+|bars|linkedin|facebook(?:-blank)?|pinterest|youtube|rss(?:-blank)?"
    r"|twitter|instagram|linkedin-blank)(?:\s+\S+)*"
    r")\s*$",
    re.I,
)
# A sidebar or footer heading: the article has ended where one of these begins.
WEB_SIDEBAR_START = re.compile(
    r"^\s*(?:Knowledge & Resources|Related (?:articles|stories|content)|More on this story"
    r"|Most read|Latest news|You may also like|Children First is an online resource.*)\s*$",
    re.I,
)
# Markdown inline markup.
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
MD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
