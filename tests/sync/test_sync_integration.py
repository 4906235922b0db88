"""plan / apply / pull / status through the CLI, over HTTP to the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import EXAMPLES, Run, invoke
from tests.helpers.sandbox import TEMPLATE_AUTH, use_account
from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.seed import seed
from tplsync.sandbox.server import SandboxCredentials, SandboxServer
from tplsync.sandbox.state import ReviewRule, Settings, Store


def plan_json(*args: str) -> dict[str, Any]:
    run = invoke("plan", "--format", "json", *args)
    assert run.exit_code == 0, run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def test_apply_then_plan_on_a_fresh_sandbox(example: Path) -> None:
    first = invoke("plan", "--sandbox", "--detailed-exitcode")
    assert first.exit_code == 2
    assert first.stdout.strip().endswith("Plan: 12 to create.")
    applied = invoke("apply", "--sandbox", "--auto-approve")
    assert applied.exit_code == 0, applied.stderr
    assert "Apply: 12 applied" in applied.stdout
    assert "(13 API calls, 0 retries)" in applied.stdout  # one list, one call per create
    again = invoke("plan", "--sandbox", "--detailed-exitcode")
    assert (again.exit_code, again.stdout.strip().splitlines()) == (
        0,
        [
            "note: order-shipped: the signature position cannot be verified: the account does "
            "not report it, so a change of position alone is never planned",
            "No changes. 12 templates in the account match the files.",
        ],
    )
    assert (example / ".tplsync" / "sandbox.json").exists()


def test_each_action_then_nothing_left(example: Path) -> None:
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    login = example / "login-code.yaml"
    login.write_text(login.read_text().replace("Never share", "Do not share"))
    order = example / "order-shipped.yaml"
    order.write_text(
        order.read_text()
        .replace("name: order-shipped", "name: parcel-shipped")
        .replace("renamed_from: [order-sent]", "renamed_from: [order-shipped]")
    )
    (example / "cart-reminder.yaml").unlink()
    plan = plan_json("--sandbox", "--prune")
    actions = {c["name"]: c["action"] for c in plan["changes"]}
    assert actions == {
        "login-code": "blocked",
        "parcel-shipped": "blocked",
        "cart-reminder": "delete",
    }  # just submitted: under review
    store = Store(path=example / ".tplsync" / "sandbox.json")
    for template in store.templates():
        store.decide(template, None)
    store.flush()
    plan = plan_json("--sandbox", "--prune")
    changes = {c["name"]: c for c in plan["changes"]}
    assert changes["login-code"]["action"] == "update"
    assert changes["login-code"]["resets_approval"] is True
    assert changes["parcel-shipped"]["action"] == "rename"
    assert changes["parcel-shipped"]["old_name"] == "order-shipped"
    assert changes["cart-reminder"]["action"] == "delete"
    text = invoke("plan", "--sandbox", "--prune").stdout
    assert "~ update login-code" in text and "resets approval" in text
    assert (
        "content: Your Acme login code is {{code}}. It expires in {{minutes}} minutes. "
        "[-Never-]{+Do not+} share it with anyone." in text
    )
    assert "> rename order-shipped → parcel-shipped" in text
    assert "- delete cart-reminder" in text
    applied = invoke("apply", "--sandbox", "--prune", "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert invoke("plan", "--sandbox", "--prune", "--detailed-exitcode").exit_code == 0
    status = invoke("status", "--sandbox", "--format", "json")
    rows = {r["name"]: r for r in json.loads(status.stdout)}
    assert rows["parcel-shipped"]["status"] == "approved"  # a rename keeps approval
    assert rows["login-code"]["status"] == "pending"
    assert "cart-reminder" not in rows


def test_safety_gates(example: Path) -> None:
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    for path in sorted(example.glob("login-code*.yaml")):
        path.unlink()
    refused = invoke("apply", "--sandbox", "--prune", "--auto-approve")
    assert refused.exit_code == 4
    assert "4 of 12 owned templates would be deleted" in refused.stderr
    no_tty = invoke("apply", "--sandbox", "--prune", "--force")
    assert no_tty.exit_code == 4
    assert "no terminal to confirm on" in no_tty.stderr
    (example / "tplsync.yaml").write_text(
        (example / "tplsync.yaml").read_text() + "protect: [login-code-zh]\n"
    )
    forced = invoke("apply", "--sandbox", "--prune", "--force", "--auto-approve")
    assert forced.exit_code == 0, forced.stderr
    status = json.loads(invoke("status", "--sandbox", "--format", "json").stdout)
    assert [r["name"] for r in status if r["name"].startswith("login-code")] == ["login-code-zh"]


def test_pull_then_plan_shows_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store(path=tmp_path / ".tplsync" / "sandbox.json")
    seed(store, {"directory": str(EXAMPLES)})
    seed(
        store,
        [
            {
                "template_name": "draft-one",
                "template_content": "Hello {{who}}",
                "template_type": "2",
                "approval_status": -2,
            }
        ],
    )
    store.flush()
    pulled = invoke("pull", "--sandbox")
    assert pulled.exit_code == 0, pulled.stderr
    assert pulled.stdout.strip().endswith("13 written, 0 kept")
    assert invoke("lint").exit_code == 0
    assert invoke("plan", "--sandbox", "--detailed-exitcode").exit_code == 0
    assert "submit: false" in (tmp_path / "templates" / "draft-one.yaml").read_text()
    again = invoke("pull", "--sandbox")
    assert again.stdout.strip().endswith("0 written, 13 kept")


def test_missing_credentials_and_plain_http(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENGAGELAB_SMS_USER", raising=False)
    monkeypatch.delenv("ENGAGELAB_SMS_KEY", raising=False)
    run = invoke("plan")
    assert run.exit_code == 1
    assert "set ENGAGELAB_SMS_USER and ENGAGELAB_SMS_KEY" in run.stderr
    monkeypatch.setenv("ENGAGELAB_SMS_USER", "u")
    monkeypatch.setenv("ENGAGELAB_SMS_KEY", "k")
    plain = invoke("plan", "--endpoint", "http://sms.example.com")
    assert plain.exit_code == 1
    assert "plain http:// to a non-loopback host" in plain.stderr


@pytest.fixture
def faulty(example: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    faults = FaultSettings(
        latency_ms=5,
        error_rate=0.15,
        drop_rate=0.1,
        timeout_rate=0.05,
        timeout_delay=0.6,
        rate_limit=150,
        seed=3,
    )
    server = SandboxServer(Store(Settings(review_delay=0)), faults)
    with server:
        use_account(server, monkeypatch)
        (example / "tplsync.yaml").write_text(
            (example / "tplsync.yaml").read_text() + "api: {timeout: 0.3, retry_budget: 60}\n"
        )
        yield server


def names(server: SandboxServer) -> list[str]:
    requests.put(
        server.url + "/_sandbox/faults",
        json={"error_rate": 0, "drop_rate": 0, "timeout_rate": 0, "rate_limit": 0},
        timeout=10,
    )
    answer = requests.get(server.url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10).json()
    return [t["template_name"] for t in answer["result"]]


def test_apply_converges_under_faults_without_duplicates(faulty: SandboxServer) -> None:
    run: Run = invoke("apply", "--auto-approve", "--parallelism", "8")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "retries" in run.stdout and "0 retries" not in run.stdout
    found = names(faulty)
    assert sorted(found) == sorted(set(found))
    assert len(found) == 12
    assert invoke("plan", "--detailed-exitcode").exit_code == 0


def test_verbose_traces_redact_credentials(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user, key = "distinctive-user-8311", "distinctive-key-5520"
    with SandboxServer(
        Store(Settings(review_delay=0)), credentials=SandboxCredentials(sms_user=user, sms_key=key)
    ) as server:
        use_account(server, monkeypatch)
        run = invoke("apply", "-v", "--auto-approve", "--report", "report.json")
        assert run.exit_code == 0, run.stderr
    output = run.stdout + run.stderr + (example / "report.json").read_text()
    assert "-> POST " in run.stderr and "Authorization: Basic [redacted]" in run.stderr
    for secret in (key, user):
        assert secret not in output
    import base64

    assert base64.b64encode(f"{user}:{key}".encode()).decode() not in output


def test_wait_for_review(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "0.3")
    run = invoke("apply", "--sandbox", "--auto-approve", "--wait-for-review")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.stdout.count(" approved\n") == 12


def test_wait_for_review_fails_on_rejection_and_timeout(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(review_delay=0.2, reject=[ReviewRule("opt out", "no opt-out wording")])
    with SandboxServer(Store(settings)) as server:
        use_account(server, monkeypatch)
        run = invoke("apply", "--auto-approve", "--wait-for-review=5", "--report", "report.json")
    assert run.exit_code == 3
    assert "review: spring-sale [" in run.stdout
    assert "not approved: rejected: no opt-out wording" in run.stdout
    report = json.loads((example / "report.json").read_text(encoding="utf-8"))
    assert (report["ok"], report["summary"]["applied"]) == (False, 12)  # as the exit code says
    reviews = {review["name"]: review for review in report["reviews"]}
    assert len(reviews) == 12 and reviews["login-code"]["approved"] is True
    assert reviews["spring-sale"]["approved"] is False
    assert reviews["spring-sale"]["message"] == "rejected: no opt-out wording"
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "60")
    (example / "extra.yaml").write_text("name: extra\ntype: marketing\ncontent: Hello\n")
    slow = invoke("apply", "--sandbox", "--auto-approve", "--wait-for-review=0.5")
    assert slow.exit_code == 3
    assert "still under review after 0.5 s" in slow.stdout


def test_wait_for_review_that_is_no_duration_is_refused_before_applying(example: Path) -> None:
    run = invoke("apply", "--sandbox", "--auto-approve", "--wait-for-review=abc")
    assert run.exit_code == 64
    assert run.stderr == ("error: --wait-for-review 'abc': expected e.g. 90s, 30m, 2h or 1d\n"), (
        run.stderr
    )
    assert "Plan: 12 to create." in invoke("plan", "--sandbox").stdout  # nothing was applied


def test_partial_failure_reports_and_replan_shows_what_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    for name, content in [("a-bad", "A test message"), ("b-good", "Hello"), ("c-good", "Hi")]:
        (tmp_path / "templates" / f"{name}.yaml").write_text(
            "# the service refuses 'test': lint would stop apply before it\n"
            f"# tplsync: disable=forbidden-words\nname: {name}\ntype: notification\n"
            f"content: {content}\n"
        )
    run = invoke("apply", "--sandbox", "--auto-approve", "--report", "report.json")
    assert run.exit_code == 3
    assert (
        "failed: + create a-bad: create a-bad: template content can not contain 'test' "
        "(HTTP 400, code 30002)" in run.stdout
    )
    assert "Apply: 2 applied, 1 failed" in run.stdout
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"] == {"applied": 2, "failed": 1, "not attempted": 0, "blocked": 0}
    assert [o["code"] for o in report["outcomes"] if o["status"] == "failed"] == [30002]
    left = plan_json("--sandbox")
    assert [(c["action"], c["name"]) for c in left["changes"]] == [("create", "a-bad")]


def test_fail_fast_starts_nothing_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    for name, content in [("a-bad", "A test message"), ("b-good", "Hello"), ("c-good", "Hi")]:
        (tmp_path / "templates" / f"{name}.yaml").write_text(
            "# the service refuses 'test': lint would stop apply before it\n"
            f"# tplsync: disable=forbidden-words\nname: {name}\ntype: notification\n"
            f"content: {content}\n"
        )
    run = invoke("apply", "--sandbox", "--auto-approve", "--fail-fast", "--parallelism", "1")
    assert run.exit_code == 3
    assert "Apply: 1 failed, 2 not attempted" in run.stdout
    assert "stopped after a failure (--fail-fast)" in run.stdout


def test_plan_and_apply_refuse_templates_with_lint_errors(example: Path) -> None:
    (example / "broken.yaml").write_text(
        "name: broken\ntype: notification\ncontent: 'Your order {{code} shipped'\n"
    )
    for args in (("plan", "--sandbox"), ("apply", "--sandbox", "--auto-approve")):
        refused = invoke(*args)
        assert refused.exit_code == 1
        assert "1 lint error in the templates; nothing was planned" in refused.stderr
        assert "broken.yaml:3:" in refused.stderr
    rows = json.loads(invoke("status", "--sandbox", "--format", "json").stdout)
    assert [row["drift"] for row in rows if row["template_id"] != "-"] == []


def test_a_warning_rule_refuses_a_plan_only_when_an_option_makes_a_finding_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "unused.yaml").write_text(
        "name: unused\ntype: notification\ncontent: 'Hi  there'\n"
        "samples:\n  - params: {extra: '1'}\n"
    )
    rule = "sample-coverage: {level: warning, unused_param_level: %s}"
    (tmp_path / "tplsync.yaml").write_text("lint:\n  rules:\n    " + rule % "warning" + "\n")
    assert invoke("plan", "--sandbox").exit_code == 0  # warnings (whitespace too) never refuse
    (tmp_path / "tplsync.yaml").write_text("lint:\n  rules:\n    " + rule % "error" + "\n")
    refused = invoke("plan", "--sandbox")
    assert refused.exit_code == 1
    assert "1 lint error in the templates; nothing was planned" in refused.stderr
    assert "param 'extra' is not used by the content" in refused.stderr


def test_a_prune_of_every_owned_template_is_refused_whatever_their_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "one.yaml").write_text("name: one\ntype: notification\ncontent: Hi\n")
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    (tmp_path / "templates" / "one.yaml").unlink()
    refused = invoke("apply", "--sandbox", "--prune", "--auto-approve")
    assert refused.exit_code == 4
    assert "every owned template (1) would be deleted" in refused.stderr
    assert invoke("apply", "--sandbox", "--prune", "--auto-approve", "--force").exit_code == 0
    assert invoke("status", "--sandbox").stdout.strip() == "No templates in scope."


def test_a_templates_pattern_that_matches_nothing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tplsync.yaml").write_text("templates: ['tempaltes/*.yaml']\n")
    for args in (("lint",), ("plan", "--sandbox", "--prune")):
        run = invoke(*args)
        assert run.exit_code == 1
        assert run.stderr == "error: tempaltes/*.yaml: the pattern matches no file\n"


def test_plan_measures_the_samples_as_preview_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    content = "A" * 148 + " {{code}}"  # 161 septets as written ({ and } count 2), 153 as sent
    (tmp_path / "templates" / "long.yaml").write_text(
        f"name: long\ntype: notification\ncontent: '{content}'\n"
        "samples:\n  - params: {code: '1234'}\n"
    )
    assert "septets, 1 segment" in invoke("preview", "long").stdout
    planned = invoke("plan", "--sandbox")
    assert "GSM-7, 1 segment" in planned.stdout, planned.stdout
