from ofsted_findings.clean import clean_text, detect_format
from ofsted_findings.clean.markdown import strip_inline

PAGE = """Support our #Respect4SocialWork campaign today and celebrate the social work profession.
Make an Enquiry
Contact Us

Dudley makes significant progress

Significant progress has been made in many areas of children’s services in Dudley.

Knowledge & Resources

BASW raises concerns over age assessments for UASC

Age assessments of unaccompanied asylum-seeking children must be carried out by social workers [...]

Read Full Story
closechevron-downbars linkedin facebook pinterest youtube rss twitter instagram
"""


def test_web_page_keeps_the_article_only():
    assert detect_format("page.txt", PAGE) == "web_page"
    doc = clean_text("d", "page.txt", "web_page", PAGE)
    assert doc.text == (
        "Dudley makes significant progress\n\n"
        "Significant progress has been made in many areas of children’s services in Dudley."
    )


def test_comment_widget_is_removed():
    doc = clean_text(
        "d", "a.txt", "web_page", "Title here\n\nBody text.\n\nblog comments powered by Disqus\n"
    )
    assert "Disqus" not in doc.text


def test_markdown_headings_become_sections():
    md = (
        "Dear Mr Jones\n\n### **Headline findings**\n\nLeaders are strong.\n\n"
        "## **What needs to improve in this area of social work practice**\n\n"
        "- The quality of analysis. (outcome 1, national framework)\n\n## **Main findings**\n\n"
        "Early help is timely. [Read](https://example.org) more.\n"
    )
    doc = clean_text("d", "x.md", "markdown", md)
    assert [s.code for s in doc.sections] == [
        "introduction",
        "headline_findings",
        "what_needs_to_improve",
        "main_findings",
    ]
    assert "**" not in doc.text and "](" not in doc.text
    assert "Early help is timely. Read more." in doc.text


def test_strip_inline_markup():
    assert strip_inline("**Textphone** 0161 [mail](mailto:a@b.c)") == "Textphone 0161 mail"
