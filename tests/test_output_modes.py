"""``--quiet`` and ``NO_COLOR`` across the commands.

Quiet keeps problems, errors and the data a command was asked for (a plan,
a status table, a send's ids); it drops progress, per-file lines and
success summaries. Colour needs a terminal and is off with ``NO_COLOR`` or
``--no-color``: checked in a real pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import invoke


@pytest.fixture(autouse=True)
def immediate_review(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "0")


def test_quiet_success_prints_nothing(example: Path) -> None:
    for args in (
        ["lint", "-q"],
        ["apply", "--sandbox", "--auto-approve", "-q"],
        ["pull", "--sandbox", "--dir", "../pulled", "-q"],  # inside, each name is declared
        ["preview", "--html", "site", "-q"],
        ["init", "--dir", "fresh", "-q"],
    ):
        run = invoke(*args)
        assert (run.exit_code, run.stdout, run.stderr) == (0, "", ""), args
    assert (example.parent / "pulled" / "login-code.yaml").is_file()
    assert (example / "fresh" / "tplsync.yaml").is_file()


def test_quiet_keeps_the_data_asked_for_and_every_problem(example: Path) -> None:
    assert invoke("apply", "--sandbox", "--auto-approve", "-q").exit_code == 0
    sent = invoke("send", "login-code", "--sandbox", "--to", "+8613800138000", "--sample=1", "-q")
    assert sent.exit_code == 0, sent.stderr
    assert sent.stdout.startswith("sent: plan_id ") and sent.stdout.count("\n") == 1
    status = invoke("status", "--sandbox", "-q")
    assert status.stdout.count("approved") == 12
    (example / "spring-sale.yaml").write_text(
        (example / "spring-sale.yaml").read_text().replace("Acme spring sale", "A test sale")
    )
    assert "forbidden-words" in invoke("lint", "-q").stdout
    refused = invoke("apply", "--sandbox", "--auto-approve", "-q")
    assert refused.exit_code == 1
    assert "spring-sale.yaml" in refused.stderr and "forbidden-words" in refused.stderr


def in_terminal(project: Path, *args: str, **environment: str) -> str:
    """What the command writes to a terminal."""
    primary, secondary = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tplsync", *args],
        cwd=project,
        env={**environ, "TERM": "xterm", **environment},
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # the terminal is gone once the command has ended
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(primary)
    return b"".join(chunks).decode()


@pytest.mark.parametrize(
    "args",
    [["lint"], ["plan", "--sandbox"], ["preview", "spring-sale"]],
    ids=["lint", "plan", "preview"],
)
def test_colour_only_on_a_terminal_without_no_color(example: Path, args: list[str]) -> None:
    # a lint error for lint and preview; plan refuses those, so an edit it plans
    edit = "Acme spring offer" if args[0] == "plan" else "A test sale"
    (example / "spring-sale.yaml").write_text(
        (example / "spring-sale.yaml").read_text().replace("Acme spring sale", edit)
    )
    assert "\x1b[" in in_terminal(example, *args)
    assert "\x1b[" not in in_terminal(example, *args, NO_COLOR="1")
    assert "\x1b[" not in in_terminal(example, *args, "--no-color")


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_refused_connection_fails_fast_and_shows_each_retry_on_a_terminal(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    credentials = {"ENGAGELAB_SMS_USER": "u", "ENGAGELAB_SMS_KEY": "k", "TPLSYNC_ENDPOINT": ""}
    shown = in_terminal(example, "status", "--endpoint", endpoint, **credentials)
    retries = [line for line in shown.splitlines() if line.startswith("retrying list templates")]
    assert len(retries) == 3, shown
    assert retries[0].endswith(f"cannot connect to {endpoint}: connection refused")
    assert "connection refused; gave up after 4 tries in " in shown
    # without a terminal: only the one-line error, exit 3, the budget not waited out
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    piped = invoke("status", "--endpoint", endpoint)
    assert piped.exit_code == 3
    assert piped.stderr.startswith("error: list templates: cannot connect to ")
    assert piped.stderr.count("\n") == 1
