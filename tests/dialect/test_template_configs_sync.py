"""The template-configs dialect end to end: init, apply, review, apply, plan,
then renames, blocked updates and deletes, through the CLI over HTTP to the
sandbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke
from tplsync.sandbox.state import Store

LOGIN = """\
name: login-code
type: verification
country_codes: [US]
signature: {name: Acme, position: suffix}
content: "Your login code is {{code}}."
samples:
  - params: {code: "123456"}
"""
SALE = """\
name: spring-sale
type: marketing
country_codes: [US, GB]
signature: {name: Acme}
content: "Spring sale: 20% off everything this week, {{name}}."
samples:
  - params: {name: Ann}
"""


@pytest.fixture
def configs_project(project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """``init --dialect template-configs`` plus a verification and a marketing
    template; the sandbox reviews at once (approved when next read)."""
    root = project()
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "0")
    assert invoke("init", "--dialect", "template-configs", "-q").exit_code == 0
    (root / "templates" / "login-code.yaml").write_text(LOGIN, encoding="utf-8")
    (root / "templates" / "spring-sale.yaml").write_text(SALE, encoding="utf-8")
    return root


def plan_json(*args: str) -> dict[str, Any]:
    run = invoke("plan", "--sandbox", "--format", "json", *args)
    assert run.exit_code == 0, run.stdout + run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def status(*args: str) -> dict[str, dict[str, Any]]:
    run = invoke("status", "--sandbox", "--format", "json", *args)
    assert run.exit_code == 0, run.stdout + run.stderr
    return {f"{r['kind']} {r['name']}": r for r in json.loads(run.stdout)}


def test_init_apply_review_apply_then_nothing_left(configs_project: Path) -> None:
    assert invoke("lint", "--strict").exit_code == 0
    first = invoke("apply", "--sandbox", "--auto-approve")
    assert first.exit_code == 0, first.stdout + first.stderr
    assert "+ create signature Acme" in first.stdout
    assert "waits for review of signature Acme" in first.stdout
    rows = status()
    assert rows["signature Acme"]["status"] == "approved"  # reviewed since
    assert rows["template welcome"]["template_id"] == "-"  # not created yet
    second = invoke("apply", "--sandbox", "--auto-approve")
    assert second.exit_code == 0, second.stdout + second.stderr
    assert "Apply: 3 applied" in second.stdout
    again = invoke("plan", "--sandbox", "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout
    rows = status()
    assert {name: row["status"] for name, row in rows.items()} == {
        "signature Acme": "approved",
        "template login-code": "approved",
        "template spring-sale": "approved",
        "template welcome": "approved",
    }
    store = Store(path=configs_project / ".tplsync" / "sandbox.json")
    kinds = {
        t.name: (t.kind.value, t.country_codes, t.signature_position.value)
        for t in store.templates()
    }
    assert kinds == {
        "welcome": ("notification", ("US", "GB"), "prefix"),
        "login-code": ("verification", ("US",), "suffix"),
        "spring-sale": ("marketing", ("US", "GB"), "prefix"),
    }


def test_wait_for_review_finishes_in_one_apply(
    configs_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "0.2")
    run = invoke("apply", "--sandbox", "--auto-approve", "--wait-for-review", "60")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "review: signature Acme" in run.stdout
    assert invoke("plan", "--sandbox", "--detailed-exitcode").exit_code == 0


def test_rename_blocked_update_and_delete(configs_project: Path) -> None:
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    templates = configs_project / "templates"
    login = templates / "login-code.yaml"
    login.write_text(login.read_text().replace("Your login", "Your Acme login"))
    sale = templates / "spring-sale.yaml"
    sale.write_text(
        sale.read_text().replace(
            "name: spring-sale", "name: summer-sale\nrenamed_from: [spring-sale]"
        )
    )
    (templates / "welcome.yaml").unlink()
    (configs_project / "signatures.yaml").write_text(
        "- name: Acme\n- name: Acme Shop\n", encoding="utf-8"
    )
    plan = plan_json("--prune")
    actions = {(c["kind"], c["name"]): c["action"] for c in plan["changes"]}
    assert actions == {
        ("signature", "Acme Shop"): "create",
        ("template", "login-code"): "update",
        ("template", "summer-sale"): "rename",
        ("template", "welcome"): "delete",
    }
    renames = [c for c in plan["changes"] if c["action"] == "rename"]
    assert renames[0]["resets_approval"] is True  # a rename is a full update here
    applied = invoke("apply", "--sandbox", "--prune", "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    rows = status()
    assert rows["template summer-sale"]["template_id"] != "-"
    assert "template welcome" not in rows and "template spring-sale" not in rows


def test_an_update_of_a_pending_template_is_blocked(
    configs_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    assert status()["template login-code"]["status"] == "approved"
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "3600")
    login = configs_project / "templates" / "login-code.yaml"
    login.write_text(login.read_text().replace("Your login", "Your Acme login"))
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0  # pending again
    login.write_text(login.read_text().replace("Your Acme login", "Your new login"))
    plan = plan_json()
    assert [(c["name"], c["action"]) for c in plan["changes"]] == [("login-code", "blocked")]


def test_pull_adopts_templates_and_signatures(configs_project: Path) -> None:
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    for path in (configs_project / "templates").iterdir():
        path.unlink()
    (configs_project / "signatures.yaml").unlink()
    pulled = invoke("pull", "--sandbox")
    assert pulled.exit_code == 0, pulled.stdout + pulled.stderr
    assert '- name: "Acme"' in (configs_project / "signatures.yaml").read_text()
    login = (configs_project / "templates" / "login-code.yaml").read_text()
    assert "country_codes:\n- US\n" in login and "name: Acme" in login
    assert invoke("plan", "--sandbox", "--detailed-exitcode").exit_code == 0


def test_preview_shows_a_named_signature_as_the_phone_does(configs_project: Path) -> None:
    run = invoke("preview", "welcome", "login-code")
    assert run.exit_code == 0, run.stderr
    assert "│ [Acme] Welcome, Bob! Your account is ready." in run.stdout
    assert "│ Your login code is 123456. [Acme]" in run.stdout  # suffix


def test_signature_deletes_pass_the_safety_gates_and_protect(configs_project: Path) -> None:
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    (configs_project / "tplsync.yaml").write_text(
        (configs_project / "tplsync.yaml").read_text()
        + "safety: {max_deletes: 0}\nprotect: [Kept*]\n",
        encoding="utf-8",
    )
    signatures = configs_project / "signatures.yaml"
    signatures.write_text("- name: Acme\n- name: Old brand\n- name: Kept brand\n", encoding="utf-8")
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    signatures.write_text("- name: Acme\n", encoding="utf-8")
    refused = invoke("apply", "--sandbox", "--auto-approve", "--prune")
    assert refused.exit_code == 4, refused.stdout + refused.stderr
    assert "1 deletes exceed safety.max_deletes (0)" in refused.stderr
    assert "Kept brand: signature not declared, but protected" in refused.stdout
    forced = invoke("apply", "--sandbox", "--auto-approve", "--prune", "--force")
    assert forced.exit_code == 0, forced.stdout + forced.stderr
    rows = status()
    assert "signature Old brand" not in rows and "signature Kept brand" in rows


def test_a_field_removed_or_added_is_shown_as_none_not_a_python_value(
    configs_project: Path,
) -> None:
    for _ in range(2):  # the signature first, then the templates that wait on it
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    login = configs_project / "templates" / "login-code.yaml"
    login.write_text(LOGIN.replace("signature: {name: Acme, position: suffix}\n", ""))
    run = invoke("plan", "--sandbox")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "    signature: Acme (suffix) → none\n" in run.stdout, run.stdout
    assert "None" not in run.stdout
