"""The worst case is exact: no valid value costs more, and one reaches it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tplsync.model import Signature, SignaturePosition, Template, TemplateType
from tplsync.placeholders import Syntax, render
from tplsync.preview import signed
from tplsync.segments import GSM7_BASIC, GSM7_EXTENSION, Encoding, analyse
from tplsync.variables import EMPTY, Alphabet, Charset, Declaration
from tplsync.worstcase import bounds, surely_within

SIGNATURES = {1: "[Acme] ", 2: " —Acme"}
PATTERNS = ["[0-9]{6}", "[A-Z]{2}-[0-9]{1,4}", "(yes|no)", "[a-f0-9]{8,32}", "[€^]{0,20}"]
CHARS = st.sampled_from([*sorted(GSM7_BASIC | GSM7_EXTENSION), "ë", "é", "中", "😀", "–"])


@st.composite
def declaration(draw: st.DrawFn, name: str) -> Declaration:
    if draw(st.booleans()):
        return Declaration(name, pattern=draw(st.sampled_from(PATTERNS)))
    high = draw(st.integers(0, 120))
    return Declaration(
        name,
        charset=draw(st.sampled_from(list(Charset))),
        min_length=draw(st.integers(0, high)),
        max_length=high,
    )


@st.composite
def template(draw: st.DrawFn) -> Template:
    names = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    pieces = [draw(st.text(CHARS, max_size=40))]
    for name in names + draw(st.lists(st.sampled_from(names), max_size=2)):
        pieces += ["{{" + name + "}}", draw(st.text(CHARS, max_size=40))]
    signature = draw(
        st.sampled_from([None, Signature(1), Signature(2, SignaturePosition.SUFFIX), Signature(3)])
    )
    return Template(
        name="t",
        type=TemplateType.NOTIFICATION,
        content="".join(pieces),
        signature=signature,
        variables=tuple(draw(declaration(name)) for name in names),
    )


def valid_value(draw: Callable[[st.SearchStrategy[str]], str], declared: Declaration) -> str:
    if declared.pattern is not None:
        return draw(st.from_regex(declared.pattern, fullmatch=True))
    alphabet = {
        Charset.GSM7_BASIC: st.sampled_from(sorted(GSM7_BASIC)),
        Charset.GSM7: st.sampled_from(sorted(GSM7_BASIC | GSM7_EXTENSION)),
        Charset.UNICODE: st.characters(codec="utf-8"),
    }[declared.charset]
    return draw(st.text(alphabet, min_size=declared.min_length, max_size=declared.max_length))


def segments(found: Template, values: Mapping[str, str]) -> int:
    text = signed(found.signature, render(found.content, values, Syntax.MUSTACHE), SIGNATURES)
    return analyse(text).segments


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_no_valid_value_costs_more_and_the_worst_is_reached(data: st.DataObject) -> None:
    found = data.draw(template())
    result = bounds(found, Syntax.MUSTACHE, SIGNATURES)
    assert result.worst is not None and result.best is not None
    assert result.worst.exact and result.best.exact
    for declared in found.variables:
        assert declared.accepts(result.worst.values[declared.name])
    assert segments(found, result.worst.values) == result.worst.analysis.segments
    limit = data.draw(st.integers(1, 3))
    if surely_within(found, Syntax.MUSTACHE, SIGNATURES, limit):
        assert result.worst.analysis.segments <= limit
    values = {d.name: valid_value(data.draw, d) for d in found.variables}
    assert all(d.accepts(values[d.name]) for d in found.variables)
    cost = segments(found, values)
    assert result.best.analysis.segments <= cost <= result.worst.analysis.segments


def declared(content: str, *declarations: Declaration) -> Template:
    return Template("t", TemplateType.NOTIFICATION, content, variables=declarations)


@pytest.mark.parametrize(
    ("declaration", "encoding", "units", "segments"),
    [
        # 3 fixed septets + 20 extension characters of 2 septets
        (Declaration("n", Charset.GSM7, max_length=20), Encoding.GSM7, 43, 1),
        (Declaration("n", Charset.GSM7_BASIC, max_length=20), Encoding.GSM7, 23, 1),
        # 3 units + 20 characters outside the BMP of 2 UTF-16 units
        (Declaration("n", max_length=20), Encoding.UCS2, 43, 1),
        (Declaration("n", max_length=40), Encoding.UCS2, 83, 2),
        (Declaration("n", pattern="[0-9]{6}"), Encoding.GSM7, 9, 1),
        # \d matches every script's digits, so it can force UCS-2
        (Declaration("n", pattern=r"\d{6}"), Encoding.UCS2, 15, 1),
        (Declaration("n", Charset.GSM7, max_length=79), Encoding.GSM7, 161, 2),
    ],
)
def test_worst_case_figures(
    declaration: Declaration, encoding: Encoding, units: int, segments: int
) -> None:
    worst = bounds(declared("Hi {{n}}", declaration), Syntax.MUSTACHE, {}).worst
    assert worst is not None
    assert (worst.analysis.encoding, worst.analysis.units, worst.analysis.segments) == (
        encoding,
        units,
        segments,
    )


def test_a_branch_is_chosen_by_cost_not_length() -> None:
    result = bounds(declared("{{a}}", Declaration("a", pattern="€€|aaa")), Syntax.MUSTACHE, {})
    assert result.worst is not None and result.worst.exact
    assert (result.worst.values, result.worst.analysis.units) == ({"a": "€€"}, 4)


def test_unbounded_undeclared_and_forcing_variables_are_named() -> None:
    result = bounds(declared("{{a}} {{b}}", Declaration("a", Charset.GSM7)), Syntax.MUSTACHE, {})
    assert (result.worst, result.undeclared) == (None, ("b",))
    result = bounds(
        declared("{{a}} {{b}}", Declaration("a", Charset.GSM7), Declaration("b", max_length=3)),
        Syntax.MUSTACHE,
        {},
    )
    assert (result.worst, result.unbounded, result.forcing) == (None, ("a",), ("b",))
    assert result.describe_worst() == "unbounded (a has no maximum length)"


def test_a_pattern_too_complex_to_follow_is_an_upper_bound() -> None:
    # cut to 3 characters, the pattern is only followed as an alphabet: "€€€"
    cut = Declaration("a", max_length=3, pattern="a€{0,5}")
    result = bounds(declared("{{a}}", cut), Syntax.MUSTACHE, {})
    assert result.worst is not None and not result.worst.exact
    assert result.worst.describe().startswith("at most ")


RANGES = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=8)


@given(RANGES, RANGES)
def test_alphabets_behave_as_sets_of_characters(
    left: list[tuple[int, int]], right: list[tuple[int, int]]
) -> None:
    def alphabet(ranges: list[tuple[int, int]]) -> tuple[Alphabet, set[str]]:
        found = EMPTY
        for low, width in ranges:
            found = found.union(Alphabet(((low, low + width),)))
        return found, {chr(p) for low, width in ranges for p in range(low, low + width + 1)}

    (a, a_chars), (b, b_chars) = alphabet(left), alphabet(right)
    assert set(a.intersect(b).chars()) == a_chars & b_chars
    assert set(a.union(b).chars()) == a_chars | b_chars
    assert {chr(p) for p in range(80) if chr(p) in a} == a_chars
