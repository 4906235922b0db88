"""api.dialect picks the template API's endpoint and key pair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import invoke
from tplsync.config import load_config

CONFIGS = "api: {dialect: template-configs}\n"


def test_template_configs_lives_on_the_sms_host_unless_told(tmp_path: Path) -> None:
    (tmp_path / "tplsync.yaml").write_text(CONFIGS, encoding="utf-8")
    assert load_config(None, tmp_path).api.endpoint == "https://smsapi.engagelab.com"
    moved = CONFIGS.replace("}", ", sms_endpoint: 'https://sms.internal'}")
    (tmp_path / "tplsync.yaml").write_text(moved, encoding="utf-8")
    assert load_config(None, tmp_path).api.endpoint == "https://sms.internal"
    environ = {"TPLSYNC_ENDPOINT": "http://127.0.0.1:9"}
    assert load_config(None, tmp_path, environ=environ).api.endpoint == "http://127.0.0.1:9"


def test_template_configs_asks_for_the_dev_key_pair(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project(**{"tplsync.yaml": CONFIGS, "templates/.keep": ""})
    monkeypatch.setenv("ENGAGELAB_SMS_USER", "u")
    monkeypatch.setenv("ENGAGELAB_SMS_KEY", "k")
    for name in ("ENGAGELAB_DEV_KEY", "ENGAGELAB_DEV_SECRET"):
        monkeypatch.delenv(name, raising=False)
    run = invoke("plan")
    assert run.exit_code == 1
    assert "set ENGAGELAB_DEV_KEY and ENGAGELAB_DEV_SECRET to the template API's" in run.stderr
