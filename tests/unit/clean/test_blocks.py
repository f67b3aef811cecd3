"""Line normalisation: controls and break marks removed, odd spaces folded, tabs kept; joining a
block's lines."""

from __future__ import annotations

from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from ofsted_findings.clean import patterns as P
from ofsted_findings.clean.blocks import _SPACES, join_all, join_lines, normalise_line


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


def test_join_all_examples():
    assert join_all([]) == ""
    assert join_all(["  Children "]) == "  Children "  # one line is left as it is, as folding leaves it
    assert join_all(["Children in", "care are", "safe."]) == "Children in care are safe."
    assert join_all(["self-", "esteem and", "well\x02", "being"]) == "self-esteem and wellbeing"
    assert join_all(["and/", "or", "", " \t", "x -", "y"]) == "and/or x - y"


# Lines made of the characters join_lines treats apart: spaces and tabs, break marks, "-" and "/"
# after a letter or not.
@given(st.lists(st.text(alphabet=st.sampled_from("ab .\t-/\x02\u00ad"), max_size=6), max_size=6))
def test_join_all_is_join_lines_folded(lines):
    assert join_all(lines) == (reduce(join_lines, lines) if lines else "")
