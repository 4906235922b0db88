"""An endpoint that cannot be reached fails after a few quick tries, not the budget."""

from __future__ import annotations

import pytest

from tplsync.http import UNREACHABLE_RETRIES, GaveUp, RetryableError, Transport


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        ("[Errno 111] Connection refused", "connection refused"),
        ("Failed to resolve 'api.invalid' ([Errno -2] Name or service not known)", "host name"),
    ],
)
def test_unreachable_errors_get_a_few_retries_then_say_why(failure: str, reason: str) -> None:
    from tplsync.http import _unreachable_reason

    assert _unreachable_reason(Exception(failure)).startswith(reason)
    transport = Transport("http://127.0.0.1:9", ("u", "k"), budget=3600)
    shown: list[str] = []
    transport.progress = shown.append
    calls = 0

    def attempt(first: bool) -> None:
        nonlocal calls
        calls += 1
        raise RetryableError(f"cannot connect: {reason}", ambiguous=False, unreachable=True)

    with pytest.raises(GaveUp, match=f"{reason}; gave up after {UNREACHABLE_RETRIES + 1} tries"):
        transport.retry(attempt, "list templates")
    assert calls == UNREACHABLE_RETRIES + 1
    assert len(shown) == UNREACHABLE_RETRIES
    assert all(line.startswith("retrying list templates in ") for line in shown)


def test_other_failures_still_retry_within_the_budget() -> None:
    transport = Transport("http://127.0.0.1:9", ("u", "k"), budget=3600)
    calls = 0

    def attempt(first: bool) -> str:
        nonlocal calls
        calls += 1
        if calls <= UNREACHABLE_RETRIES + 2:
            raise RetryableError("server error (HTTP 500)", ambiguous=True)
        return "done"

    assert transport.retry(attempt) == "done"
