"""Declared variables in lint: located errors, the worst-case rule."""

from __future__ import annotations

from pathlib import Path

from tests.lint.test_rules import HEAD, problems


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
