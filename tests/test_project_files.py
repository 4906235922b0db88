"""Generated docs, schemas and packaging stay in step with the code."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import ROOT
from tplsync.lint.docs import rules_markdown
from tplsync.lint.rules import RULES


def test_rules_doc_is_generated_from_the_rules() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "run: python -m tplsync.lint.docs > docs/rules.md"
    )


def test_the_readme_lists_every_rule_with_its_default_level() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.level.value} |" in readme, rule.id


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_every_rule_documents_a_bad_and_a_good_example(rule: object) -> None:
    doc = getattr(rule, "doc", "")
    assert "\nBad::\n" in doc
    assert "\nGood::\n" in doc


@pytest.mark.parametrize(
    "name", ["template.schema.json", "config.schema.json", "signatures.schema.json"]
)
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_config_schema_knows_every_rule_and_option() -> None:
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    rules = schema["$defs"]["settings"]["properties"]["lint"]["properties"]["rules"]["properties"]
    assert list(rules) == list(RULES)
    for rule_id, rule in RULES.items():
        options = rules[rule_id]["anyOf"][1]["properties"]
        assert set(options) == {"level", *rule.options}, rule_id


def test_wheel_ships_the_schemas_recipes_and_page_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    [wheel] = tmp_path.glob("tplsync-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tplsync/schemas/template.schema.json" in names
    assert "tplsync/schemas/config.schema.json" in names
    assert "tplsync/schemas/signatures.schema.json" in names
    assert "tplsync/lint/rules/encoding.py" in names
    assert "tplsync/examples/ci/github-actions.yml" in names
    shipped = {name for name in names if name.startswith("tplsync/html/")}
    assert shipped == {f"tplsync/html/{p.name}" for p in (ROOT / "tplsync" / "html").iterdir()}
    assert "tplsync/py.typed" in names  # the Typing :: Typed classifier's promise
    [metadata] = [name for name in names if name.endswith(".dist-info/METADATA")]
    headers = zipfile.ZipFile(wheel).read(metadata).decode().split("\n\n", 1)[0].splitlines()
    # older pip shows the licence from a classifier; the project's links
    assert "Classifier: License :: OSI Approved :: MIT License" in headers
    assert "Project-URL: Source, https://github.com/tplsync/tplsync" in headers
