from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import ReviewRule, Settings, Store

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


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(clock: Clock) -> Iterator[Api]:
    settings = Settings(review_delay=10, reject=[ReviewRule("(?i)casino", "gambling content")])
    with SandboxServer(Store(settings, clock=clock)) as server:
        yield Api(server)


def start(faults: FaultSettings, store: Store | None = None) -> SandboxServer:
    """A sandbox with ``faults``, to use in a ``with`` block."""
    return SandboxServer(store or Store(Settings(review_delay=0)), faults)
