"""Every pattern the cleaners use, in one place: page furniture, web boilerplate, glyphs.

Supporting a new publisher's page furniture or a new PDF footer is an edit here plus a test.
"""

import re

# Private-use and typographic bullet glyphs that PDF extractors emit at the start of list items.
BULLET_GLYPHS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7\u25a0"
BULLET_LINE = re.compile(rf"^\s*[{BULLET_GLYPHS}]\s*")
DASH_ITEM = re.compile(r"^\s*[-–]\s+(?=\S)")
NUMBERED_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.\s*(?=[A-Z‘'\"(])")

# Characters to delete outright: controls other than tab/newline/form feed, zero-width marks.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
# pdfium marks a word hyphenated at a line end with U+0002 (or a soft hyphen): join the halves.
EXTRACTOR_HYPHEN = "\x02\u00ad"

# A line that is only page furniture in PDF text.
PAGE_SEPARATOR = re.compile(r"^\s*(?:[-–—_]|\f)\s*$")
PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
# Running headers/footers of Ofsted reports ("Inspection of X local authority children's services").
RUNNING_HEADER = re.compile(
    r"^\s*(?:Inspection of [\w .,'’&-]+ local authority children[’']s services"
    r"|Ofsted is proud to use recycled paper)\s*$",
    re.I,
)
# Where the back-page boilerplate of an Ofsted publication begins: everything after is dropped.
BACK_PAGE_START = re.compile(
    r"^\s*The Office for Standards in Education, Children[’']s Services and Skills \(Ofsted\) regulates",
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
