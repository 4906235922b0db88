"""Connecting to the account: the configured endpoint, or the embedded sandbox."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from tplsync.adapters.engagelab_v1 import TemplateClient
from tplsync.config import Config
from tplsync.errors import InputError
from tplsync.http import Trace, Transport


@dataclass(frozen=True)
class Account:
    client: TemplateClient
    endpoint: str
    fingerprint: str  # non-secret: identifies endpoint + user, never the key
    signing_key: bytes = field(repr=False, default=b"")  # for saved plans; never written


def fingerprint(endpoint: str, user: str) -> str:
    return hashlib.sha256(f"{endpoint.rstrip('/')}\n{user}".encode()).hexdigest()[:16]


@contextmanager
def connect(
    config: Config,
    environ: Mapping[str, str],
    sandbox: bool = False,
    insecure: bool = False,
    trace: Trace | None = None,
    parallelism: int | None = None,
) -> Iterator[Account]:
    """The template API of the account, closed afterwards.

    Secrets come only from the environment variables that ``credentials``
    names. With ``sandbox``, an emulator runs in-process for the duration,
    its state in ``.tplsync/sandbox.json`` beside ``tplsync.yaml``.
    """
    workers = parallelism or config.api.parallelism
    if sandbox:
        from tplsync.sandbox.embedded import embedded_sandbox

        delay = environ.get("TPLSYNC_SANDBOX_REVIEW_DELAY", "5")
        try:
            review_delay = float(delay)
        except ValueError:
            raise InputError(f"TPLSYNC_SANDBOX_REVIEW_DELAY={delay!r} is not a number") from None
        with embedded_sandbox(config.root, review_delay) as server:
            credentials = server.credentials
            auth = (credentials.sms_user, credentials.sms_key)
            with _account(server.url, auth, config, insecure, trace, workers) as account:
                # the port changes every run: identify the sandbox by its state file
                yield replace(
                    account,
                    endpoint=f"sandbox:{config.root / '.tplsync'}",
                    fingerprint=fingerprint("sandbox", auth[0]),
                )
        return
    names = config.credentials
    user, key = environ.get(names.sms_user), environ.get(names.sms_key)
    if not user or not key:
        missing = [n for n, v in ((names.sms_user, user), (names.sms_key, key)) if not v]
        raise InputError(
            f"set {' and '.join(missing)} to the template API's sms_user and sms_key "
            "(or try the built-in sandbox with --sandbox)"
        )
    with _account(config.api.endpoint, (user, key), config, insecure, trace, workers) as account:
        yield account


@contextmanager
def _account(
    endpoint: str,
    auth: tuple[str, str],
    config: Config,
    insecure: bool,
    trace: Trace | None,
    workers: int,
) -> Iterator[Account]:
    transport = Transport(
        endpoint,
        auth,
        config.api.timeout,
        config.api.retry_budget,
        pool_size=max(16, workers * 2),
        insecure=insecure,
        trace=trace,
    )
    try:
        from tplsync.savedplan import signing_key

        yield Account(
            TemplateClient(transport, workers),
            endpoint,
            fingerprint(endpoint, auth[0]),
            signing_key(auth[1]),
        )
    finally:
        transport.close()
