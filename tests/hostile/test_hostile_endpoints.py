"""Endpoints and servers that try to take the credentials or crash the client."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, ROOT, invoke
from tests.hostile.servers import TlsListener, answering, listening

USER, KEY = "hostile-user-5521", "hostile-key-8830"
DEV_KEY, DEV_SECRET = "hostile-dev-1187", "hostile-secret-6604"
BASIC = base64.b64encode(f"{USER}:{KEY}".encode()).decode()
DEV_BASIC = base64.b64encode(f"{DEV_KEY}:{DEV_SECRET}".encode()).decode()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "project"
    shutil.copytree(EXAMPLES, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("TPLSYNC_TIMEOUT", "2")
    for name in ("TPLSYNC_CONFIG", "TPLSYNC_ENV", "GITHUB_ACTIONS", "CI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "ENGAGELAB_SMS_USER": USER,
        "ENGAGELAB_SMS_KEY": KEY,
        "ENGAGELAB_DEV_KEY": DEV_KEY,
        "ENGAGELAB_DEV_SECRET": DEV_SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    yield root


@pytest.mark.parametrize(
    "shape",
    [
        "http://127.0.0.2:{port}\\@127.0.0.1",  # urllib reads 127.0.0.1, urllib3 connects to .2
        "http://127.0.0.2:{port}\\@localhost/v1",
        "http://user@127.0.0.2:{port}",
        "http://127.0.0.2:{port}/ x",
        "http://127.0.0.2:{port}\t",
    ],
)
def test_an_ambiguous_endpoint_is_refused_before_any_connection(
    project: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    with listening("127.0.0.2") as other:
        monkeypatch.setenv("TPLSYNC_ENDPOINT", shape.format(port=other.port))
        run = invoke("plan")
        assert run.exit_code == 1, run.stdout + run.stderr
        assert run.stderr.startswith("error: ") and "endpoint" in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
        assert other.connections() == 0


ECHO = f"denied for Basic {BASIC} ({USER}:{KEY}) dev Basic {DEV_BASIC} ({DEV_KEY}:{DEV_SECRET})"
SECRETS = (USER, KEY, DEV_KEY, DEV_SECRET, BASIC, DEV_BASIC)
APPROVED = {
    "template_id": "7",
    "template_name": "login-code",
    "template_type": "0",
    "template_content": "Code {{code}}",
    "approval_status": 1,
}


def echoing(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Any]:
    """Lists one approved template; refuses every write, quoting the credentials."""
    if request.command == "GET":
        return 200, {}, {"code": 0, "result": [APPROVED], "total": 1}
    return 400, {}, {"code": 40001, "message": ECHO, "approval_message": ECHO}


def test_secrets_a_server_echoes_are_never_printed_or_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = []
    with answering(echoing) as (url, _):
        for name in ("TPLSYNC_ENDPOINT", "TPLSYNC_SMS_ENDPOINT", "TPLSYNC_OTP_ENDPOINT"):
            monkeypatch.setenv(name, url)
        for args in (
            ["apply", "--auto-approve", "--report", "report.json"],
            ["apply", "--auto-approve", "--format", "json"],
            ["send", "login-code", "--to", "+8613800138000", "--param", "code=048213"],
            ["otp", "send", "login-code", "--to", "+8613800138000"],
        ):
            run = invoke(*args)
            assert run.exit_code == 3, (args, run.stdout, run.stderr)
            outputs.append(run.stdout + run.stderr)
    written = (project / "report.json").read_text()
    assert "[redacted]" in written
    for text in (*outputs, written):
        for secret in SECRETS:
            assert secret not in text


@pytest.mark.parametrize(
    "listing",
    [
        {"code": 0, "result": [], "total": KEY},
        {"code": 0, "result": [], "total": "x"},
        {"code": 0, "result": {"template_id": "1"}, "total": 1},
        {"code": 0, "result": ["not a template"], "total": 1},
        {"code": 0, "result": [{"template_name": "no id"}], "total": 1},
    ],
)
def test_a_malformed_answer_is_one_line_not_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch, listing: dict[str, Any]
) -> None:
    with answering(lambda request: (200, {}, listing)) as (url, _):
        monkeypatch.setenv("TPLSYNC_ENDPOINT", url)
        run = invoke("plan")
    assert run.exit_code == 3, run.stdout + run.stderr
    assert run.stderr.startswith("error: the ")
    assert len(run.stderr.strip().splitlines()) == 1
    assert KEY not in run.stderr


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
def test_an_untrusted_certificate_fails_at_once_and_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server = TlsListener(tmp_path)
    try:
        monkeypatch.setenv("TPLSYNC_ENDPOINT", f"https://127.0.0.1:{server.port}")
        run = invoke("plan")
    finally:
        server.close()
    assert run.exit_code == 3
    assert "TLS certificate verification failed (self-signed certificate); not retried" in (
        run.stderr
    )
    assert server.accepted == 1


def test_redirects_are_not_followed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with listening("127.0.0.3") as elsewhere:
        target = f"http://127.0.0.3:{elsewhere.port}/v1/templates"
        with answering(lambda request: (302, {"Location": target}, b"")) as (url, asked):
            monkeypatch.setenv("TPLSYNC_ENDPOINT", url)
            run = invoke("plan")
        assert run.exit_code == 3
        assert f"redirected to {target!r}; redirects are not followed" in run.stderr
        assert len(asked) == 1
        assert elsewhere.connections() == 0


@pytest.mark.parametrize("setting", ["endpoint", "sms_endpoint"])
def test_credentials_go_to_a_host_only_the_config_names_only_when_trusted(
    project: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    # "127.1" is 127.0.0.1 to the system's resolver, without any lookup, but
    # not an address to tplsync: it stands for any host a branch could write in.
    with answering(echoing) as (pinned, _), answering(echoing) as (other, reached):
        other = other.replace("127.0.0.1", "127.1")
        for name in ("TPLSYNC_ENDPOINT", "TPLSYNC_SMS_ENDPOINT", "TPLSYNC_OTP_ENDPOINT"):
            monkeypatch.setenv(name, pinned)
        variable = f"TPLSYNC_{setting.upper()}"
        monkeypatch.delenv(variable)
        config = project / "tplsync.yaml"
        config.write_text(config.read_text() + f"api: {{{setting}: '{other}'}}\n")
        send = [
            "send",
            "login-code",
            "--to",
            "+8613800138000",
            "--param",
            "code=048213",
            "--insecure",
        ]
        refused = invoke(*send)
        assert refused.exit_code == 1
        assert f"api.{setting} {other} is not an EngageLab host" in refused.stderr
        assert "TPLSYNC_TRUSTED_HOSTS" in refused.stderr
        assert reached == []
        monkeypatch.setenv(variable, pinned)  # pinned outside the repository
        assert invoke(*send).exit_code == 3  # the pinned server refuses the send
        assert reached == []
        monkeypatch.delenv(variable)
        monkeypatch.setenv("TPLSYNC_TRUSTED_HOSTS", "sms.corp.test, 127.1")
        assert invoke(*send).exit_code == 3
        assert reached


def test_the_ci_recipes_pin_the_endpoint() -> None:
    for recipe in (ROOT / "examples" / "ci").glob("*.yml"):
        assert "TPLSYNC_ENDPOINT: https://sms.api.engagelab.cc" in recipe.read_text()
