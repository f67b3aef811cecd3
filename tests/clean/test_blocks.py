"""Line normalisation: controls and break marks removed, odd spaces folded, tabs kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ofsted_findings.clean import patterns as P
from ofsted_findings.clean.blocks import _SPACES, normalise_line


def _every_step(line: str) -> str:
    """normalise_line without its shortcut for lines that need nothing but trimming."""
    line = P.CONTROL_CHARS.sub("", line).replace(P.PDFIUM_HYPHEN, "-")
    line = _SPACES.sub(" ", line).strip(" ")
    body, last = line[:-1], line[-1:]
    for mark in P.EXTRACTOR_HYPHEN:
        body = body.replace(mark, "")
    return body + last


def test_normalise_line_examples():
    assert normalise_line("  Children\u00a0 in care\x02") == "Children in care\x02"
    assert normalise_line("self\ufffeesteem\u200b") == "self-esteem"
    assert normalise_line("Area\tGrade ") == "Area\tGrade"
    assert normalise_line("well\u00adbeing") == "wellbeing"


@given(st.text(alphabet=st.sampled_from(
    "ab .\t\n\r\x0c\x00\x02\x1f\x7f\u00a0\u00ad\u2000\u200a\u200b\u200d\u202f\u205f\u2060\u3000\ufeff\ufffe’é"
)))
def test_shortcut_changes_nothing(line):
    assert normalise_line(line) == _every_step(line)


def test_no_character_that_needs_work_passes_as_printable():
    # the first shortcut trusts str.isprintable() to refuse every character _NEEDS_WORK lists
    from ofsted_findings.clean.blocks import _NEEDS_WORK

    listed = "".join(chr(c) for c in range(0x3100)) + "\ufeff\ufffe"
    assert not [ch for ch in listed if _NEEDS_WORK.search(ch) and ch.isprintable()]
