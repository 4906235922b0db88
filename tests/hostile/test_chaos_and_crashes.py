"""A smaller chaos soak, and apply killed at ten points then converging."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.helpers.chaos import (
    apply_command,
    client_environment,
    listing,
    plan_command,
    run,
    scenario,
    soak,
)
from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.seed import seed as seed_sandbox
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store


@pytest.mark.parametrize("seed", [1, 2])
def test_small_chaos_soak_converges(seed: int) -> None:
    result = soak(changes=60, seed=seed)
    assert result.problems == ()
    assert result.retries is not None and result.retries > 0  # the faults were met


def writes(url: str) -> int:
    """Write requests the sandbox has seen."""
    counts = requests.get(url + "/_sandbox/requests", timeout=10).json()["counts"]
    return sum(count for key, count in counts.items() if not key.startswith("GET"))


def kill_after(process: subprocess.Popen[bytes], url: str, target: int) -> int:
    """SIGKILL ``process`` once the sandbox has seen ``target`` writes; how
    many it had seen by the time the process was gone."""
    while writes(url) < target and process.poll() is None:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return writes(url)


def test_apply_killed_at_ten_points_then_converges(tmp_path: Path) -> None:
    # 200 writes at 4 in flight and 20 ms each: after the 113th, the apply has at
    # least 0.4 s of sandbox latency left, so the kill lands while it runs
    targets = [5 + 12 * point for point in range(10)]
    for point, target in enumerate(targets):
        project = tmp_path / f"kill-{point}"
        project.mkdir()
        remote, kept = scenario(project, 200)
        store = Store(Settings(review_delay=3600))
        seed_sandbox(store, remote)
        with SandboxServer(store, FaultSettings(latency_ms=20)) as server:
            ids_before = {t["template_name"]: t["template_id"] for t in listing(server.url)}
            environment = client_environment(server.url)
            command = apply_command(4)
            process = subprocess.Popen(
                command,
                cwd=project,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            seen = kill_after(process, server.url, target)
            assert process.returncode == -signal.SIGKILL, (point, seen)  # killed, not finished
            assert target <= seen < 200, (point, seen)
            resumed = run(command, project, environment)
            assert resumed.returncode == 0, resumed.stdout + resumed.stderr
            plan = run(plan_command(), project, environment)
            assert plan.returncode == 0, plan.stdout
            after = listing(server.url)
        names = [t["template_name"] for t in after]
        assert len(names) == len(set(names)) == 150, point
        ids_after = {t["template_name"]: t["template_id"] for t in after}
        assert all(ids_after[name] == ids_before[old] for name, old in kept.items()), point
