"""The phrase matcher: the same matches as one regex of every cue phrase, found faster."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_findings.extract.phrases import (
    PhraseMatcher,
    capturing_groups,
    literal_prefixes,
    priority,
    trie_pattern,
)
from ofsted_findings.extract.polarity import _polarity_fragments, _polarity_matcher
from ofsted_findings.extract.themes import _theme_fragments, _theme_matcher
from tests.conftest import RAW


def _one_regex(fragments):
    """The definition PhraseMatcher must agree with: every fragment in one regex, in priority
    order, at a phrase start and not followed by a word character."""
    items = sorted(fragments, key=lambda f: priority(f[0]))
    regex = "|".join(f"({f})" for f, _ in items)
    return re.compile(rf"(?<![\w'’])(?:{regex})(?![\w])"), [tag for _, tag in items]


_MATCHERS = [
    (_one_regex(_theme_fragments()), _theme_matcher()),
    (_one_regex(_polarity_fragments()), _polarity_matcher()),
]


def _assert_matchers_agree(text: str) -> None:
    low = text.lower()
    for (regex, tags), matcher in _MATCHERS:
        want = [(m.start(), m.end(), tags[m.lastindex - 1]) for m in regex.finditer(low)]
        assert matcher.find(low) == want


def test_phrase_matcher_finds_what_one_regex_finds():
    for path in sorted(RAW.glob("*")):
        if path.suffix in (".txt", ".md"):
            for line in path.read_text(encoding="utf-8").splitlines():
                _assert_matchers_agree(line)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.sampled_from([f for f, _ in _theme_fragments() + _polarity_fragments()]).flatmap(
                    lambda fragment: st.from_regex(fragment, fullmatch=True)
                ),
                st.sampled_from(["the", "not", "'", "’", "child's", "well-being", "however", "İ"]),
                st.text(max_size=6),
            ),
            st.sampled_from([" ", "", "-", ", ", ". ", "  ", "(", "'", "\n"]),
        ),
        max_size=10,
    ).map(lambda parts: "".join(a + b for a, b in parts))
)
def test_phrase_matcher_finds_what_one_regex_finds_in_generated_text(text):
    _assert_matchers_agree(text)


@pytest.mark.parametrize(
    ("fragment", "length", "expected"),
    [
        ("care leavers?", 4, {"care"}),
        ("gps?", 4, {"gp", "gps"}),
        ("assess\\w*", 8, {"assess"}),
        ("information[- ]sharing", 12, {"information-", "information "}),
        ("(?:initial |review )?(?:child protection )?case conferences?", 4,
         {"init", "revi", "chil", "case"}),
        ("work(?:s|ed|ing)? hard", 6, {"work h", "works", "worked", "workin"}),  # a repeat ends it
        ("(?<!not )good", 4, {"good"}),
        ("\\w+ plans?", 4, {""}),  # may begin anywhere
        ("[a-z]+ing", 4, {""}),  # a class too large to spell out
    ],
)
def test_literal_prefixes(fragment, length, expected):
    assert literal_prefixes(fragment, length) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from([f for f, _ in _theme_fragments() + _polarity_fragments()]).flatmap(
    lambda fragment: st.tuples(st.just(fragment), st.from_regex(fragment, fullmatch=True))
))
def test_every_match_begins_with_one_of_its_prefixes(pair):
    fragment, text = pair
    assert any(text.startswith(p) for p in literal_prefixes(fragment))


def test_trie_pattern_matches_exactly_its_words():
    words = ["care", "case", "ca", "no", "gp", "gps", "c.a"]
    regex = re.compile(trie_pattern(words))
    for w in words:
        assert regex.fullmatch(w)
    for other in ["c", "cas", "car", "n", "gpx", "cxa", ""]:
        assert not regex.fullmatch(other)


def test_matcher_keeps_priority_and_whole_words():
    matcher = PhraseMatcher([("child", "a"), ("child protection", "b"), ("protect\\w*", "c")])
    assert matcher.find("child protection plans") == [(0, 16, "b")]
    assert matcher.find("childhood protections") == [(10, 21, "c")]
    with pytest.raises(ValueError, match="capturing group"):
        PhraseMatcher([("(care) leavers", "x")])


def test_matcher_finds_phrases_at_the_start_and_right_after_one_another():
    """The scan finds a phrase by the character before it: the text's very start has none, and
    the character may be the last one of the phrase before."""
    fragments = [("no\\.", "a"), ("good", "b"), ("-x", "c"), ("x", "d"), ("(?<!not )well", "e"),
                 ("\\w+ plans?", "f"), ("gps?", "g")]  # fmt: skip
    matcher = PhraseMatcher(fragments)
    regex, tags = _one_regex(fragments)
    for text in ["no.good", "good", "no.no.", "-x-x", "a-x", " -x", "no.-x", "x-x", "", "x", "'good",
                 "not well, well", "well", "care plans and gp", "gps; gp's (gp)", "éwell ωgood",
                 "–good\u00a0good", "Good xgood _good 1good", "child’s good"]:  # fmt: skip
        want = [(m.start(), m.end(), tags[m.lastindex - 1]) for m in regex.finditer(text)]
        assert matcher.find(text) == want, text


def test_capturing_groups_counts_as_re_compile_does():
    for fragment in ["care leavers?", "(?:a|b)(?=c)(?<!d)", "(a)(?P<x>b)", "((a))", "\\(x\\)"]:
        assert capturing_groups(fragment) == re.compile(fragment).groups
    with pytest.raises(re.error):
        capturing_groups("(")
