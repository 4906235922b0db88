"""send and otp send over HTTP to the sandbox; refusals come before any send."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import ANY

import pytest
import requests

from tests.conftest import invoke
from tests.helpers.sandbox import use_account
from tplsync.adapters.engagelab_send import SEND_ERRORS, explain
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

NUMBER = "+8613800138000"


@pytest.fixture
def server(example: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """The examples applied and approved in a sandbox the CLI reaches by URL."""
    with SandboxServer(Store(Settings(review_delay=0))) as sandbox:
        use_account(sandbox, monkeypatch)
        assert invoke("apply", "--auto-approve").exit_code == 0
        requests.delete(sandbox.url + "/_sandbox/requests", timeout=10)
        yield sandbox


def sends(server: SandboxServer) -> int:
    counts = requests.get(server.url + "/_sandbox/requests", timeout=10).json()["counts"]
    return int(counts.get("POST /v1/messages", 0)) + int(counts.get("POST /otp/v1/messages", 0))


def remote_id(server: SandboxServer, name: str) -> str:
    """The id the account gave the template named exactly ``name``."""
    listing = requests.get(
        server.url + "/v1/templates",
        params={"template_name": name},
        auth=("sandbox-user", "sandbox-key"),
        timeout=10,
    ).json()["result"]
    return str(next(t["template_id"] for t in listing if t["template_name"] == name))


def messages(server: SandboxServer) -> list[dict[str, object]]:
    found: list[dict[str, object]] = requests.get(
        server.url + "/_sandbox/messages", timeout=10
    ).json()["messages"]
    return found


def test_single_send_sends_what_preview_shows(server: SandboxServer) -> None:
    shown = json.loads(invoke("preview", "login-code", "--format", "json").stdout)[0]["text"]
    run = invoke("send", "login-code", "--to", NUMBER, "--sample", "1")
    assert run.exit_code == 0, run.stderr
    assert "× 1 recipient = 1 segment" in run.stdout
    assert "message_id" in run.stdout
    [message] = messages(server)
    assert message["text"] == shown
    assert message["to"] == NUMBER


def test_a_sample_the_file_does_not_have_says_how_many_it_has(server: SandboxServer) -> None:
    run = invoke("send", "login-code", "--to", NUMBER, "--sample", "9", "--dry-run")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.startswith("error: --sample 9: 'login-code' has 1 sample (")
    unknown = invoke("send", "no-such", "--to", NUMBER, "--sample", "1", "--dry-run")
    assert unknown.stderr == "error: --sample 1: no template file declares 'no-such'\n"
    assert sends(server) == 0


def test_multiple_and_scheduled_sends(server: SandboxServer) -> None:
    run = invoke(
        "send",
        "delivery-delivered",
        "--to",
        NUMBER,
        "--to",
        "+8613800138001",
        "--param",
        "order_id=A-1001",
        "--param",
        "time=10:00",
        "--plan-name",
        "smoke",
        "--custom-arg",
        "ticket=42",
        "--format",
        "json",
    )
    assert run.exit_code == 0, run.stderr
    result = json.loads(run.stdout)
    assert (result["total"], result["accepted"], result["message_id"]) == (2, 2, None)
    scheduled = invoke(
        "send",
        "delivery-delivered",
        "--to",
        NUMBER,
        "--param",
        "order_id=A-1002",
        "--param",
        "time=11:00",
        "--schedule-at",
        "+1h",
        "--format",
        "json",
    )
    assert scheduled.exit_code == 0, scheduled.stderr
    assert json.loads(scheduled.stdout)["task_id"]
    recorded = messages(server)
    assert [m["plan_name"] for m in recorded] == ["smoke", "smoke", "-"]
    assert recorded[-1]["status"] == "scheduled"
    # the scheduled send holds the template: an update is refused, with what to do, once
    delivery = Path("delivery.yaml")
    delivery.write_text(delivery.read_text().replace("Enjoy!", "Enjoy it!"))
    blocked = invoke("apply", "--auto-approve")
    assert blocked.exit_code == 3
    assert blocked.stdout.count("failed: ~ update delivery-delivered") == 1
    assert "if a scheduled send uses this template" in blocked.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["login-code", "--to", "12345"], "not a phone number: 12345"),
        (
            ["login-code", "--to", NUMBER, "--schedule-at", "+1m", "--sample", "1"],
            "3 minutes to 30 days ahead",
        ),
        (
            ["login-code", "--to", NUMBER, "--schedule-at", "+31d", "--sample", "1"],
            "3 minutes to 30 days ahead",
        ),
        (["login-code", "--to", NUMBER, "--schedule-at", "2030-01-01T09:00"], "give a timezone"),
        (["login-code", "--to", NUMBER, "--param", "code=123456"], "no value for {{minutes}}"),
        (
            ["login-code", "--to", NUMBER, "--param", "code=12345a", "--param", "minutes=5"],
            "pattern: 'code' value '12345a' does not match pattern '[0-9]{6}'",
        ),
        (
            ["spring-sale", "--to", NUMBER, "--sample", "1", "--param", "end_date=31 Mărt"],
            "charset: 'end_date' has 'ă' (U+0103) at character 5, outside charset gsm7-basic",
        ),
        (
            ["spring-sale", "--to", NUMBER, "--sample", "1", "--param", "end_date=31st of March"],
            "max_length: 'end_date' is 13 characters long, more than max_length 12",
        ),
        (
            ["login-code", "--to", NUMBER, "--param", f"code={'0' * 5000}", "--param", "minutes=5"],
            "'code' is 5000 characters long, more than the 1000 a pattern is matched against",
        ),
        (["login-code", "--to", NUMBER, "--sample", "9"], "--sample 9: 'login-code' has 1 sample"),
        (["nope", "--to", NUMBER], "no template 'nope' in the account"),
    ],
)
def test_refusals_happen_before_any_send(
    server: SandboxServer, args: list[str], message: str
) -> None:
    run = invoke("send", *args)
    assert run.exit_code == 1
    assert message in run.stderr
    assert sends(server) == 0


def test_unapproved_templates_are_refused_with_their_status(server: SandboxServer) -> None:
    login = Path("login-code.yaml")
    login.write_text(login.read_text().replace("Never share", "Do not share"))
    assert invoke("apply", "--auto-approve").exit_code == 0  # back to review
    template_id = remote_id(server, "login-code")
    requests.post(
        f"{server.url}/_sandbox/templates/{template_id}/reject",
        json={"message": "unclear sender"},
        timeout=10,
    )
    run = invoke("send", "login-code", "--to", NUMBER, "--sample", "1")
    assert run.exit_code == 1
    assert "is rejected (unclear sender): only approved templates can be sent" in run.stderr
    assert sends(server) == 0


def test_dry_run_sends_nothing(server: SandboxServer) -> None:
    run = invoke("send", "spring-sale", "--to", NUMBER, "--sample", "1", "--dry-run")
    assert run.exit_code == 0
    assert "× 1 recipient = 1 segment" in run.stdout
    assert run.stdout.endswith("dry run: nothing was sent\n")
    assert sends(server) == 0


def test_allow_invalid_sends_a_value_its_declaration_refuses(server: SandboxServer) -> None:
    args = ["login-code", "--to", NUMBER, "--param", "code=12-34", "--param", "minutes=5"]
    assert invoke("send", *args).exit_code == 1
    run = invoke("send", *args, "--allow-invalid")
    assert run.exit_code == 0, run.stderr
    assert "code is 12-34." in str(messages(server)[0]["text"])


def test_allow_missing_sends_the_variable_literally(server: SandboxServer) -> None:
    run = invoke("send", "login-code", "--to", NUMBER, "--param", "code=904512", "--allow-missing")
    assert run.exit_code == 0, run.stderr
    assert "{{minutes}}" in str(messages(server)[0]["text"])


@pytest.fixture
def otp_template(server: SandboxServer) -> str:
    """An OTP template, an object of its own: ``login-code`` as an SMS template
    name means nothing to the OTP API."""
    body = {"templates": [{"id": "login-otp", "content": "Your code is {{code}}."}]}
    requests.post(server.url + "/_sandbox/otp-templates", json=body, timeout=10)
    return "login-otp"


def test_otp_send_and_error_codes(
    server: SandboxServer, otp_template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the OTP API takes the dev key and secret only
    monkeypatch.delenv("ENGAGELAB_SMS_USER")
    monkeypatch.delenv("ENGAGELAB_SMS_KEY")
    sms_name = invoke("otp", "send", "login-code", "--to", NUMBER, "--param", "code=1")
    assert (sms_name.exit_code, "code 4001" in sms_name.stderr) == (3, True)
    first = invoke("otp", "send", otp_template, "--to", NUMBER, "--param", "code=1")
    assert (first.exit_code, first.stdout.startswith("sent: message_id ")) == (0, True)
    assert first.stdout.strip().endswith("via sms")
    again = invoke("otp", "send", otp_template, "--to", NUMBER, "--param", "code=1")
    assert again.exit_code == 3
    assert "retry once the code expires" in again.stderr and "code 3004" in again.stderr
    email = invoke("otp", "send", otp_template, "--to", "ops@acme.example", "--format", "json")
    assert json.loads(email.stdout) == {"message_id": ANY, "send_channel": "email"}
    missing = invoke("otp", "send", "99999", "--to", NUMBER)
    assert (missing.exit_code, "code 4001" in missing.stderr) == (3, True)
    monkeypatch.setenv("ENGAGELAB_DEV_SECRET", "wrong")
    denied = invoke("otp", "send", otp_template, "--to", "+8613800138009")
    assert denied.exit_code == 3
    assert "check ENGAGELAB_DEV_KEY and ENGAGELAB_DEV_SECRET" in denied.stderr
    assert "wrong" not in denied.stderr


def test_a_server_error_is_not_retried_blindly(server: SandboxServer, otp_template: str) -> None:
    requests.put(server.url + "/_sandbox/faults", json={"error_rate": 1.0}, timeout=10)
    run = invoke("otp", "send", otp_template, "--to", NUMBER)
    assert run.exit_code == 3
    assert "may have been sent, so it was not retried" in run.stderr
    assert sends(server) == 1


@pytest.mark.parametrize("code", sorted(SEND_ERRORS))
def test_every_documented_send_code_is_explained(code: int) -> None:
    text = explain(code, "raw message")
    assert text.startswith(SEND_ERRORS[code])
    assert "raw message" in text


def test_send_by_template_id(server: SandboxServer) -> None:
    run = invoke(
        "send",
        "--template-id",
        remote_id(server, "spring-sale"),
        "--to",
        NUMBER,
        "--param",
        "discount=5%",
        "--param",
        "end_date=May",
        "--format",
        "json",
    )
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["accepted"] == 1
    assert invoke("send", "spring-sale", "--template-id", "1", "--to", NUMBER).exit_code == 64


def test_a_partly_refused_send_keeps_what_was_accepted(server: SandboxServer) -> None:
    from tplsync.adapters.engagelab_send import SendClient
    from tplsync.http import Transport

    transport = Transport(server.url, ("sandbox-dev-key", "sandbox-dev-secret"))
    params = {"discount": "5%", "end_date": "May"}
    result = SendClient(transport).sms(
        [NUMBER, "not-a-number"], remote_id(server, "spring-sale"), params
    )
    assert (result.total, result.accepted, result.code) == (2, 1, 3003)
    assert result.plan_id == messages(server)[0]["plan_id"]
    assert result.message.startswith("the service refused the request")


SEED_ERROR_EXAMPLE = {
    "plan_id": "1972490061974913024",
    "total_count": 1,
    "accepted_count": 1,
    "message": "err xxxx",
    "code": 1,
}


@pytest.fixture
def answering_seed_error(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxServer]:
    """The examples' sandbox for templates, and a loopback send endpoint
    answering the send page's error example."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps(SEED_ERROR_EXAMPLE).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("TPLSYNC_SMS_ENDPOINT", url)
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.usefixtures("answering_seed_error")
def test_a_send_answered_200_with_a_code_reports_the_plan_and_exits_3() -> None:
    run = invoke("send", "login-code", "--to", NUMBER, "--sample", "1")
    assert run.exit_code == 3, run.stderr
    assert run.stdout.splitlines()[-4:] == [
        "partly sent: plan_id 1972490061974913024, 1 of 1 targets accepted",
        f"  accepted: {NUMBER}",
        "  the service answered code 1: err xxxx",
        "  do not send to all of them again: the accepted targets are in plan "
        "1972490061974913024 and would get the message twice",
    ]
    as_json = invoke("send", "login-code", "--to", NUMBER, "--sample", "1", "--format", "json")
    assert as_json.exit_code == 3
    assert json.loads(as_json.stdout) == {
        "plan_id": "1972490061974913024",
        "total": 1,
        "accepted": 1,
        "message_id": None,
        "task_id": None,
        "code": 1,
        "message": "err xxxx",
    }
