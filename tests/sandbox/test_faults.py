"""Each fault, seen from a client, and that the draws are reproducible."""

from __future__ import annotations

import time

import pytest
import requests

from tests.helpers.sandbox import TEMPLATE_AUTH, start
from tplsync.sandbox.faults import Fault, FaultInjector, FaultSettings

BODY = {"template_name": "t", "template_content": "Hi", "template_type": "1"}


def total(url: str) -> int:
    answer = requests.get(url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10).json()
    return int(answer["total"])


def clear_faults(url: str) -> None:
    requests.put(
        url + "/_sandbox/faults",
        json={"error_rate": 0, "drop_rate": 0, "timeout_rate": 0, "rate_limit": 0, "latency_ms": 0},
        timeout=10,
    )


def test_latency() -> None:
    with start(FaultSettings(latency_ms=150)) as server:
        began = time.perf_counter()
        requests.get(server.url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10)
        assert time.perf_counter() - began >= 0.15  # a lower bound: load only adds
    with start(FaultSettings(latency_ms=600_000)) as server:
        # admin: never faulted, or this would time out
        assert requests.get(server.url + "/_sandbox/requests", timeout=60).ok


def test_errors_are_500_code_1000_and_change_nothing() -> None:
    with start(FaultSettings(error_rate=1.0)) as server:
        response = requests.post(
            server.url + "/v1/templates", json=BODY, auth=TEMPLATE_AUTH, timeout=10
        )
        assert (response.status_code, response.json()) == (
            500,
            {"code": 1000, "message": "Internal Error"},
        )
        clear_faults(server.url)
        assert total(server.url) == 0


def test_rate_limit_answers_429_with_retry_after() -> None:
    with start(FaultSettings(rate_limit=5)) as server:
        statuses: list[requests.Response] = []
        while len(statuses) < 100 and (not statuses or statuses[-1].status_code != 429):
            # until six fall in one second, however slowly the machine sends them
            statuses.append(
                requests.get(server.url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10)
            )
        assert [r.status_code for r in statuses[:5]] == [200] * 5
        assert statuses[-1].status_code == 429
        assert 0 <= float(statuses[-1].headers["Retry-After"]) <= 1
        time.sleep(1.05)
        assert (
            requests.get(server.url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10).status_code
            == 200
        )


def test_drop_applies_the_write_then_closes_unanswered() -> None:
    with start(FaultSettings(drop_rate=1.0)) as server:
        with pytest.raises(requests.ConnectionError):
            requests.post(server.url + "/v1/templates", json=BODY, auth=TEMPLATE_AUTH, timeout=10)
        clear_faults(server.url)
        assert total(server.url) == 1


def test_answer_after_timeout_applies_the_write() -> None:
    with start(FaultSettings(timeout_rate=1.0, timeout_delay=1.0)) as server:
        with pytest.raises(requests.Timeout):
            requests.post(server.url + "/v1/templates", json=BODY, auth=TEMPLATE_AUTH, timeout=0.3)
        clear_faults(server.url)
        assert total(server.url) == 1


def test_faults_can_change_while_running() -> None:
    with start(FaultSettings()) as server:
        answer = requests.put(
            server.url + "/_sandbox/faults", json={"error_rate": 1.0}, timeout=10
        ).json()
        assert answer["error_rate"] == 1.0
        response = requests.get(server.url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10)
        assert response.status_code == 500
        bad = requests.put(server.url + "/_sandbox/faults", json={"nope": 1}, timeout=10)
        assert bad.status_code == 400


def test_draws_are_seeded_and_reproducible() -> None:
    settings = FaultSettings(error_rate=0.2, drop_rate=0.1, timeout_rate=0.1, jitter_ms=30, seed=7)

    def sequence() -> list[tuple[float, Fault, float]]:
        injector = FaultInjector(settings)
        return [injector.decide() for _ in range(300)]

    first = sequence()
    assert first == sequence()
    faults = [fault for _, fault, _ in first]
    assert 0.1 < faults.count(Fault.ERROR) / 300 < 0.3
    assert faults.count(Fault.DROP) > 10
    assert faults.count(Fault.TIMEOUT) > 10
    assert FaultInjector(FaultSettings(error_rate=0.2, seed=8)).decide() != first[0]


def test_throttle_rate_answers_429_at_random() -> None:
    with start(FaultSettings(throttle_rate=0.5, seed=1)) as server:
        statuses = [
            requests.get(server.url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10)
            for _ in range(40)
        ]
    throttled = [r for r in statuses if r.status_code == 429]
    assert 8 < len(throttled) < 32
    assert throttled[0].headers["Retry-After"] == "0.050"
