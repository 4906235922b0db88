"""Generated inputs: nothing escapes the loader, linter or renderer but the
documented errors, and nothing is ever evaluated."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tplsync.lint.linter import lint
from tplsync.lint.linter import settings as rule_settings
from tplsync.placeholders import Syntax, malformed, render
from tplsync.segments import analyse
from tplsync.templates import load_file
from tplsync.yamlsource import YamlError, load_documents

YAML_PIECES = [
    "name: ",
    "type: ",
    "content: ",
    "samples:\n",
    "  - params: {",
    "}",
    "expect: ",
    "---\n",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!!binary ",
    "[",
    "]",
    "{",
    "{{",
    "}}",
    "'",
    '"',
    "\\u2019",
    "|\n  ",
    ">-\n  ",
    "\t",
    "\n",
    "- ",
    ": ",
    "# tplsync: disable=encoding\n",
    "notification",
    "verification",
    "test",
    "测试",
    "【",
    "😀",
    "’",
    "%v%",
    "{% if %}",
    "<<: ",
    "? ",
    "\x00",
    "\ufeff",
    "~",
    "0123",
    "yes",
    "2024-01-01",
    "{{ ''.__class__ }}",
]
yaml_texts = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=8), max_size=40).map("".join)
SETTINGS = rule_settings({})


@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=yaml_texts)
def test_loader_raises_only_yaml_error(text: str) -> None:
    try:
        for document in load_documents(text, "f.yaml"):
            assert document.data is not None
    except YamlError as error:
        assert error.position.line >= 1 and error.position.column >= 1
        assert "\n" not in error.message


@settings(
    max_examples=2500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=yaml_texts)
def test_lint_of_any_file_reports_problems_never_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    report = lint([load_file(path, "t.yaml")], SETTINGS)
    for problem in report.problems:
        assert problem.position.line >= 1 and problem.position.column >= 1
        assert problem.rule in SETTINGS


@settings(max_examples=2500, deadline=None)
@given(
    content=st.text(max_size=200),
    params=st.dictionaries(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True), st.text(max_size=20)
    ),
    syntax=st.sampled_from(list(Syntax)),
)
def test_renderer_substitutes_only_and_never_evaluates(
    content: str, params: dict[str, str], syntax: Syntax
) -> None:
    rendered = render(content, params, syntax)
    assert render(content, {}, syntax) == content  # no params: literally the content
    list(malformed(content, syntax))
    analysis = analyse(rendered)
    assert "".join(analysis.parts) == rendered
    assert analysis.segments >= 1


def test_alias_bomb_and_deep_nesting_fail_fast_with_bounded_memory() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 30):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    bomb = "\n".join(lines)
    deep = "a: " + "[" * 5000 + "]" * 5000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # 10**30 nodes and 5,000 levels: stopped at the loader's bounds, not after expanding
    for text, bound in ((bomb, "more than 50000 nodes"), (deep, "deeper than 64 levels")):
        with pytest.raises(YamlError, match=bound):
            list(load_documents(text, "f.yaml"))
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 50
