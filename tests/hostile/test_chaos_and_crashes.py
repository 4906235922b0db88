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


def test_apply_killed_at_ten_points_then_converges(tmp_path: Path) -> None:
    kills = []
    for point in range(10):
        project = tmp_path / f"kill-{point}"
        project.mkdir()
        remote, kept = scenario(project, 200)
        store = Store(Settings(review_delay=3600))
        seed_sandbox(store, remote)
        with SandboxServer(store, FaultSettings(latency_ms=10)) as server:
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
            time.sleep(0.35 + point * 0.08)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            writes_before_kill = sum(
                count
                for key, count in requests.get(server.url + "/_sandbox/requests", timeout=10)
                .json()["counts"]
                .items()
                if not key.startswith("GET")
            )
            resumed = run(command, project, environment)
            assert resumed.returncode == 0, resumed.stdout + resumed.stderr
            plan = run(plan_command(), project, environment)
            assert plan.returncode == 0, plan.stdout
            after = listing(server.url)
        names = [t["template_name"] for t in after]
        assert len(names) == len(set(names)) == 150, point
        ids_after = {t["template_name"]: t["template_id"] for t in after}
        assert all(ids_after[name] == ids_before[old] for name, old in kept.items()), point
        kills.append(writes_before_kill)
    # the kills landed at distinct points inside the 200 writes, not before or after
    assert len({k for k in kills if 0 < k < 200}) >= 5, kills
