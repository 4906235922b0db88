"""Connecting to the account: the configured endpoint, or the embedded sandbox."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from tplsync.adapters import make_template_api
from tplsync.adapters.base import TemplateApi
from tplsync.adapters.engagelab_send import SendClient
from tplsync.config import READ_PARALLELISM, Config
from tplsync.errors import InputError
from tplsync.http import Trace, Transport, check_endpoint, endpoint_host, is_loopback
from tplsync.redact import remember
from tplsync.safetext import printable
from tplsync.savedplan import signing_key


@dataclass(frozen=True)
class Account:
    client: TemplateApi
    endpoint: str
    fingerprint: str  # non-secret: identifies endpoint + user, never the key
    signing_key: bytes = field(repr=False, default=b"")  # for saved plans; never written
    sms: SendClient | None = None
    otp: SendClient | None = None


def fingerprint(endpoint: str, user: str) -> str:
    return hashlib.sha256(f"{endpoint.rstrip('/')}\n{user}".encode()).hexdigest()[:16]


def _credentials(
    environ: Mapping[str, str], user_variable: str, key_variable: str, what: str
) -> tuple[str, str]:
    user, key = environ.get(user_variable), environ.get(key_variable)
    if not user or not key:
        missing = [n for n, v in ((user_variable, user), (key_variable, key)) if not v]
        raise InputError(
            f"set {' and '.join(missing)} to {what} (or try the built-in sandbox with --sandbox)"
        )
    return user, key


def _review_delay(environ: Mapping[str, str]) -> float:
    delay = environ.get("TPLSYNC_SANDBOX_REVIEW_DELAY", "5")
    try:
        seconds = float(delay)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= 86400:
        raise InputError(
            f"environment variable TPLSYNC_SANDBOX_REVIEW_DELAY={delay!r}: "
            "must be a number of seconds from 0 to 86400"
        )
    return seconds


# The service's own hosts: an endpoint in tplsync.yaml may name these (or
# loopback) without any confirmation from outside the repository.
SERVICE_DOMAINS = ("engagelab.cc", "engagelab.com")


def check_config_endpoint(
    config: Config, setting: str, url: str, environ: Mapping[str, str]
) -> None:
    """Refuse to send credentials to a host that only the config file names.

    Whoever can change ``tplsync.yaml`` (a pull request, say) could otherwise
    point the endpoint at a host of their choosing and receive the keys CI
    holds. Hosts outside EngageLab and loopback must also be named in
    ``TPLSYNC_TRUSTED_HOSTS`` or given by flag or environment variable.
    """
    check_endpoint(url)
    host = endpoint_host(url)
    trusted = {h.strip().lower() for h in environ.get("TPLSYNC_TRUSTED_HOSTS", "").split(",")}
    if (
        is_loopback(url)
        or host in trusted
        or any(host == d or host.endswith("." + d) for d in SERVICE_DOMAINS)
    ):
        return
    raise InputError(
        f"{config.source}: api.{setting} {printable(url)} is not an EngageLab host, and "
        "the credentials go to a host from the config file only if TPLSYNC_TRUSTED_HOSTS "
        f"names it ({host}); or give the endpoint with a flag or TPLSYNC_* variable"
    )


@contextmanager
def connect(
    config: Config,
    environ: Mapping[str, str],
    sandbox: bool = False,
    insecure: bool = False,
    trace: Trace | None = None,
    parallelism: int | None = None,
    send: bool = False,
    progress: Trace | None = None,
    templates: bool = True,
) -> Iterator[Account]:
    """The account's template API (and with ``send``, its send APIs), closed afterwards.

    Without ``templates`` the template API's credentials are not asked for
    (``otp send`` needs only the send APIs').

    Secrets come only from the environment variables that ``credentials``
    names. With ``sandbox``, an emulator runs in-process for the duration,
    its state in ``.tplsync/sandbox.json`` beside ``tplsync.yaml``.
    """
    reads = parallelism or config.api.parallelism or READ_PARALLELISM
    names = config.credentials
    configs = config.api.dialect == "template-configs"  # the dev key pair for everything
    for pair in ((names.sms_user, names.sms_key), (names.dev_key, names.dev_secret)):
        remember(*(environ.get(name, "") for name in pair))  # even a pair this run does not use
    with ExitStack() as stack:
        if sandbox:
            from tplsync.sandbox.embedded import embedded_sandbox  # the emulator loads on demand

            server = stack.enter_context(embedded_sandbox(config.root, _review_delay(environ)))
            given = server.credentials
            endpoints = (server.url, server.url, f"{server.url}/otp")
            auth, dev = (given.sms_user, given.sms_key), (given.dev_key, given.dev_secret)
            if configs:
                auth = dev
            # the port changes every run: identify the sandbox by its state file
            identity = f"sandbox:{config.root / '.tplsync'}"
            account_id = fingerprint("sandbox", auth[0])
        else:
            api = config.api
            endpoints = (api.endpoint, api.sms_endpoint, api.otp_endpoint)
            reached = {"endpoint"} if templates else set()
            reached |= {"sms_endpoint", "otp_endpoint"} if send else set()
            for setting in sorted(config.file_endpoints & reached):
                check_config_endpoint(config, setting, getattr(api, setting), environ)
            auth, dev = ("", ""), ("", "")
            if send or (templates and configs):
                what = "the send APIs' dev_key and dev_secret"
                if templates and configs:
                    what = "the template API's dev_key and dev_secret"
                dev = _credentials(environ, names.dev_key, names.dev_secret, what)
            if templates and configs:
                auth = dev
            elif templates:
                what = "the template API's sms_user and sms_key"
                auth = _credentials(environ, names.sms_user, names.sms_key, what)
            identity, account_id = api.endpoint, fingerprint(api.endpoint, auth[0])

        def transport(url: str, pair: tuple[str, str], credentials: str = "") -> Transport:
            made = Transport(
                url,
                pair,
                config.api.timeout,
                config.api.retry_budget,
                pool_size=max(16, reads),
                insecure=insecure,
                trace=trace,
                progress=progress,
                credentials=credentials,
            )
            stack.callback(made.close)
            return made

        pair = (names.dev_key, names.dev_secret) if configs else (names.sms_user, names.sms_key)
        used = "" if sandbox else f"the values of {pair[0]} and {pair[1]}"
        yield Account(
            make_template_api(config.api.dialect, transport(endpoints[0], auth, used), reads),
            identity,
            account_id,
            signing_key(auth[1]),
            SendClient(transport(endpoints[1], dev)) if send else None,
            SendClient(transport(endpoints[2], dev)) if send else None,
        )
