"""A create whose answer is lost is retried without making a second template,
in both dialects, against the sandbox over HTTP."""

from __future__ import annotations

import random

import pytest
import requests

from tplsync.adapters import make_template_api
from tplsync.http import Transport
from tplsync.model import Template, TemplateType
from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

DROP_RATE = 0.5
PAIRS = {
    "templates": (("sandbox-user", "sandbox-key"), "/v1/templates"),
    "template-configs": (("sandbox-dev-key", "sandbox-dev-secret"), "/v1/template-configs"),
}


def first_request_dropped_seed(following: int) -> int:
    """A fault seed whose first request is dropped and the next ``following``
    are not (the injector draws twice per request: the fault, the jitter)."""
    for seed in range(10_000):
        draws = random.Random(seed)
        faults = []
        for _ in range(following + 1):
            faults.append(draws.random() < DROP_RATE)
            draws.random()
        if faults[0] and not any(faults[1:]):
            return seed
    raise AssertionError("no such seed")  # pragma: no cover


@pytest.mark.parametrize("dialect", sorted(PAIRS))
def test_a_dropped_create_answer_makes_no_duplicate(dialect: str) -> None:
    auth, path = PAIRS[dialect]
    faults = FaultSettings(drop_rate=DROP_RATE, seed=first_request_dropped_seed(6))
    with SandboxServer(Store(Settings(review_delay=0)), faults) as server:
        transport = Transport(server.url, auth, timeout=10, budget=60)
        api = make_template_api(dialect, transport, 1)
        template = Template(
            "order-shipped",
            TemplateType.NOTIFICATION,
            "Your order has shipped.",
            country_codes=("US",),
        )
        created = api.create(template, True)
        transport.close()
        assert api.stats().retries == 1  # the first answer was lost
        counts = requests.get(server.url + "/_sandbox/requests", timeout=10).json()["counts"]
        assert counts[f"POST {path}"] == 1
        named = [t for t in server.store.templates() if t.name == "order-shipped"]
        assert [str(t.id) for t in named] == [created.id]
