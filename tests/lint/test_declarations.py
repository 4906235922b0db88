"""Declared variables in lint: located errors, the worst-case rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.lint.test_rules import HEAD, problems
from tplsync.templates import load_file


def test_unused_declarations_and_bad_values_are_located(tmp_path: Path) -> None:
    text = HEAD + (
        'content: "Code {{code}} for {{link}}"\n'
        "variables:\n"
        '  code: {pattern: "[0-9]{6}"}\n'
        "  link: {max_length: 12, charset: gsm7, example: https://acme.example/t}\n"
        "  spare: {max_length: 3}\n"
        "samples:\n"
        '  - params: {code: "12345a", link: "x/ĳ"}\n'
        "  - params: {code: 123456, link: abc}\n"
    )
    found = [p for p in problems(tmp_path, text) if p[1] == "variable-declarations"]
    assert found == [
        ("f0.yaml", "variable-declarations", "error", 6, 62),  # example: 13th character
        ("f0.yaml", "variable-declarations", "error", 7, 3),  # spare is never used
        ("f0.yaml", "variable-declarations", "error", 9, 21),  # the value, not its key
        ("f0.yaml", "variable-declarations", "error", 9, 39),  # ĳ is not GSM-7
    ]


def test_require_declarations(tmp_path: Path) -> None:
    text = HEAD + 'content: "Hi {{name}}, {{code}}"\nvariables:\n  code: {max_length: 4}\n'
    rules = {"variable-declarations": {"require_declarations": True}}
    assert problems(tmp_path, text) == []
    assert problems(tmp_path, text, rules=rules) == [
        ("f0.yaml", "variable-declarations", "error", 3, 14)
    ]


def test_contradictory_declarations_are_schema_errors(tmp_path: Path) -> None:
    text = HEAD + (
        'content: "{{a}} {{b}}"\nvariables:\n'
        '  a: {pattern: "[0-9"}\n'
        "  b: {min_length: 5, max_length: 2, charset: ascii}\n"
    )
    assert problems(tmp_path, text) == [("f0.yaml", "schema", "error", 6, 37)]
    fixed = text.replace(", charset: ascii", "")
    assert problems(tmp_path, fixed) == [
        ("f0.yaml", "schema", "error", 5, 7),
        ("f0.yaml", "schema", "error", 6, 7),
    ]


def test_worst_case_segments(tmp_path: Path) -> None:
    long_name = HEAD + 'content: "Hi {{name}}"\nvariables:\n  name: {max_length: 200}\n'
    assert problems(tmp_path, long_name) == [
        ("f0.yaml", "worst-case-segments", "warning", 5, 3),  # 7 UCS-2 segments
        ("f0.yaml", "worst-case-segments", "warning", 5, 3),  # can force UCS-2
    ]
    gsm7 = long_name.replace("{max_length: 200}", "{max_length: 20, charset: gsm7}")
    assert problems(tmp_path, gsm7) == []
    unicode = gsm7.replace(", charset: gsm7", ", charset: unicode")
    assert problems(tmp_path, unicode) == [("f0.yaml", "worst-case-segments", "warning", 5, 26)]
    unbounded = gsm7.replace("max_length: 20, ", "")
    assert problems(tmp_path, unbounded) == [("f0.yaml", "worst-case-segments", "warning", 5, 3)]
    rules = {"worst-case-segments": {"max_segments": 7}}
    assert problems(tmp_path, long_name, rules=rules) == [
        ("f0.yaml", "worst-case-segments", "warning", 5, 3)
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(a+)+$", "matching could take too long"),  # exponential backtracking
        ("(a|a){40}", "matching could take too long"),
        ("[0-9]*[0-9]*[0-9]*x", "matching could take too long"),  # cubic, no max_length
        ("a{1000000000}", "allows values longer than 1000 characters"),
        ("((a{1000}){1000}){1000}", "allows values longer than 1000 characters"),
        ("(" * 60 + "a" + ")" * 60, "groups are nested more than 50 deep"),
        ("(" * 600 + "a" + ")" * 600, "invalid regular expression: nested too deeply"),
    ],
)
def test_patterns_too_costly_to_match_or_analyse_are_schema_errors(
    tmp_path: Path, pattern: str, message: str
) -> None:
    text = HEAD + (
        'content: "Code {{code}}"\nvariables:\n'
        f"  code: {{pattern: '{pattern}'}}\n"
        "samples:\n"
        f"  - params: {{code: {'a' * 40}b}}\n"
    )
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_file(path, "t.yaml")
    assert loaded.templates == ()
    [problem] = loaded.problems
    assert (problem.position.line, problem.position.column, problem.rule) == (5, 10, "schema")
    assert f"variables.code.pattern: {message}" in problem.message


def test_a_max_length_bounds_the_matching_a_pattern_may_try(tmp_path: Path) -> None:
    text = HEAD + (
        'content: "Code {{code}}"\nvariables:\n'
        "  code: {pattern: '[0-9]*[0-9]*[0-9]*x', max_length: 40, charset: gsm7}\n"
        "samples:\n"
        f"  - params: {{code: '{'0' * 39}y'}}\n"
    )
    assert problems(tmp_path, text) == [("f0.yaml", "variable-declarations", "error", 7, 21)]


def test_lengths_are_bounded(tmp_path: Path) -> None:
    text = HEAD + 'content: "{{a}}"\nvariables:\n  a: {max_length: 1000000000}\n'
    assert problems(tmp_path, text) == [("f0.yaml", "schema", "error", 5, 7)]
    most = text.replace("1000000000", "1000, charset: gsm7")  # 2,000 septets: 14 segments
    assert problems(tmp_path, most) == [("f0.yaml", "worst-case-segments", "warning", 5, 3)]


@pytest.mark.filterwarnings("error::FutureWarning")  # as a user would see it
def test_a_pattern_re_warns_about_is_checked_quietly(project: Callable[..., Path]) -> None:
    project(
        **{
            "tplsync.yaml": "templates: .\n",
            "t.yaml": HEAD
            + 'content: "{{a}}"\nvariables:\n  a: {pattern: "[[a]{2}", charset: gsm7}\n'
            + "samples:\n  - params: {a: '[['}\n  - params: {a: b}\n",
        }
    )
    run = invoke("lint")
    assert run.exit_code == 1
    assert run.stderr == ""
    assert run.stdout.startswith("t.yaml:8:17: error variable-declarations sample 2: 'a' value 'b'")
