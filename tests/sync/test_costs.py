"""Worst case and cost per 1,000 sends in preview and plan (plan over HTTP)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.helpers.sandbox import use_account
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

PRICED = (
    'signatures: {"7": "Acme: "}\n'
    'pricing: {currency: EUR, per_segment: 0.01, countries: {"+49": 0.05, "491": 0.5}}\n'
)
TEMPLATE = (
    "name: shipped\ntype: notification\nsignature: {id: 7}\n"
    'content: "Hi {{name}}, parcel {{code}} left."\n'
    "variables:\n"
    "  name: {max_length: 20, charset: gsm7, example: Robert}\n"
    '  code: {pattern: "[A-Z]{2}[0-9]{4}"}\n'
    "samples:\n  - params: {name: Bob, code: AB1234}\n"
)


def test_preview_shows_cases_and_costs(project: Callable[..., Path]) -> None:
    project(**{"tplsync.yaml": PRICED, "templates/t.yaml": TEMPLATE})
    run = invoke("preview")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "  best case: GSM-7, 30 characters, 30 septets, 1 segment" in lines
    # "Acme: Hi " + 20 × "^" (2 septets each) + ", parcel AA0000 left."
    assert "  worst case: GSM-7, 50 characters, 70 septets, 1 segment" in lines
    assert "  cost per 1,000 sends: sample 10.00 EUR, typical 10.00 EUR, worst 10.00 EUR" in lines
    assert (
        "  cost per 1,000 sends to +49: sample 50.00 EUR, typical 50.00 EUR, worst 50.00 EUR"
        in lines
    )
    data = json.loads(invoke("preview", "--format", "json").stdout)[0]
    assert data["declared"]["worst"]["units"] == 70
    assert data["cost_per_1000"]["491"]["worst"] == pytest.approx(500.0)
    project(**{"tplsync.yaml": 'signatures: {"7": "Acme: "}\n'})
    assert "cost" not in invoke("preview").stdout
    assert "cost_per_1000" not in invoke("preview", "--format", "json").stdout


def test_preview_of_bounds_and_undeclared_variables(project: Callable[..., Path]) -> None:
    project(
        **{
            "tplsync.yaml": PRICED,
            "templates/t.yaml": (
                'name: t\ntype: notification\ncontent: "Hi {{a}}"\nvariables:\n'
                "  a: {max_length: 3.0, pattern: '(x)?(?(1)y|z)'}\n"
            ),
            "templates/u.yaml": 'name: u\ntype: notification\ncontent: "Hi {{b}}"\n',
        }
    )
    run = invoke("preview")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    # a conditional is not followed: the empty value is only a lower bound
    assert "  best case: at least GSM-7, 3 characters, 3 septets, 1 segment" in lines
    assert "  worst case: at most UCS-2, 6 characters, 9 UTF-16 units, 1 segment" in lines
    assert "  worst case: not declared: b (samples only)" in lines
    assert "  cost per 1,000 sends: sample 10.00 EUR, worst not declared" in lines


def test_plan_says_when_an_update_raises_the_worst_case(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(**{"tplsync.yaml": PRICED, "templates/t.yaml": TEMPLATE})
    with SandboxServer(Store(Settings(review_delay=0))) as server:
        use_account(server, monkeypatch)
        created = invoke("plan")
        assert "    worst case 1 segment" in created.stdout.splitlines()
        assert invoke("apply", "--auto-approve", "-q").exit_code == 0
        longer = TEMPLATE.replace("left.", "left our warehouse. " * 12 + "Track it online.")
        (root / "templates" / "t.yaml").write_text(longer)
        text = invoke("plan").stdout.splitlines()
        assert "    worst case 1 → 3 segments" in text
        assert (
            "    cost per 1,000 sends: sample 10.00 EUR → 20.00 EUR, "
            "typical 10.00 EUR → 20.00 EUR, worst 10.00 EUR → 30.00 EUR"
        ) in text
        markdown = invoke("plan", "--format", "markdown").stdout
        assert "worst 10.00 EUR → 30.00 EUR" in markdown
        (root / "tplsync.yaml").write_text('signatures: {"7": "Acme: "}\n')
        assert "cost per" not in invoke("plan").stdout
