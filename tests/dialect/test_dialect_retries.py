"""A create whose answer is lost is retried without making a second template,
in both dialects, against the sandbox over HTTP."""

from __future__ import annotations

import random

import pytest
import requests

from tplsync.adapters import make_template_api
from tplsync.http import Transport
from tplsync.model import ApprovalStatus, Template, TemplateType
from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

DROP_RATE = 0.5
SHIPPED = Template(
    "order-shipped", TemplateType.NOTIFICATION, "Your order has shipped.", country_codes=("US",)
)
PAIRS = {
    "templates": (("sandbox-user", "sandbox-key"), "/v1/templates"),
    "template-configs": (("sandbox-dev-key", "sandbox-dev-secret"), "/v1/template-configs"),
}


def first_request_dropped_seed(following: int) -> int:
    """A fault seed whose first request is dropped and the next ``following``
    are not."""
    return seed_with_drops([True] + [False] * following)


def seed_with_drops(pattern: list[bool]) -> int:
    """A fault seed whose requests meet drops exactly as ``pattern`` says (the
    injector draws twice per request: the fault, the jitter)."""
    for seed in range(10_000):
        draws = random.Random(seed)
        faults = []
        for _ in pattern:
            faults.append(draws.random() < DROP_RATE)
            draws.random()
        if faults == pattern:
            return seed
    raise AssertionError("no such seed")  # pragma: no cover


@pytest.mark.parametrize("dialect", sorted(PAIRS))
def test_a_dropped_create_answer_makes_no_duplicate(dialect: str) -> None:
    auth, path = PAIRS[dialect]
    faults = FaultSettings(drop_rate=DROP_RATE, seed=first_request_dropped_seed(6))
    with SandboxServer(Store(Settings(review_delay=0)), faults) as server:
        transport = Transport(server.url, auth, timeout=10, budget=60)
        api = make_template_api(dialect, transport, 1)
        created = api.create(SHIPPED, True)
        transport.close()
        assert api.stats().retries == 1  # the first answer was lost
        counts = requests.get(server.url + "/_sandbox/requests", timeout=10).json()["counts"]
        assert counts[f"POST {path}"] == 1
        named = [t for t in server.store.templates() if t.name == SHIPPED.name]
        assert [str(t.id) for t in named] == [created.id]


def test_a_dropped_resubmit_answer_is_not_refused_as_pending() -> None:
    """template-configs has no submit call: a rejected template is filed for
    review again by a PUT of itself. Once that PUT took effect the template
    is pending, and a second PUT would be refused (pending templates cannot
    be updated), so the retry looks first."""
    auth, path = PAIRS["template-configs"]
    # create, list, PUT (answer lost), then the retry's reads
    seed = seed_with_drops([False, False, True] + [False] * 4)
    faults = FaultSettings(drop_rate=DROP_RATE, seed=seed)
    with SandboxServer(Store(Settings(review_delay=3600)), faults) as server:
        transport = Transport(server.url, auth, timeout=10, budget=60)
        api = make_template_api("template-configs", transport, 1)
        created = api.create(SHIPPED, True)
        reject = f"{server.url}/_sandbox/templates/{created.id}/reject"
        rejected = requests.post(reject, json={"message": "no"}, timeout=10)
        assert rejected.status_code == 200
        api.submit(created.id)
        transport.close()
        assert api.stats().retries == 1  # the PUT's answer was lost
        counts = requests.get(server.url + "/_sandbox/requests", timeout=10).json()["counts"]
        assert counts[f"PUT {path}/{{id}}"] == 1
        remote = api.get(created.id)
        assert remote is not None and remote.status is ApprovalStatus.PENDING
