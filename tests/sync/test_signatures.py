"""Signatures as the template API has them: a position it never reports, and
no way to clear one but a delete and a create."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import invoke
from tests.helpers.sandbox import use_account
from tplsync.adapters.engagelab_v1 import parse_template
from tplsync.changes import Action
from tplsync.model import (
    ApprovalStatus,
    RemoteTemplate,
    Signature,
    SignaturePosition,
    Template,
    TemplateType,
)
from tplsync.plan import PlanOptions, make_plan
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

SIGNED = """\
name: order-shipped
type: notification
signature: {id: 1235, position: suffix}
content: "Your order {{order_id}} has shipped."
"""
WRITES = ("POST /v1/templates", "PUT /v1/templates/{id}", "DELETE /v1/templates/{id}")


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """A project with one suffix-signed template, applied to a sandbox account."""
    monkeypatch.chdir(tmp_path)
    for name in ("TPLSYNC_CONFIG", "TPLSYNC_ENV", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "tplsync.yaml").write_text("templates: [templates]\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "order-shipped.yaml").write_text(SIGNED)
    with SandboxServer(Store(Settings(review_delay=0))) as server:
        use_account(server, monkeypatch)
        applied = invoke("apply", "--auto-approve")
        assert applied.exit_code == 0, applied.stderr
        requests.delete(f"{server.url}/_sandbox/requests", timeout=10)
        yield server


def writes(server: SandboxServer) -> int:
    counts = requests.get(f"{server.url}/_sandbox/requests", timeout=10).json()["counts"]
    return sum(counts.get(key, 0) for key in WRITES)


def remote_templates(server: SandboxServer) -> list[dict[str, object]]:
    answer = requests.get(
        f"{server.url}/v1/templates", auth=("sandbox-user", "sandbox-key"), timeout=10
    )
    result: list[dict[str, object]] = answer.json()["result"]
    return result


def test_an_answer_without_sign_pos_leaves_the_position_unknown() -> None:
    remote = parse_template(
        {"template_id": 7, "template_name": "a", "template_type": 1, "sign_id": 1235}
    )
    assert remote.signature == Signature(1235, None)


def test_a_suffix_signature_settles_and_is_never_rewritten(account: SandboxServer) -> None:
    again = invoke("plan", "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout
    assert "order-shipped: the signature position cannot be verified" in again.stdout
    assert invoke("apply", "--auto-approve").exit_code == 0
    assert writes(account) == 0
    status = json.loads(invoke("status", "--format", "json").stdout)
    assert status[0]["drift"] == "in sync; signature position not verifiable"


def test_a_position_never_makes_a_change_but_the_signature_id_does() -> None:
    remote = RemoteTemplate(
        "7", "a", TemplateType.NOTIFICATION, "Hi", Signature(1, None), ApprovalStatus.APPROVED
    )
    suffix = Template("a", TemplateType.NOTIFICATION, "Hi", Signature(1, SignaturePosition.SUFFIX))
    assert make_plan([suffix], [remote], PlanOptions()).changes == ()
    other = Template("a", TemplateType.NOTIFICATION, "Hi", Signature(2, SignaturePosition.SUFFIX))
    [change] = make_plan([other], [remote], PlanOptions()).changes
    assert (change.action, [(f.field, f.old, f.new) for f in change.fields]) == (
        Action.UPDATE,
        [("signature", "1", "2")],
    )


def remove_signature(project: Path) -> None:
    path = project / "templates" / "order-shipped.yaml"
    path.write_text(SIGNED.replace("signature: {id: 1235, position: suffix}\n", ""))


def test_removing_a_signature_is_a_replace_gated_by_allow_replace(
    account: SandboxServer, tmp_path: Path
) -> None:
    [before] = remote_templates(account)
    remove_signature(tmp_path)
    shown = invoke("plan", "--detailed-exitcode")
    assert shown.exit_code == 2
    head, reason = shown.stdout.splitlines()[:2]
    assert head == (
        f"-/+ replace order-shipped [{before['template_id']}] — resets approval: "
        "back to carrier review — submitted for review"
    )
    assert "cannot clear a signature: delete and create again under the same name" in reason
    assert shown.stdout.rstrip().endswith("Plan: 1 to replace; 1 back to carrier review.")
    [change] = json.loads(invoke("plan", "--format", "json").stdout)["changes"]
    assert (change["action"], change["fields"]) == (
        "replace",
        [{"field": "signature", "old": "1235", "new": None}],
    )
    assert "replace order-shipped" in invoke("plan", "--format", "markdown").stdout

    refused = invoke("apply", "--auto-approve")
    assert refused.exit_code == 4
    assert "--allow-replace" in refused.stderr
    assert writes(account) == 0

    applied = invoke("apply", "--auto-approve", "--allow-replace")
    assert applied.exit_code == 0, applied.stderr
    [after] = remote_templates(account)
    assert after["template_id"] != before["template_id"]
    assert after.get("sign_id") is None
    assert invoke("plan", "--detailed-exitcode").exit_code == 0


def test_a_saved_replace_needs_allow_replace_too(account: SandboxServer, tmp_path: Path) -> None:
    remove_signature(tmp_path)
    assert invoke("plan", "--out", "plan.json").exit_code == 0
    saved = json.loads((tmp_path / "plan.json").read_text())
    assert [c["action"] for c in saved["changes"]] == ["replace"]
    assert invoke("apply", "--plan", "plan.json", "--auto-approve").exit_code == 4
    assert writes(account) == 0
    applied = invoke("apply", "--plan", "plan.json", "--auto-approve", "--allow-replace")
    assert applied.exit_code == 0, applied.stderr
    assert [t.get("sign_id") for t in remote_templates(account)] == [None]


def signed_remote(status: ApprovalStatus = ApprovalStatus.APPROVED) -> RemoteTemplate:
    return RemoteTemplate("7", "a", TemplateType.NOTIFICATION, "Hi", Signature(1, None), status)


def test_a_dialect_that_clears_signatures_updates_instead() -> None:
    unsigned = Template("a", TemplateType.NOTIFICATION, "Hi")
    options = PlanOptions(clears_signature=True)
    [change] = make_plan([unsigned], [signed_remote()], options).changes
    assert change.action is Action.UPDATE


@pytest.mark.parametrize(
    ("status", "protect", "action"),
    [
        (ApprovalStatus.PENDING, (), Action.BLOCKED),
        (ApprovalStatus.APPROVED, ("a",), Action.BLOCKED),
        (ApprovalStatus.REJECTED, (), Action.REPLACE),
    ],
)
def test_a_replace_is_blocked_under_review_and_when_protected(
    status: ApprovalStatus, protect: tuple[str, ...], action: Action
) -> None:
    unsigned = Template("a", TemplateType.NOTIFICATION, "Hi")
    [change] = make_plan([unsigned], [signed_remote(status)], PlanOptions(protect=protect)).changes
    assert change.action is action
    assert change.resets_approval is False
