"""Credentials never leave the process; TLS cannot be switched off quietly."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.helpers.sandbox import use_account
from tplsync.http import Transport
from tplsync.sandbox.server import SandboxCredentials, SandboxServer
from tplsync.sandbox.state import Settings, Store

USER, KEY = "distinct-user-4471", "distinct-key-9083"
DEV_KEY, DEV_SECRET = "distinct-dev-2210", "distinct-secret-7765"
SECRETS = [
    USER,
    KEY,
    DEV_KEY,
    DEV_SECRET,
    base64.b64encode(f"{USER}:{KEY}".encode()).decode(),
    base64.b64encode(f"{DEV_KEY}:{DEV_SECRET}".encode()).decode(),
]


@pytest.fixture
def account(example: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example project, its account a sandbox with distinctive credentials."""
    credentials = SandboxCredentials(USER, KEY, DEV_KEY, DEV_SECRET)
    with SandboxServer(Store(Settings(review_delay=0)), credentials=credentials) as server:
        server.store.add_otp_templates([{"id": "login-code", "content": "Code {{code}}"}])
        use_account(server, monkeypatch)
        yield example


def test_no_command_prints_or_writes_a_secret(
    account: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = []
    for args in (
        ["plan", "-v", "--out", "plan.json"],
        ["apply", "-v", "--plan", "plan.json", "--auto-approve", "--report", "report.json"],
        ["apply", "-v", "--auto-approve", "--format", "json"],
        ["status", "-v"],
        ["pull", "-v", "--dir", "../pulled"],  # outside: copies would declare names twice
        ["send", "-v", "login-code", "--to", "+8613800138000", "--sample", "1"],
        ["otp", "send", "-v", "login-code", "--to", "+8613800138001"],
        ["plan", "-v", "--format", "markdown"],
    ):
        run = invoke(*args)
        assert run.exit_code == 0, (args, run.stdout, run.stderr)
        outputs.append(run.stdout + run.stderr)
    assert "Authorization: Basic [redacted]" in outputs[0]
    monkeypatch.setenv("ENGAGELAB_SMS_KEY", KEY + "-wrong")
    refused = invoke("plan", "-v")
    assert refused.exit_code == 3
    assert "check the values of ENGAGELAB_SMS_USER and ENGAGELAB_SMS_KEY" in refused.stderr
    outputs.append(refused.stdout + refused.stderr)
    files = [p.read_text() for p in account.parent.rglob("*") if p.is_file()]
    for secret in SECRETS:
        for text in outputs + files:
            assert secret not in text


def test_tls_verification_is_always_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURL_CA_BUNDLE", "")  # requests would stop verifying on this
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    transport = Transport("https://sms.api.engagelab.cc", ("u", "k"))
    settings = transport.session.merge_environment_settings(
        "https://sms.api.engagelab.cc/v1/templates", {}, None, None, None
    )
    assert settings["verify"] is True
    assert settings["proxies"] == {}


@pytest.mark.parametrize(
    "url", ["http://sms.example.com", "http://10.0.0.5:8080", "ftp://127.0.0.1"]
)
def test_plain_http_only_to_loopback(url: str) -> None:
    from tplsync.errors import InputError

    with pytest.raises(InputError):
        Transport(url, ("u", "k"))
    if url.startswith("http://"):
        assert Transport(url, ("u", "k"), insecure=True).base_url == url
    for loopback in ("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"):
        Transport(loopback, ("u", "k"))
