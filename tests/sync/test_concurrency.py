"""How many requests run at once, and that reading the account never holds up
an error about the files. Observed at the sandbox over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import invoke
from tests.helpers.sandbox import TEMPLATE_AUTH, GatedSandbox, use_account
from tplsync.detached import Detached, detached_map
from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

LIST, CREATE = "GET /v1/templates", "POST /v1/templates"


@pytest.fixture
def slow(example: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GatedSandbox]:
    """A sandbox answering in 40 ms, holding 1,000 unmanaged templates (10 pages)."""
    server = GatedSandbox(Store(Settings(review_delay=0)), FaultSettings(latency_ms=40))
    with server:
        seed = [
            {"template_name": f"other-{n:04}", "template_type": "1", "template_content": "Hi"}
            for n in range(1000)
        ]
        requests.post(server.url + "/_sandbox/seed", json={"result": seed}, timeout=30)
        use_account(server, monkeypatch)
        (example / "tplsync.yaml").write_text(
            (example / "tplsync.yaml").read_text() + "manage: {exclude: ['other-*']}\n"
        )
        yield server


def peaks_after(server: GatedSandbox, reads: int, writes: int, *args: str) -> tuple[int, int]:
    """The most list calls, then creates, in flight at once during the command,
    the sandbox holding them until ``reads`` pages after the first, and
    ``writes`` creates, are in flight (so a loaded machine cannot lower them)."""
    server.gate(LIST, reads, after=1)
    server.gate(CREATE, writes)
    requests.delete(server.url + "/_sandbox/requests", timeout=10)
    run = invoke(*args)
    assert run.exit_code in (0, 2), run.stderr
    answer = requests.get(server.url + "/_sandbox/requests", timeout=10).json()
    assert answer["counts"][LIST] == 10  # one call per page, never more
    peaks = answer["peak_in_flight"]
    return peaks[LIST], peaks.get(CREATE, 0)


def test_unset_parallelism_reads_pages_16_at_a_time_and_writes_4(slow: GatedSandbox) -> None:
    assert peaks_after(slow, 9, 0, "plan") == (9, 0)  # the 9 pages after the first
    assert peaks_after(slow, 0, 4, "apply", "--auto-approve")[1] == 4  # of 12 creates


def test_a_set_parallelism_caps_reads_and_writes(
    slow: GatedSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert peaks_after(slow, 2, 0, "plan", "--parallelism", "2") == (2, 0)
    monkeypatch.setenv("TPLSYNC_PARALLELISM", "3")
    assert peaks_after(slow, 3, 3, "apply", "--auto-approve") == (3, 3)


@pytest.mark.parametrize(
    "faults",
    [FaultSettings(error_rate=1.0), FaultSettings(latency_ms=600_000)],
    ids=["every read fails", "no read answers"],
)
def test_a_file_error_does_not_wait_for_the_account(
    example: Path,
    faults: FaultSettings,
) -> None:
    """Reads that would be retried, or answered, only after 600 s: the bad file
    is reported at once and the process exits without waiting for them."""
    (example / "broken.yaml").write_text("name: broken\ntype: [\n")
    (example / "tplsync.yaml").write_text(
        (example / "tplsync.yaml").read_text() + "api: {retry_budget: 600, timeout: 600}\n"
    )
    with SandboxServer(Store(), faults) as server:
        environment = {
            **os.environ,
            "TPLSYNC_ENDPOINT": server.url,
            "ENGAGELAB_SMS_USER": TEMPLATE_AUTH[0],
            "ENGAGELAB_SMS_KEY": TEMPLATE_AUTH[1],
        }
        run = subprocess.run(
            [sys.executable, "-m", "tplsync", "plan"],
            cwd=example,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,  # a wait for the account would take 600 s
        )
    assert run.returncode == 1
    assert run.stderr.startswith("error: 1 lint error in the templates;"), run.stderr
    assert "\n  broken.yaml:3:1: error syntax " in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_detached_map_keeps_order_bounds_workers_and_stops_after_a_failure() -> None:
    running, peak, started = 0, 0, []
    lock = threading.Lock()

    def work(item: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            started.append(item)
        time.sleep(0.01)
        with lock:
            running -= 1
        if item == 5:
            raise ValueError("item 5")
        return item * 10

    assert detached_map(work, range(5), 3) == [0, 10, 20, 30, 40]
    assert peak == 3
    started.clear()
    with pytest.raises(ValueError, match="item 5"):
        detached_map(work, range(100), 2)
    assert len(started) < 10  # nothing new after the failure


def test_detached_raises_its_error_where_the_result_is_asked_for() -> None:
    assert Detached(lambda: 7).result() == 7
    empty: dict[str, int] = {}
    with pytest.raises(KeyError):
        Detached(lambda: empty["missing"]).result()
