"""Saved plans in the template-configs dialect: country codes, signatures by
name and signature changes are applied as reviewed, or refused with exit 5,
through the CLI over HTTP to the sandbox."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from tests.conftest import invoke
from tests.dialect.test_template_configs_sync import configs_project, status  # noqa: F401
from tplsync import savedplan
from tplsync.sandbox.state import Store


def saved(root: Path, name: str = "plan.json") -> Path:
    run = invoke("plan", "--sandbox", "--out", name)
    assert run.exit_code == 0, run.stdout + run.stderr
    return root / name


def apply_saved(path: Path) -> Any:
    return invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve")


def test_saved_plans_take_a_project_through_review(configs_project: Path) -> None:  # noqa: F811
    first = saved(configs_project)
    body = json.loads(first.read_text())
    assert (body["version"], body["signatures"]) == (2, {})
    steps = {(c["subject"], c["name"]): c["action"] for c in body["changes"]}
    assert steps[("signature", "Acme")] == "create"
    assert steps[("template", "login-code")] == "blocked"  # waits for the signature
    applied = apply_saved(first)
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "+ create signature Acme" in applied.stdout
    assert status()["signature Acme"]["status"] == "approved"  # reviewed since

    second = saved(configs_project, "second.json")
    declared = {c["name"]: c["declared"] for c in json.loads(second.read_text())["changes"]}
    assert declared["login-code"]["country_codes"] == ["US"]
    assert declared["login-code"]["signature"] == {
        "id": None,
        "name": "Acme",
        "position": "suffix",
    }
    applied = apply_saved(second)
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "Apply: 3 applied" in applied.stdout
    assert invoke("plan", "--sandbox", "--detailed-exitcode").exit_code == 0
    store = Store(path=configs_project / ".tplsync" / "sandbox.json")
    login = store.find_by_name("login-code")
    assert login is not None
    assert (login.country_codes, login.signature_position.value) == (("US",), "suffix")

    again = apply_saved(second)
    assert again.exit_code == 5
    assert "the account moved since the plan was made: login-code now exists" in again.stderr


def test_an_edited_country_code_or_signature_change_is_refused(
    configs_project: Path,  # noqa: F811
) -> None:
    path = saved(configs_project)
    text = path.read_text()
    for edited in (
        text.replace('"US"', '"DE"', 1),
        text.replace('"subject": "signature"', '"subject": "template"', 1),
    ):
        assert edited != text
        path.write_text(edited)
        refused = apply_saved(path)
        assert refused.exit_code == 5
        assert "edited, or signed with other credentials" in refused.stderr
        assert "Traceback" not in refused.stderr
    rows = status()
    assert rows["template login-code"]["template_id"] == "-"  # nothing was sent
    assert rows["signature Acme"]["signature_id"] == "-"


def test_a_signature_that_moved_since_the_plan_refuses_it(configs_project: Path) -> None:  # noqa: F811
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    path = saved(configs_project)  # the templates, now that Acme is approved
    store = Store(path=configs_project / ".tplsync" / "sandbox.json")
    (acme,) = store.signatures()
    store.decide_signature(acme, "rejected by someone else")
    store.flush()
    refused = apply_saved(path)
    assert refused.exit_code == 5
    assert f"signature Acme [{acme.id}] changed" in refused.stderr
    store = Store(path=configs_project / ".tplsync" / "sandbox.json")
    store.create_signature("Other brand")
    store.decide_signature(store.signatures()[0], None)
    store.flush()
    refused = apply_saved(path)
    assert refused.exit_code == 5
    assert "signature Other brand" in refused.stderr and "now exists" in refused.stderr
    assert Store(path=configs_project / ".tplsync" / "sandbox.json").templates() == []


def test_a_template_that_moved_since_the_plan_refuses_it(configs_project: Path) -> None:  # noqa: F811
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    login = configs_project / "templates" / "login-code.yaml"
    login.write_text(login.read_text().replace("[US]", "[US, CA]"))
    path = saved(configs_project)
    store = Store(path=configs_project / ".tplsync" / "sandbox.json")
    current = store.find_by_name("login-code")
    assert current is not None
    store.put(replace(current, country_codes=("US", "GB")))
    store.flush()
    refused = apply_saved(path)
    assert refused.exit_code == 5
    assert f"login-code [{current.id}] changed" in refused.stderr


def test_a_version_1_plan_is_still_applied(example: Path) -> None:
    """A plan saved by a tplsync that wrote version 1 (no subjects, no
    country codes, no signatures) applies as it did."""
    run = invoke("plan", "--sandbox", "--out", "plan.json")
    assert run.exit_code == 0, run.stderr
    path = example / "plan.json"
    body = json.loads(path.read_text())
    del body["hmac"], body["signatures"]
    body["version"] = 1
    for change in body["changes"]:
        del change["subject"]
        if change["declared"] is not None:
            del change["declared"]["country_codes"]
            if change["declared"]["signature"] is not None:
                del change["declared"]["signature"]["name"]
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = savedplan.signing_key("sandbox-key")
    signature = hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    path.write_text(json.dumps({**body, "hmac": signature}))
    applied = invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "Apply: 12 applied" in applied.stdout
    assert invoke("plan", "--sandbox", "--detailed-exitcode").exit_code == 0
