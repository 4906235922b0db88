"""Answers the template-configs pages leave open: tplsync must read either
form the same way, over HTTP to a sandbox that serves the other one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.conftest import invoke
from tests.helpers.sandbox import use_account
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

NOTICE = """\
name: parcel
type: notification
country_codes: [US, GB]
content: "Your parcel is on its way."
"""


@pytest.mark.parametrize("answered", ["us,gb", "GB, US", "gb,Us"])
def test_country_codes_in_another_case_or_order_are_no_drift(
    answered: str, project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages show upper-case codes joined by commas but do not say the
    service keeps what was sent: ISO 3166 codes are the same in any case."""
    root = project()
    assert invoke("init", "--dialect", "template-configs", "-q").exit_code == 0
    (root / "signatures.yaml").unlink()
    (root / "templates" / "welcome.yaml").unlink()
    (root / "templates" / "parcel.yaml").write_text(NOTICE, encoding="utf-8")
    with SandboxServer(Store(Settings(review_delay=0))) as server:
        use_account(server, monkeypatch)
        credentials = server.credentials
        created = requests.post(
            server.url + "/v1/template-configs",
            auth=(credentials.dev_key, credentials.dev_secret),
            json={
                "template_name": "parcel",
                "template_type": "utility",
                "template_content": "Your parcel is on its way.",
                "country_codes": answered,
            },
            timeout=10,
        )
        assert created.status_code == 200, created.text
        plan = invoke("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    assert "No changes" in plan.stdout
