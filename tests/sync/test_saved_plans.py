"""Saved plans: applied exactly as reviewed, or refused with exit code 5."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import invoke
from tplsync import savedplan
from tplsync.model import ApprovalStatus, RemoteTemplate, Template, TemplateType
from tplsync.plan import PlanOptions, make_plan
from tplsync.sandbox.state import Store


def saved(example: Path) -> Path:
    run = invoke("plan", "--sandbox", "--out", "plan.json")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.endswith(
        "Saved the plan to plan.json: apply it with `tplsync apply --plan plan.json`.\n"
    )
    return example / "plan.json"


def test_a_plan_saved_as_json_prints_only_the_plan(example: Path) -> None:
    run = invoke("plan", "--sandbox", "--out", "plan.json", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["changes"]
    assert (example / "plan.json").is_file()


def test_a_saved_plan_applies_exactly_once(example: Path) -> None:
    path = saved(example)
    body = json.loads(path.read_text())
    assert (body["format"], body["version"], len(body["changes"])) == ("tplsync-plan", 2, 12)
    assert "sandbox-key" not in path.read_text()
    applied = invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve")
    assert applied.exit_code == 0, applied.stderr
    assert "Apply: 12 applied" in applied.stdout
    again = invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve")
    assert again.exit_code == 5
    assert "the account moved since the plan was made: appointment-reminder now exists" in (
        again.stderr
    )


def test_the_plan_not_the_files_is_applied(example: Path) -> None:
    path = saved(example)
    (example / "spring-sale.yaml").unlink()
    assert invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve").exit_code == 0
    status = json.loads(invoke("status", "--sandbox", "--format", "json").stdout)
    assert "spring-sale" in {row["name"] for row in status}


def test_remote_moved_between_plan_and_apply(example: Path) -> None:
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    login = example / "login-code.yaml"
    login.write_text(login.read_text().replace("Never share", "Do not share"))
    store = Store(path=example / ".tplsync" / "sandbox.json")
    for template in store.templates():
        store.decide(template, None)
    store.flush()
    path = saved(example)
    store = Store(path=example / ".tplsync" / "sandbox.json")
    login_id = next(c["template_id"] for c in json.loads(path.read_text())["changes"])
    remote_login = store.find(int(login_id))
    assert remote_login is not None
    store.decide(remote_login, "changed by someone else")
    store.flush()
    refused = invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve")
    assert refused.exit_code == 5
    assert f"login-code [{login_id}] changed" in refused.stderr


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("Hi {{name}}", "Hi {{name}}!"), "edited, or signed"),
        (lambda text: text[: len(text) // 2], "not JSON (truncated"),
        (lambda text: "[]", "not a tplsync plan"),
        (lambda text: text.replace('"version": 2', '"version": 9'), "version 9"),
    ],
    ids=["edited", "truncated", "not-a-plan", "version"],
)
def test_tampered_files_are_refused(example: Path, edit: object, message: str) -> None:
    path = saved(example)
    path.write_text(edit(path.read_text()))  # type: ignore[operator]
    refused = invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve")
    assert refused.exit_code == 5
    assert refused.stderr.startswith(f"error: {path}: ")  # which file
    assert message in refused.stderr
    assert "Traceback" not in refused.stderr


def test_re_signed_with_another_key_is_refused(example: Path) -> None:
    path = saved(example)
    body = json.loads(path.read_text())
    del body["hmac"]
    body["changes"] = body["changes"][:1]
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    forged = hmac.new(b"guessed key", canonical.encode(), hashlib.sha256).hexdigest()
    path.write_text(json.dumps({**body, "hmac": forged}))
    refused = invoke("apply", "--sandbox", "--plan", str(path), "--auto-approve")
    assert (refused.exit_code, "signed with other credentials" in refused.stderr) == (5, True)


def test_too_old(example: Path) -> None:
    path = saved(example)
    refused = invoke(
        "apply", "--sandbox", "--plan", str(path), "--auto-approve", "--max-plan-age", "0s"
    )
    assert refused.exit_code == 5
    assert "more than --max-plan-age allows" in refused.stderr
    assert (
        invoke(
            "apply", "--sandbox", "--plan", str(path), "--auto-approve", "--max-plan-age", "soon"
        ).exit_code
        == 64
    )


def test_other_endpoint_or_account_is_refused() -> None:
    template = Template("a", TemplateType.NOTIFICATION, "Hi")
    remote = [
        RemoteTemplate("1", "b", TemplateType.NOTIFICATION, "x", None, ApprovalStatus.APPROVED)
    ]
    plan = make_plan([template], remote, PlanOptions(prune=True))
    key = savedplan.signing_key("secret")
    now = datetime.now(timezone.utc)
    text = savedplan.dump(plan, "https://a.example", "acct1", key, now)
    loaded, preconditions = savedplan.load(text, "https://a.example", "acct1", key, now, 60)
    assert [(c.action, c.name) for c in loaded.changes] == [
        (c.action, c.name) for c in plan.changes
    ]
    assert savedplan.moved(loaded, preconditions, remote) == []
    for endpoint, account in (("https://b.example", "acct1"), ("https://a.example", "acct2")):
        with pytest.raises(savedplan.StalePlanError, match="the plan was made for"):
            savedplan.load(text, endpoint, account, key, now, 60)
    with pytest.raises(savedplan.StalePlanError, match="signed with other credentials"):
        savedplan.load(text, "https://a.example", "acct1", savedplan.signing_key("other"), now, 60)
    later = now + timedelta(minutes=5)
    with pytest.raises(savedplan.StalePlanError, match="5 minutes old"):
        savedplan.load(text, "https://a.example", "acct1", key, later, 60)


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (119, "119 seconds"),
        (7200, "2 hours"),
        (86400 * 3, "3 days"),
    ],
)
def test_ages_are_said_in_words_that_agree_with_the_number(seconds: float, said: str) -> None:
    assert savedplan._duration(seconds) == said
