"""Reaching a sandbox from the tests: as plain HTTP, or as tplsync's account."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

TEMPLATE_AUTH = ("sandbox-user", "sandbox-key")
SEND_AUTH = ("sandbox-dev-key", "sandbox-dev-secret")


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class Api:
    """Plain HTTP to a running sandbox, as any client would speak it."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.url = server.url
        self.session = requests.Session()

    def call(
        self, method: str, path: str, auth: tuple[str, str] = TEMPLATE_AUTH, **kwargs: Any
    ) -> requests.Response:
        return self.session.request(method, self.url + path, auth=auth, timeout=10, **kwargs)

    def add(
        self, name: str, content: str = "Hi {{name}}", kind: Any = "1", **extra: Any
    ) -> dict[str, Any]:
        response = self.call(
            "POST",
            "/v1/templates",
            json={
                "template_name": name,
                "template_content": content,
                "template_type": kind,
                **extra,
            },
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()["result"]
        return result

    def template(self, template_id: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", f"/v1/templates/{template_id}").json()["result"]
        return result

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(
            method, self.url + "/_sandbox/" + path, timeout=10, **kwargs
        )
        assert response.status_code == 200, response.text
        return response.json()

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.admin("GET", "requests")["counts"]
        return counts


def start(faults: FaultSettings, store: Store | None = None) -> SandboxServer:
    """A sandbox with ``faults``, to use in a ``with`` block."""
    return SandboxServer(store or Store(Settings(review_delay=0)), faults)


def use_account(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the commands at ``server`` as if it were a real account."""
    credentials = server.credentials
    for variable, value in {
        "TPLSYNC_ENDPOINT": server.url,
        "TPLSYNC_SMS_ENDPOINT": server.url,
        "TPLSYNC_OTP_ENDPOINT": server.url + "/otp",
        "ENGAGELAB_SMS_USER": credentials.sms_user,
        "ENGAGELAB_SMS_KEY": credentials.sms_key,
        "ENGAGELAB_DEV_KEY": credentials.dev_key,
        "ENGAGELAB_DEV_SECRET": credentials.dev_secret,
    }.items():
        monkeypatch.setenv(variable, value)


class GatedSandbox(SandboxServer):
    """A sandbox whose peak in flight shows the client's parallelism, not the
    machine's speed: after :meth:`gate`, the requests to an endpoint wait
    (beyond the first ``after``) until ``width`` of them are in flight at
    once. A client that never sends that many meets ``patience`` and a
    lower peak; one that may send more is not held back once the gate opened.
    """

    patience = 20.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gates: dict[str, tuple[int, int]] = {}

    def gate(self, key: str, width: int, after: int = 0) -> None:
        """Gate ``key`` (``"GET /v1/templates"``); counts restart with the
        next ``DELETE /_sandbox/requests``."""
        with self.counts_lock:
            self._gates[key] = (width, after)

    @contextmanager
    def serving(self, key: str) -> Iterator[None]:
        with super().serving(key):
            with self.counts_lock:
                width, after = self._gates.get(key, (0, 0))
                waits = self.counts[key] > after
            deadline = time.monotonic() + self.patience
            while waits and time.monotonic() < deadline:
                with self.counts_lock:
                    if self.peak_in_flight[key] >= width:
                        break
                time.sleep(0.002)
            yield
