"""Lint per dialect (api.dialect): limits, characters and fields each one allows."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tplsync.lint.linter import lint, settings
from tplsync.templates import load_file

CONFIGS = "template-configs"
GOOD = """\
name: welcome
type: notification
country_codes: [US, GB]
signature: {name: Acme, position: suffix}
content: "Welcome, {{name}}."
"""


def found(tmp_path: Path, text: str, dialect: str) -> list[tuple[str, int]]:
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    report = lint([load_file(path, path.name)], settings({}, dialect=dialect))
    return [(p.rule, p.position.line) for p in report.problems]


def test_a_template_configs_file_is_clean_in_its_dialect_only(tmp_path: Path) -> None:
    assert found(tmp_path, GOOD, CONFIGS) == []
    assert found(tmp_path, GOOD, "templates") == [("dialect-fields", 3), ("dialect-fields", 4)]


def test_country_codes_are_required_and_submit_false_is_impossible(tmp_path: Path) -> None:
    text = "name: a\ntype: marketing\nsubmit: false\ncontent: Hi\n"
    assert found(tmp_path, text, CONFIGS) == [("dialect-fields", 1), ("dialect-fields", 3)]


def test_a_signature_by_id_is_refused_where_names_are_used(tmp_path: Path) -> None:
    text = "name: a\ntype: marketing\ncountry_codes: [US]\nsignature: {id: 7}\ncontent: Hi\n"
    assert found(tmp_path, text, CONFIGS) == [("dialect-fields", 4)]
    assert found(tmp_path, text.replace("country_codes: [US]\n", ""), "templates") == []


def test_names_may_be_longer_in_template_configs(tmp_path: Path) -> None:
    text = "name: " + "n" * 200 + "\ntype: marketing\ncountry_codes: [US]\ncontent: Hi\n"
    assert found(tmp_path, text, CONFIGS) == []
    assert found(tmp_path, text.replace("country_codes: [US]\n", ""), "templates") == [
        ("name-length", 1)
    ]
    longer = text.replace("n" * 200, "n" * 256)
    assert found(tmp_path, longer, CONFIGS) == [("name-length", 1)]


def test_the_enumeration_comma_is_forbidden_in_template_configs_only(tmp_path: Path) -> None:
    text = "name: a\ntype: marketing\ncountry_codes: [CN]\ncontent: 苹果、香蕉\n"
    assert [rule for rule, _ in found(tmp_path, text, CONFIGS)] == ["forbidden-characters"]
    plain = text.replace("country_codes: [CN]\n", "")
    assert "forbidden-characters" not in [rule for rule, _ in found(tmp_path, plain, "templates")]


def test_country_codes_must_be_alpha_2(tmp_path: Path) -> None:
    text = GOOD.replace("[US, GB]", "[usa]")
    assert found(tmp_path, text, CONFIGS) == [("schema", 3)]
