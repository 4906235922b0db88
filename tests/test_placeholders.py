from __future__ import annotations

import pytest

from tplsync.placeholders import Syntax, malformed, render, variables


@pytest.mark.parametrize(
    ("syntax", "content", "params", "expected"),
    [
        (Syntax.MUSTACHE, "Hi {{name}}!", {"name": "Bob"}, "Hi Bob!"),
        (Syntax.MUSTACHE, "Hi {{name}} {{x}}", {"name": "Bob"}, "Hi Bob {{x}}"),
        (Syntax.MUSTACHE, "{{a}}{{a}}", {"a": "1"}, "11"),
        (Syntax.MUSTACHE, "Hi %name% {name}", {"name": "Bob"}, "Hi %name% {name}"),
        (Syntax.PERCENT, "Dear %name%, 50% off", {"name": "Ann"}, "Dear Ann, 50% off"),
        (Syntax.PERCENT, "Dear %name%", {}, "Dear %name%"),
        (Syntax.BRACE, "Hi {name}, {{name}}", {"name": "Bob"}, "Hi Bob, {{name}}"),
        # values are inserted verbatim and never re-expanded
        (Syntax.MUSTACHE, "{{a}}", {"a": "{{b}}", "b": "no"}, "{{b}}"),
        (Syntax.MUSTACHE, "{{a}}", {"a": r"\1 $0 %s"}, r"\1 $0 %s"),
    ],
)
def test_render_substitutes_like_the_service(
    syntax: Syntax, content: str, params: dict[str, str], expected: str
) -> None:
    assert render(content, params, syntax) == expected


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for x in range(10**9) %}x{% endfor %}",
        "{{ config.items() }}",
        "{{7*7}}",
    ],
)
def test_template_engine_payloads_are_literal_and_flagged(payload: str) -> None:
    assert render(payload, {"config": "x"}, Syntax.MUSTACHE) == payload
    assert list(malformed(payload, Syntax.MUSTACHE))


def test_variables_in_order_of_first_use() -> None:
    assert variables("{{b}} {{a}} {{b}}", Syntax.MUSTACHE) == ["b", "a"]


@pytest.mark.parametrize(
    ("syntax", "content", "fragment"),
    [
        (Syntax.MUSTACHE, "Hi {{name}", "unbalanced"),
        (Syntax.MUSTACHE, "Hi name}}", "unbalanced"),
        (Syntax.MUSTACHE, "Hi {{ }}", "empty placeholder"),
        (Syntax.MUSTACHE, "Hi {{ name }}", "spaces inside"),
        (Syntax.MUSTACHE, "Hi {{name|upper}}", "not a plain variable name"),
        (Syntax.MUSTACHE, "Hi {% if x %}", "template-engine block"),
        (Syntax.MUSTACHE, "Hi %name%", "percent syntax"),
        (Syntax.MUSTACHE, "Hi {name}", "brace syntax"),
        (Syntax.PERCENT, "Hi {{name}}", "mustache syntax"),
        (Syntax.BRACE, "Hi {{name}}", "mustache syntax"),
        (Syntax.BRACE, "Hi {name", "malformed placeholder"),
    ],
)
def test_malformed_placeholders(syntax: Syntax, content: str, fragment: str) -> None:
    messages = [mistake.message for mistake in malformed(content, syntax)]
    assert any(fragment in message for message in messages), messages


@pytest.mark.parametrize(
    ("syntax", "content"),
    [
        (Syntax.MUSTACHE, "Hi {{name}}, 50% off, 100% sure"),
        (Syntax.PERCENT, "Dear %name%, save 20 % today"),
        (Syntax.BRACE, "Hi {name}"),
    ],
)
def test_wellformed_content_has_no_mistakes(syntax: Syntax, content: str) -> None:
    assert list(malformed(content, syntax)) == []
