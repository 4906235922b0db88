"""Each rule on small inputs: exactly which problems, where, at what level."""

from __future__ import annotations

import gc
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tplsync.lint.linter import lint, settings
from tplsync.model import Template
from tplsync.placeholders import Syntax
from tplsync.templates import LoadedFile, load_file

HEAD = "name: t\ntype: notification\n"


def problems(
    tmp_path: Path,
    *texts: str,
    rules: dict[str, Any] | None = None,
    syntax: Syntax = Syntax.MUSTACHE,
    signatures: dict[int, str] | None = None,
) -> list[tuple[str, str, str, int, int]]:
    loaded = []
    for index, text in enumerate(texts):
        path = tmp_path / f"f{index}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        loaded.append(load_file(path, path.name))
    report = lint(loaded, settings(rules or {}, syntax, signatures))
    return [
        (p.position.path, p.rule, p.level.value, p.position.line, p.position.column)
        for p in report.problems
    ]


CASES: list[tuple[str, str, list[tuple[str, str, int, int]]]] = [
    ("clean", HEAD + 'content: "Hi {{name}}."\n', []),
    (
        "name-length",
        "name: " + "n" * 65 + "\ntype: marketing\ncontent: Hi\n",
        [("name-length", "error", 1, 1)],
    ),
    ("name at limit", "name: " + "n" * 64 + "\ntype: marketing\ncontent: Hi\n", []),
    (
        "content-length",
        HEAD + "content: " + "x" * 513 + "\n",
        [("content-length", "error", 3, 522), ("segments", "warning", 3, 1)],
    ),
    ("content at limit", HEAD + "content: " + "x y " * 100 + "\n", []),
    (
        "forbidden-characters",
        HEAD + 'content: "a [b] 【c】"\n',
        [
            ("forbidden-characters", "error", 3, 13),
            ("forbidden-characters", "error", 3, 15),
            ("forbidden-characters", "error", 3, 17),
            ("forbidden-characters", "error", 3, 19),
            ("encoding", "warning", 3, 17),
            ("encoding", "warning", 3, 19),
        ],
    ),
    ("forbidden word", HEAD + "content: TEST run\n", [("forbidden-words", "error", 3, 10)]),
    (
        "forbidden word next to CJK",
        HEAD + "content: 这是test短信\n",
        [("forbidden-words", "error", 3, 12)],
    ),
    (
        "forbidden word inside",
        HEAD + "content: Our latest news\n",
        [("forbidden-words", "warning", 3, 16)],
    ),
    ("forbidden 测试", HEAD + "content: 测试短信\n", [("forbidden-words", "error", 3, 10)]),
    (
        "placeholder spaces",
        HEAD + 'content: "Hi {{ name }}"\n',
        [("placeholder-syntax", "error", 3, 14)],
    ),
    (
        "sample missing value",
        HEAD + 'content: "{{a}} {{b}}"\nsamples:\n  - params: {a: x}\n',
        [("sample-coverage", "error", 5, 5)],
    ),
    (
        "sample unused param",
        HEAD + 'content: "{{a}}"\nsamples:\n  - params: {a: x, b: y}\n',
        [("sample-coverage", "warning", 5, 20)],
    ),
    (
        "sample expect",
        HEAD + 'content: "{{a}}!"\nsamples:\n  - params: {a: x}\n    expect: x\n',
        [("sample-coverage", "error", 6, 5)],
    ),
    (
        "expect matches",
        HEAD + 'content: "{{a}}!"\nsamples:\n  - params: {a: x}\n    expect: x!\n',
        [],
    ),
    (
        "encoding",
        HEAD + 'content: "It’s done…"\n',
        [("encoding", "warning", 3, 13), ("encoding", "warning", 3, 20)],
    ),
    ("encoding by nature", HEAD + 'content: "您好，世界"\n', []),
    ("segments", HEAD + "content: " + "word " * 100 + "end\n", [("segments", "warning", 3, 1)]),
    (
        "verification-variable",
        "name: t\ntype: verification\ncontent: Code 1234\n",
        [("verification-variable", "error", 3, 1)],
    ),
    (
        "whitespace",
        HEAD + 'content: " Hi  there "\n',
        [
            ("whitespace", "warning", 3, 11),
            ("whitespace", "warning", 3, 14),
            ("whitespace", "warning", 3, 21),
        ],
    ),
    (
        "disable on first line",
        "# tplsync: disable=forbidden-words, whitespace\n" + HEAD + "content: ' test '\n",
        [],
    ),
    ("disable on content line", HEAD + "content: test # tplsync: disable=forbidden-words\n", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule(tmp_path: Path, text: str, expected: list[tuple[str, str, int, int]]) -> None:
    found = [(rule, level, line, col) for _, rule, level, line, col in problems(tmp_path, text)]
    assert found == sorted(expected, key=lambda p: (p[2], p[3], p[0]))


def test_duplicate_name_across_files_reports_both_places(tmp_path: Path) -> None:
    first = HEAD + "content: Hi\n"
    second = "# again\n" + HEAD + "content: Hello\n"
    assert problems(tmp_path, first, second) == [
        ("f0.yaml", "duplicate-name", "error", 1, 1),
        ("f1.yaml", "duplicate-name", "error", 2, 1),
    ]


def test_renamed_from_claims(tmp_path: Path) -> None:
    text = (
        HEAD + "content: Hi\n---\nname: u\ntype: marketing\ncontent: Hi\nrenamed_from: [t]\n"
        "---\nname: v\ntype: marketing\ncontent: Hi\nrenamed_from: [old]\n"
        "---\nname: w\ntype: marketing\ncontent: Hi\nrenamed_from: [old]\n"
    )
    assert problems(tmp_path, text) == [
        ("f0.yaml", "duplicate-name", "error", 8, 16),
        ("f0.yaml", "duplicate-name", "error", 18, 16),
    ]


def test_levels_and_options_come_from_config(tmp_path: Path) -> None:
    text = HEAD + 'content: "It’s the latest  "\n'
    rules = {
        "encoding": {"level": "error"},
        "whitespace": {"level": "off"},
        "forbidden-words": {"inside_word_level": "error"},
    }
    assert [(r, lvl) for _, r, lvl, _, _ in problems(tmp_path, text, rules=rules)] == [
        ("encoding", "error"),
        ("forbidden-words", "error"),
    ]


def test_segments_include_the_configured_signature(tmp_path: Path) -> None:
    text = HEAD + "signature: {id: 9}\ncontent: " + "x" * 150 + "\n"
    assert problems(tmp_path, text, rules={"segments": {"max_segments": 1}}) == []
    found = problems(
        tmp_path,
        text,
        rules={"segments": {"max_segments": 1}},
        signatures={9: "Acme Corporation: "},
    )
    assert [rule for _, rule, *_ in found] == ["segments"]


def test_signature_text_forcing_ucs2_is_reported(tmp_path: Path) -> None:
    text = HEAD + "signature: {id: 9, position: suffix}\ncontent: Hi\n"
    found = problems(tmp_path, text, signatures={9: " — Acme"})
    assert found == [("f0.yaml", "encoding", "warning", 3, 1)]


def test_other_syntaxes(tmp_path: Path) -> None:
    text = "name: t\ntype: verification\ncontent: 'Code %code% for {{user}}'\n"
    assert [r for _, r, *_ in problems(tmp_path, text, syntax=Syntax.PERCENT)] == [
        "placeholder-syntax"
    ]
    assert [r for _, r, *_ in problems(tmp_path, text, syntax=Syntax.MUSTACHE)] == [
        "placeholder-syntax"
    ]
    brace = "name: t\ntype: verification\ncontent: 'Code {code}'\n"
    assert problems(tmp_path, brace, syntax=Syntax.BRACE) == []
    assert [r for _, r, *_ in problems(tmp_path, brace)] == [
        "verification-variable",
        "placeholder-syntax",
    ]


def test_lint_lets_go_of_each_file_once_checked(tmp_path: Path) -> None:
    """Lint memory stays bounded: a file's templates are freed once the next
    file is checked, while cross-file rules still see every name."""
    for index in range(3):
        body = f"name: t{index}\ntype: notification\ncontent: Hi\n"
        (tmp_path / f"f{index}.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "f3.yaml").write_text(HEAD + "content: Hi\n", encoding="utf-8")
    (tmp_path / "f4.yaml").write_text(HEAD + "content: Hi\n", encoding="utf-8")

    def alive() -> int:
        return sum(1 for thing in gc.get_objects() if isinstance(thing, Template))

    before = alive()
    held = []

    def files() -> Iterator[LoadedFile]:
        for path in sorted(tmp_path.glob("*.yaml")):
            held.append(alive() - before)
            yield load_file(path, path.name)

    report = lint(files(), settings({}))
    assert held == [0, 1, 1, 1, 1]  # only the template in hand
    assert report.files == 5
    assert [(p.position.path, p.rule) for p in report.problems] == [
        ("f3.yaml", "duplicate-name"),
        ("f4.yaml", "duplicate-name"),
    ]
