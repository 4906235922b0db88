from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.sandbox import Api, Clock
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import ReviewRule, Settings, Store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(clock: Clock) -> Iterator[Api]:
    settings = Settings(review_delay=10, reject=[ReviewRule("(?i)casino", "gambling content")])
    with SandboxServer(Store(settings, clock=clock)) as server:
        yield Api(server)
