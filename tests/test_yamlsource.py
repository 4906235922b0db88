from __future__ import annotations

import pytest
import yaml

from tplsync.model import Position
from tplsync.yamlsource import MAX_DEPTH, YamlError, load_documents


def test_positions_of_keys_and_items_across_documents() -> None:
    text = "name: a\nsamples:\n  - params: {code: 1}\n---\n\nname: b\n"
    first, second = load_documents(text, "f.yaml")
    assert first.position(("name",)) == Position("f.yaml", 1, 1)
    assert first.position(("samples", 0)) == Position("f.yaml", 3, 5)
    assert first.position(("samples", 0, "params", "code")) == Position("f.yaml", 3, 14)
    assert first.position(("samples", 0, "params", "missing")) == Position("f.yaml", 3, 5)
    assert second.start == Position("f.yaml", 6, 1)


def test_empty_documents_are_skipped() -> None:
    assert [d.data for d in load_documents("---\n---\na: 1\n---\n", "f")] == [{"a": 1}]


def test_keys_are_taken_as_written_and_verbatim_scalars_keep_their_text() -> None:
    text = "on: yes\nparams: {code: 0123, flag: true, n: 1.50}\n"
    [document] = load_documents(text, "f", verbatim=lambda path: path[:1] == ("params",))
    assert document.data == {"on": True, "params": {"code": "0123", "flag": "true", "n": "1.50"}}


def test_duplicate_keys_are_reported_with_both_places() -> None:
    [document] = load_documents("a: 1\nb: 2\na: 3\n", "f")
    assert document.duplicate_keys == ((Position("f", 3, 1), "a", Position("f", 1, 1)),)


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("a: [\n", (2, 1), "did not find expected node content"),
        ('a: "x\n', (2, 1), "starts at line 1, column 4"),
        ("a:\n\t- b\n", (2, 1), "tabs cannot indent"),
        ("a: !!python/object/apply:os.system [ls]\n", (1, 4), "not allowed"),
        ("a: !!python/name:os.system x\n", (1, 4), "not allowed"),
        ("a: !custom x\n", (1, 4), "not allowed"),
        ("<<: {a: 1}\n", (1, 1), "merge keys"),
        ("? [a]\n: b\n", (1, 3), "plain string"),
        ("a: b\x00\n", (1, 5), "not allowed in YAML"),
        ("a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2), (1, MAX_DEPTH + 4), "nesting"),
    ],
)
def test_unsafe_or_broken_yaml_fails_with_a_position(
    text: str, position: tuple[int, int], fragment: str
) -> None:
    with pytest.raises(YamlError) as caught:
        list(load_documents(text, "f"))
    assert (caught.value.position.line, caught.value.position.column) == position
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


def test_alias_bomb_fails_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    with pytest.raises(YamlError, match="more than 50000 nodes"):
        list(load_documents("\n".join(lines), "bomb.yaml"))


def test_aliases_within_the_budget_are_expanded() -> None:
    [document] = load_documents("base: &b {x: 1}\ncopy: *b\n", "f")
    assert document.data == {"base": {"x": 1}, "copy": {"x": 1}}


@pytest.mark.parametrize(
    ("text", "index", "position"),
    [
        ('c: "ab[c"\n', 2, (1, 7)),
        ("c: ab[c\n", 2, (1, 6)),
        ("c: 'it''s [x'\n", 5, (1, 11)),
        ('c: "\\u2019 and [x"\n', 6, (1, 16)),
        ("c: |\n  line one\n  two [x\n", 13, (3, 7)),
        ("c: >-\n  folded\n  text [x\n", 12, (3, 8)),
        ('c: "two\n  lines [x"\n', 10, (2, 9)),
    ],
)
def test_content_locator_maps_value_index_to_file_position(
    text: str, index: int, position: tuple[int, int]
) -> None:
    [document] = load_documents(text, "f", located=frozenset({("c",)}))
    value = document.data["c"]
    locator = document.source.locator(("c",))
    assert locator is not None
    found = locator.position(value, index)
    assert (found.line, found.column) == position
    assert value[index] == "["


SCALARS = [
    "1",
    "-2",
    "0o17",
    "0x1F",
    "1_000",
    "1.5",
    "-.inf",
    ".nan",
    "1e3",
    "true",
    "False",
    "yes",
    "NO",
    "on",
    "off",
    "~",
    "null",
    "",
    "2024-01-31",
    "2024-01-31T10:00:00Z",
    "'quoted 1'",
    '"2"',
    "plain text",
    "12:30",
    "0123",
    "+1",
    ".5",
    "<<x",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_resolve_exactly_like_pyyaml_safe_load(scalar: str) -> None:
    text = f"value: {scalar}\nitems: [{scalar or 'x'}]\n"
    [document] = load_documents(text, "f")
    expected = yaml.safe_load(text)
    assert repr(document.data) == repr(expected)


def test_a_bare_equals_sign_is_a_string() -> None:
    [document] = load_documents("value: =\n", "f")
    assert document.data == {"value": "="}
