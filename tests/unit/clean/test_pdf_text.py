from ofsted_findings.clean import clean_text
from ofsted_findings.clean.pdf_text import pdf_text_blocks

# Real excerpts of the 2016 monitoring letter: every wrapped line is followed by an empty
# line, and a line holding only spaces ends the paragraph.
DOUBLE_SPACED = (
    "Social work caseloads are manageable in the court \n\nteam, ranging from between eight "
    "and 12 cases, which appropriately reflects the \n\ncomplex nature of the work. \n\n \n\n"
    "The development and implementation of a public law outline tracker has resulted in \n\n"
    "robust and timely management oversight of court cases. \n\n \n\n"
) * 4


def test_double_spaced_lines_are_rejoined_into_paragraphs():
    blocks = pdf_text_blocks(DOUBLE_SPACED)
    assert blocks[0].text == (
        "Social work caseloads are manageable in the court team, ranging from between eight and "
        "12 cases, which appropriately reflects the complex nature of the work."
    )
    assert len(blocks) == 8


def test_page_separator_inside_a_sentence_is_joined():
    text = (
        "23. Children's care plans are regularly reviewed. Contact is\n-\n\n"
        "carefully reviewed to ensure that it remains child-centred.\n\n24. Too many children remain."
    )
    blocks = pdf_text_blocks(text)
    assert [b.number for b in blocks] == [23, 24]
    assert "Contact is carefully reviewed" in blocks[0].text


def test_bullet_glyphs_and_hyphenation():
    blocks = pdf_text_blocks("\uf0b7 The develop\x02\nment of a pre-\nfinal evidence meeting.\n")
    assert blocks[0].kind == "item"
    assert blocks[0].text == "The development of a pre-final evidence meeting."


def test_back_page_boilerplate_and_page_numbers_are_dropped():
    text = (
        "The local authority has made progress.\n\n12\n\nThe Office for Standards in Education, "
        "Children's Services and Skills (Ofsted) regulates and inspects to achieve excellence.\n"
        "Piccadilly Gate\nStore Street\n"
    )
    doc = clean_text("d", "x.txt", "pdf_text", text)
    assert doc.text == "The local authority has made progress."


def test_page_numbers_of_blocks_follow_form_feeds():
    doc = clean_text("d", "x.pdf", "pdf", "First page text.\fSecond page text.\fThird.")
    assert doc.page_at(doc.text.index("Second")) == 2
    assert doc.page_at(doc.text.index("Third")) == 3


def test_grade_table_rows_keep_their_tab():
    doc = clean_text("d", "x.txt", "pdf_text", "Judgement\tGrade\n\nOverall effectiveness\tGood\n")
    assert "Overall effectiveness\tGood" in doc.text


def test_a_horizontal_bar_opening_a_line_is_a_bullet():
    """U+2015 marks the items of a 2016 SIF report's context list (Solihull)."""
    text = (
        "Of this number:\n\u2015 205 (or 57%) live outside the local authority area\n"
        "\u2015 20 ( or 5%) live in residential children\u2019s homes\n"
    )
    blocks = pdf_text_blocks(text)
    assert [b.kind for b in blocks[1:]] == ["item", "item"]
    assert blocks[1].text == "205 (or 57%) live outside the local authority area"
