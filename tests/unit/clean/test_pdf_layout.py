"""The PDF cleaner on layouts built by hand: furniture, footnotes, paragraphs, cells, headings,
contents page, appendix, back page, page numbers of blocks."""

from __future__ import annotations

from ofsted_findings.clean import clean_pdf
from ofsted_findings.clean.pdf_layout import (
    _body_size,
    _margin_lines,
    _repeated_margin_lines,
    pdf_layout_blocks,
)
from ofsted_findings.ingest.pdf import PdfLayout, PdfLine

W, H = 595.0, 842.0
BODY = 14.0  # glyph-box height of 12-point type


class Page:
    """Lines placed down a page: `line` continues a paragraph, `gap` leaves a paragraph space."""

    def __init__(self, number: int) -> None:
        self.number, self.lines, self.y = number, [], 90.0

    def line(self, text, *, x0=72.0, size=BODY, bold=False, gap=0.0, sup=(), cell_of=None):
        if cell_of is not None:  # beside an earlier line of the page
            top = cell_of.top
        else:
            self.y += gap
            top = self.y
            self.y += size * 1.05
        line = PdfLine(text, self.number, x0, x0 + 5.5 * len(text), top, top + size * 0.85, size, bold,
                       tuple(sup), top)
        self.lines.append(line)
        return line

    def at(self, top: float, text: str, size: float = 8.0) -> None:
        self.lines.append(PdfLine(text, self.number, 72.0, 72.0 + 5 * len(text), top, top + size, size,
                                  False, (), top))


def layout(*pages: Page) -> PdfLayout:
    return PdfLayout([p.lines for p in pages], [(W, H)] * len(pages))


def _report_pages(n: int = 4) -> list[Page]:
    pages = []
    for i in range(1, n + 1):
        p = Page(i)
        if i > 1:
            p.at(20.0, "Inspection of Anytown local authority children’s services")
            p.at(800.0, f"1 to 12 May 2023 {i}")
        pages.append(p)
    return pages


def test_running_footer_and_page_numbers_are_dropped_and_pages_kept():
    pages = _report_pages()
    pages[0].line("Inspection of Anytown local authority children’s services", size=30, bold=False)
    for p in pages:
        p.line(f"Page {p.number} says something about children.", gap=10)
        p.at(810.0, str(p.number))
    doc = clean_pdf("d", "x.pdf", layout(*pages))
    assert doc.text.count("Inspection of Anytown local authority children’s services") == 1  # the title
    assert "1 to 12 May 2023" not in doc.text
    for n in range(1, 5):
        assert doc.page_at(doc.text.index(f"Page {n} says")) == n
    assert all(not line.strip().isdigit() for line in doc.text.split("\n"))


def test_paragraphs_items_numbers_and_headings():
    p = Page(1)
    p.line("What needs to improve?", bold=True, size=17)
    p.line("\uf06e The quality of plans for children who need", gap=8)
    p.line("help and protection.", x0=90)
    p.line("\uf06e Management oversight.", gap=6)
    p.line("The experiences and progress of children who need help and", bold=True, size=17, gap=14)
    p.line("protection: good", bold=True, size=17)
    p.line("1.Children are seen quickly and their needs are well", gap=10)
    p.line("understood by social workers.", x0=100)
    p.line("2. A second paragraph starts here.", gap=10)
    p.line("A third paragraph, set after a gap, with no number.", gap=12)
    blocks = pdf_layout_blocks(layout(p))
    assert [(b.kind, b.number, b.text) for b in blocks] == [
        ("heading", None, "What needs to improve?"),
        ("item", None, "The quality of plans for children who need help and protection."),
        ("item", None, "Management oversight."),
        ("heading", None, "The experiences and progress of children who need help and protection: good"),
        ("text", 1, "1. Children are seen quickly and their needs are well understood by social workers."),
        ("text", 2, "2. A second paragraph starts here."),
        ("text", None, "A third paragraph, set after a gap, with no number."),
    ]


def test_grade_table_rows_become_cells():
    p = Page(1)
    p.line("Judgement Grade", bold=True, gap=10)
    first = p.line("The impact of leaders on social work", gap=12)
    p.line("practice with children and families")
    p.line("Good", x0=320, cell_of=first)
    p.line("Overall effectiveness Requires improvement to be good", gap=12)
    p.line("Children in Anytown are helped well by their social workers and their families.", gap=14)
    kinds = [(b.kind, b.text) for b in pdf_layout_blocks(layout(p))]
    leaders = "The impact of leaders on social work practice with children and families"
    assert kinds[1] == ("table_row", f"{leaders}\tGood")
    assert kinds[2] == ("table_row", "Overall effectiveness\tRequires improvement to be good")
    assert kinds[3][0] == "text"


def test_footnotes_and_their_markers_are_dropped():
    pages = _report_pages(3)
    pages[0].line("Review of the effectiveness of the Board1", bold=True, sup=(40,))
    pages[0].line("The local authority has made progress since the last", gap=10)
    pages[0].line("inspection and its leaders know the")
    pages[0].line("1", size=6, gap=40)
    pages[0].line("Ofsted produces this report under its power to combine reports.", size=10)
    pages[1].line("weaknesses well.")
    pages[2].line("Another page.")
    doc = clean_pdf("d", "x.pdf", layout(*pages))
    assert "Review of the effectiveness of the Board\n" in doc.text
    assert "Ofsted produces this report" not in doc.text
    # the paragraph cut by the footnote and the page break is one paragraph
    assert "since the last inspection and its leaders know the weaknesses well." in doc.text


def test_contents_appendix_and_back_page_are_dropped():
    pages = _report_pages(4)
    pages[0].line("Contents", bold=True, size=17)
    pages[0].line("Executive summary 2", gap=8)
    pages[0].line("Recommendations 3", gap=8)
    pages[0].line("What the inspection judgements mean: the local authority 3", gap=8)
    pages[0].line("Section 2: The effectiveness of the LSCB 4", bold=True, gap=8)
    pages[1].line("Executive summary", bold=True, size=17)
    pages[1].line("Services are good.", gap=10)
    pages[2].line("Information about this inspection", bold=True, size=17)
    pages[2].line("Inspectors have looked closely at the experiences of children.", gap=10)
    pages[2].line("The inspection team", bold=True, gap=12)
    pages[2].line("Lead inspector: Ann Example", gap=8)
    pages[3].line("Any complaints about the inspection or the report should be made following the", gap=10)
    pages[3].line("procedures set out in the guidance.")
    pages[3].line("© Crown copyright 2016", gap=10)
    text = clean_pdf("d", "x.pdf", layout(*pages)).text
    assert "Contents" not in text and "Recommendations 3" not in text and "LSCB 4" not in text
    assert "Services are good." in text
    assert "Inspectors have looked closely" not in text
    assert "The inspection team\n\nLead inspector: Ann Example" in text
    assert "complaints" not in text and "Crown copyright" not in text


def test_pdfium_hyphen_and_slash_at_line_end():
    p = Page(1)
    p.line("A multi\ufffeagency team works with the safeguarding arrangements/")
    p.line("arrangements for the protection of children.")
    (block,) = pdf_layout_blocks(layout(p))
    assert block.text == (
        "A multi-agency team works with the safeguarding arrangements/arrangements for the protection "
        "of children."
    )


def test_inspectors_named_inside_the_appendix_stay():
    pages = _report_pages(3)
    for _ in range(3):  # a page of body text, as a report has
        pages[0].line("Social workers visit children regularly and they know them well; their", gap=10)
        pages[0].line("records are up to date and managers oversee their work closely.")
    pages[1].line("Information about this inspection", bold=True, size=17)
    pages[1].line("Inspectors considered the quality of work.", gap=10)
    pages[1].line("Lead inspector: Ann Example", gap=8)
    pages[1].line("Deputy lead inspector: Bob Sample", gap=8)
    pages[2].line("Last page.")
    text = clean_pdf("d", "x.pdf", layout(*pages)).text
    assert "Inspectors considered" not in text
    assert "Lead inspector: Ann Example\n\nDeputy lead inspector: Bob Sample" in text


def test_margin_lines_and_those_that_repeat():
    pages = _report_pages(4)
    for p in pages:
        p.line(f"Page {p.number} says something.", gap=10)
    margins = [_margin_lines(p.lines, H) for p in pages]
    header, footer = "inspection of anytown local authority children’s services", "# to # may # #"
    assert margins[0] == []
    assert margins[1] == [(0, header), (1, footer)]  # (index on the page, margin key)
    assert _repeated_margin_lines(margins) == {header, footer}
    assert _repeated_margin_lines(margins[:1]) == set()  # one page: nothing repeats


def test_body_size_counts_characters_by_rounded_size():
    p = Page(1)
    p.line("x" * 10, size=10.0)
    p.line("y" * 6, size=14.04)
    p.line("z" * 4, size=13.96)
    assert _body_size(layout(p)) == 10.0  # 10 characters each: the size met first wins
    p.line("w", size=14.0)
    assert _body_size(layout(p)) == 14.0
    assert _body_size(layout(Page(1))) == 12.0  # no text
