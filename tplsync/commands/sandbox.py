"""``tplsync sandbox``: run the emulator until interrupted."""

from __future__ import annotations

import json
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tplsync.commands.values import split_pairs
from tplsync.console import Console
from tplsync.errors import ExitCode, InputError
from tplsync.files import check_writable
from tplsync.sandbox.errors import ServiceError
from tplsync.sandbox.faults import FaultSettings
from tplsync.sandbox.seed import seed
from tplsync.sandbox.server import SandboxCredentials, SandboxServer
from tplsync.sandbox.state import ReviewRule, Settings, Store


def review_rules(values: Sequence[str]) -> list[ReviewRule]:
    pairs = split_pairs(values, "--reject", "PATTERN=MESSAGE", InputError)
    return [ReviewRule(pattern, message or "rejected in the sandbox") for pattern, message in pairs]


def seed_from(store: Store, path: Path) -> None:
    """Templates from a directory of template files or a GET /v1/templates JSON dump."""
    body: Any = {"directory": str(path)}
    if not path.is_dir():
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"{path}: cannot seed from it: {error}") from None
    try:
        seed(store, body)
    except ValueError as error:
        raise InputError(f"{path}: cannot seed from it: {error}") from None
    except ServiceError as error:
        raise InputError(f"{path}: cannot seed from it: {error.message}") from None


def open_store(settings: Settings, state: Path | None, seed: Path | None) -> Store:
    if state is not None:  # fail now, not when the state is flushed at shutdown
        check_writable(state)
    try:
        store = Store(settings, state)
    except ValueError as error:
        raise InputError(str(error)) from None
    if seed is not None:
        seed_from(store, seed)
    return store


def run_sandbox(
    host: str,
    port: int,
    state: Path | None,
    seed: Path | None,
    settings: Settings,
    faults: FaultSettings,
    credentials: SandboxCredentials,
) -> int:
    """Serve until Ctrl-C or SIGTERM; the state is flushed either way."""
    store = open_store(settings, state, seed)
    try:
        server = SandboxServer(store, faults, credentials, host, port)
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    console = Console()
    console.show(banner(server, state, credentials == SandboxCredentials()))
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.error("sandbox stopped")
    return ExitCode.OK


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the sandbox as Ctrl-C does."""
    raise KeyboardInterrupt


def banner(server: SandboxServer, state: Path | None, default_credentials: bool) -> str:
    lines = [
        f"tplsync sandbox on {server.url}",
        f"  template and SMS APIs: {server.url}",
        f"  template-configs API:  {server.url} (the dev key pair)",
        f"  OTP API:               {server.url}/otp",
        f"  admin:                 {server.url}/_sandbox/",
        f"  state:                 {state or 'in memory'}",
    ]
    if default_credentials:
        credentials = server.credentials
        lines += [
            "  credentials:           the documented sandbox defaults; point tplsync at it with",
            f"    export TPLSYNC_ENDPOINT={server.url} TPLSYNC_SMS_ENDPOINT={server.url} "
            f"TPLSYNC_OTP_ENDPOINT={server.url}/otp",
            f"    export ENGAGELAB_SMS_USER={credentials.sms_user} "
            f"ENGAGELAB_SMS_KEY={credentials.sms_key}",
            f"    export ENGAGELAB_DEV_KEY={credentials.dev_key} "
            f"ENGAGELAB_DEV_SECRET={credentials.dev_secret}",
        ]
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)
