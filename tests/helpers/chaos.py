"""A chaos soak: one apply of mixed changes through injected faults loses nothing.

The account starts with templates that the files then create, update,
rename and prune (a quarter each), while the sandbox answers 10% of
requests with HTTP 500, 5% with 429, drops 3% after applying them and
answers 2% after the client gave up. One `tplsync apply` must converge:
afterwards the plan is empty, no name is duplicated, and nothing was
deleted that should not be (updated and renamed templates keep their ids).
Run by the tests at a small size and by ``bench/chaos_soak.py`` at full size.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import requests

from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.seed import seed as seed_sandbox
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store

AUTH = ("sandbox-user", "sandbox-key")
FAULTS = {"error_rate": 0.10, "throttle_rate": 0.05, "drop_rate": 0.03, "timeout_rate": 0.02}


@dataclass(frozen=True)
class SoakResult:
    seconds: float
    calls: int
    retries: int | None  # as the apply summary counts them; None without a summary
    problems: tuple[str, ...]


def _template(name: str, content: str, renamed_from: str | None = None) -> str:
    text = f'name: {name}\ntype: notification\ncontent: "{content}"\n'
    return text + (f"renamed_from: [{renamed_from}]\n" if renamed_from else "")


def scenario(project: Path, changes: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Write the files; return the account's starting templates and, for each
    declared name that must keep its remote template, the name it had."""
    quarter = changes // 4
    templates = project / "templates"
    templates.mkdir(parents=True)
    remote = []
    kept = {}
    for index in range(quarter):  # updated in place
        name = f"update-{index:04}"
        remote.append(
            {
                "template_name": name,
                "template_content": f"Old text {index}",
                "template_type": "1",
                "approval_status": 1,
            }
        )
        (templates / f"{name}.yaml").write_text(_template(name, f"New text {index}"))
        kept[name] = name
    for index in range(quarter):  # renamed
        old, new = f"old-{index:04}", f"renamed-{index:04}"
        remote.append(
            {
                "template_name": old,
                "template_content": f"Same text {index}",
                "template_type": "1",
                "approval_status": 1,
            }
        )
        (templates / f"{new}.yaml").write_text(_template(new, f"Same text {index}", old))
        kept[new] = old
    for index in range(quarter):  # pruned
        remote.append(
            {
                "template_name": f"gone-{index:04}",
                "template_content": "Bye",
                "template_type": "1",
                "approval_status": 1,
            }
        )
    for index in range(changes - 3 * quarter):  # created
        name = f"new-{index:04}"
        (templates / f"{name}.yaml").write_text(_template(name, f"Hello {index}"))
    (project / "tplsync.yaml").write_text("api: {timeout: 0.5, retry_budget: 120}\n")
    return remote, kept


def client_environment(url: str) -> dict[str, str]:
    """The environment a tplsync process needs to reach the sandbox at ``url``."""
    return {
        **os.environ,
        "TPLSYNC_ENDPOINT": url,
        "NO_COLOR": "1",
        "ENGAGELAB_SMS_USER": AUTH[0],
        "ENGAGELAB_SMS_KEY": AUTH[1],
    }


def apply_command(parallelism: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tplsync",
        "apply",
        "--auto-approve",
        "--prune",
        "--force",
        "--parallelism",
        str(parallelism),
    ]


def plan_command() -> list[str]:
    """A plan that exits 2 if anything is left to do, prune included."""
    return [sys.executable, "-m", "tplsync", "plan", "--detailed-exitcode", "--prune"]


def run(command: list[str], project: Path, environment: dict[str, str]) -> CompletedProcess[str]:
    """``command`` run in ``project``, its output kept."""
    return subprocess.run(
        command, cwd=project, env=environment, capture_output=True, text=True, check=False
    )


def soak(changes: int, seed: int, parallelism: int = 8) -> SoakResult:
    problems: list[str] = []
    store = Store(Settings(review_delay=3600))
    faults = FaultSettings(seed=seed, timeout_delay=1.0, **FAULTS)
    with tempfile.TemporaryDirectory() as temporary, SandboxServer(store, faults) as server:
        project = Path(temporary)
        remote, kept = scenario(project, changes)
        seed_sandbox(store, remote)
        ids_before = {t["template_name"]: t["template_id"] for t in listing(server.url)}
        environment = client_environment(server.url)
        started = time.perf_counter()
        applied = run(apply_command(parallelism), project, environment)
        seconds = time.perf_counter() - started
        summary = applied.stdout.strip().splitlines()[-1] if applied.stdout.strip() else ""
        if applied.returncode != 0:
            problems.append(f"apply exited {applied.returncode}: {summary} {applied.stderr}")
        calls = sum(_admin(server, "GET", "requests")["counts"].values())
        _admin(server, "PUT", "faults", json=dict.fromkeys(FAULTS, 0))
        plan = run(plan_command(), project, environment)
        if plan.returncode != 0:
            problems.append(f"the plan after apply is not empty:\n{plan.stdout}{plan.stderr}")
        after = listing(server.url)
        names = [t["template_name"] for t in after]
        if len(names) != len(set(names)):
            problems.append(
                "duplicate names: " + ", ".join(sorted({n for n in names if names.count(n) > 1}))
            )
        ids_after = {t["template_name"]: t["template_id"] for t in after}
        for name, previous in kept.items():
            if ids_after.get(name) != ids_before.get(previous):
                problems.append(f"{name} is not the template {previous} was (deleted?)")
        counted = re.search(r"([0-9]+) retr(?:y|ies)\)", summary)
        retries = int(counted.group(1)) if counted else None
    return SoakResult(seconds, calls, retries, tuple(problems))


def _admin(server: SandboxServer, method: str, path: str, **kwargs: Any) -> Any:
    return requests.request(method, f"{server.url}/_sandbox/{path}", timeout=30, **kwargs).json()


def listing(url: str) -> list[dict[str, Any]]:
    """Every template in the account, asking again through faults."""
    found: list[dict[str, Any]] = []
    offset = 0
    while True:
        try:
            page = requests.get(
                url + "/v1/templates", params={"offset": offset}, auth=AUTH, timeout=30
            )
        except requests.RequestException:
            continue  # a dropped answer: ask again
        if page.status_code != 200:
            continue  # a fault: ask again
        result = page.json()["result"]
        found.extend(result)
        if len(result) < 100:
            return found
        offset += 100
