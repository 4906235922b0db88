"""What the commands' click declarations share: the common flags, the account
flags, the sandbox's fault and credential flags, and the one error handler."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from tplsync.commands.common import AccountFlags, Options
from tplsync.errors import ExitCode, TplsyncError

F = TypeVar("F", bound=Callable[..., Any])
_NEGATIVE = re.compile(r"-[0-9.]")


def common_options(formats: Sequence[str]) -> Callable[[F], F]:
    """Add the flags of every command, passed as ``options``."""

    def decorate(function: F) -> F:
        @click.option(
            "--config",
            envvar="TPLSYNC_CONFIG",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="tplsync.yaml to use (default: search upwards from here).",
        )
        @click.option(
            "--env",
            "env",
            envvar="TPLSYNC_ENV",
            metavar="NAME",
            help="Apply the named section of 'environments' in tplsync.yaml.",
        )
        @click.option(
            "--format",
            "output_format",
            type=click.Choice(list(formats)),
            help=f"Output format (default: {formats[0]}).",
        )
        @click.option("--no-color", is_flag=True, help="No colour (also: NO_COLOR set).")
        @click.option("-v", "--verbose", count=True, help="More detail.")
        @click.option("-q", "--quiet", is_flag=True, help="Only problems and errors.")
        @functools.wraps(function)
        def wrapper(
            config: str | None,
            env: str | None,
            output_format: str | None,
            no_color: bool,
            verbose: int,
            quiet: bool,
            **kwargs: Any,
        ) -> Any:
            colour = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
            path = Path(config) if config else None
            options = Options(path, env, output_format, colour, verbose, quiet)
            return function(options, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


_SANDBOX = click.option(
    "--sandbox",
    is_flag=True,
    help="Use the built-in emulator (state in .tplsync/), no account.",
)
_INSECURE = click.option(
    "--insecure", is_flag=True, help="Allow plain http:// to a non-loopback endpoint."
)


def account_options(function: F) -> F:
    """Add --sandbox, --insecure, --endpoint and --parallelism, passed as ``flags``."""

    @_SANDBOX
    @_INSECURE
    @click.option(
        "--endpoint",
        envvar="TPLSYNC_ENDPOINT",
        metavar="URL",
        help="Template API URL (overrides api.endpoint).",
    )
    @click.option(
        "--parallelism",
        type=click.IntRange(1, 64),
        help="Requests at a time (default: api.parallelism, else 4 writes and 16 page reads).",
    )
    @functools.wraps(function)
    def wrapper(
        sandbox: bool, insecure: bool, endpoint: str | None, parallelism: int | None, **kwargs: Any
    ) -> Any:
        return function(flags=AccountFlags(sandbox, insecure, endpoint, parallelism), **kwargs)

    return wrapper  # type: ignore[return-value]


def send_api_options(function: F) -> F:
    """Add --sandbox and --insecure only: a command that never reaches the
    template API offers none of its flags."""

    @_SANDBOX
    @_INSECURE
    @functools.wraps(function)
    def wrapper(sandbox: bool, insecure: bool, **kwargs: Any) -> Any:
        return function(flags=AccountFlags(sandbox, insecure, None, None), **kwargs)

    return wrapper  # type: ignore[return-value]


class OmittableValue(click.Option):
    """An option whose value may be left out: ``--wait-for-review`` alone
    stands for ``--wait-for-review 600``. Declared to click as an option that
    takes a value (click's own kind reads ``--wait-for-review -5`` as the
    option alone and an unknown option ``-5``, not as a value to refuse);
    :class:`TplsyncCommand` writes the left-out value in."""

    def __init__(self, *args: Any, omitted: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.omitted = omitted


def with_omitted_values(params: Sequence[click.Parameter], args: Sequence[str]) -> list[str]:
    """``args`` with the value of each :class:`OmittableValue` option written
    out where it was left out: nothing follows it, or another option does (a
    negative number is a value)."""
    omitted = {
        name: param.omitted
        for param in params
        if isinstance(param, OmittableValue)
        for name in param.opts
    }
    written: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return written + list(args[index:])
        written.append(arg)
        following = args[index + 1] if index + 1 < len(args) else None
        if arg in omitted and (following is None or _is_option(following)):
            written.append(omitted[arg])
    return written


def _is_option(arg: str) -> bool:
    return arg.startswith("-") and len(arg) > 1 and not _NEGATIVE.match(arg)


class TplsyncCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, with_omitted_values(self.params, args))
        except click.UsageError as error:
            # click leaves a missing option value without its command
            error.ctx = error.ctx or ctx
            raise


class TplsyncGroup(click.Group):
    """The one error handler: expected failures become a message and an exit code."""

    command_class = TplsyncCommand
    group_class = type  # a subgroup (otp) and its commands parse as these do

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        kwargs.setdefault("prog_name", "tplsync")
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as exit_:
            sys.exit(exit_.exit_code)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help() if error.ctx else "", err=True)  # tplsync alone
            sys.exit(ExitCode.USAGE)
        except click.UsageError as error:
            # a secret given by mistake as an option's value is not echoed;
            # the config that may rename its variables is not read yet
            _remember_default_secrets()
            command = error.ctx.command_path if error.ctx is not None else "tplsync"
            _error(f"{error.format_message()} (see {command} --help)")
            sys.exit(ExitCode.USAGE)
        except click.ClickException as error:
            _error(error.format_message())
            sys.exit(ExitCode.INVALID_INPUT)
        except TplsyncError as error:
            _error(str(error), error.details)
            sys.exit(error.exit_code)
        except (KeyboardInterrupt, click.Abort):
            click.echo("interrupted", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        sys.exit(int(result or 0))


def _remember_default_secrets() -> None:
    # loaded only when there is a usage error to show
    from tplsync.config import Credentials
    from tplsync.redact import remember

    names = Credentials()
    for pair in ((names.sms_user, names.sms_key), (names.dev_key, names.dev_secret)):
        remember(*(os.environ.get(name, "") for name in pair))


def _error(message: str, details: Sequence[str] = ()) -> None:
    """``error: message`` on one line, then its detail lines; secrets and
    control characters never reach the terminal."""
    # loaded only when there is an error to show
    from tplsync.redact import redact
    from tplsync.safetext import printable

    click.echo(f"error: {printable(redact(' '.join(message.splitlines())))}", err=True)
    for line in details:
        click.echo(f"  {printable(redact(line))}", err=True)


def review_options(function: F) -> F:
    """Add the sandbox's review and OTP settings, passed as ``settings``."""

    @click.option(
        "--review-delay",
        default=5.0,
        show_default=True,
        type=click.FloatRange(0),
        help="Seconds from submit to approval.",
    )
    @click.option(
        "--reject",
        "reject",
        multiple=True,
        metavar="PATTERN=MESSAGE",
        help="Reject submitted content matching the regular expression.",
    )
    @click.option(
        "--otp-validity",
        default=60.0,
        show_default=True,
        type=click.FloatRange(0),
        help="Seconds before the same OTP template may go to the same target again.",
    )
    @functools.wraps(function)
    def wrapper(
        review_delay: float, reject: tuple[str, ...], otp_validity: float, **kwargs: Any
    ) -> Any:
        # the sandbox loads only for the command that runs it
        from tplsync.commands.sandbox import review_rules
        from tplsync.sandbox.state import Settings

        settings = Settings(review_delay, review_rules(reject), otp_validity)
        return function(settings=settings, **kwargs)

    return wrapper  # type: ignore[return-value]


def fault_options(function: F) -> F:
    """Add the sandbox's fault flags, passed as ``faults``."""

    @click.option("--latency-ms", default=0.0, type=click.FloatRange(0), help="Added latency.")
    @click.option(
        "--jitter-ms", default=0.0, type=click.FloatRange(0), help="Random extra latency."
    )
    @click.option("--error-rate", default=0.0, type=click.FloatRange(0, 1), help="HTTP 500 share.")
    @click.option(
        "--rate-limit",
        default=0.0,
        type=click.FloatRange(0),
        help="Requests per second before HTTP 429 with Retry-After (0: no limit).",
    )
    @click.option(
        "--throttle-rate",
        default=0.0,
        type=click.FloatRange(0, 1),
        help="Share of requests answered 429 at random.",
    )
    @click.option(
        "--drop-rate",
        default=0.0,
        type=click.FloatRange(0, 1),
        help="Share of requests applied, then closed without an answer.",
    )
    @click.option(
        "--timeout-rate",
        default=0.0,
        type=click.FloatRange(0, 1),
        help="Share of requests applied, then answered after --timeout-delay.",
    )
    @click.option(
        "--timeout-delay",
        default=5.0,
        type=click.FloatRange(0),
        show_default=True,
        help="Seconds before a --timeout-rate answer is sent.",
    )
    @click.option("--fault-seed", default=0, show_default=True, help="Seed of the fault draws.")
    @functools.wraps(function)
    def wrapper(
        latency_ms: float,
        jitter_ms: float,
        error_rate: float,
        rate_limit: float,
        throttle_rate: float,
        drop_rate: float,
        timeout_rate: float,
        timeout_delay: float,
        fault_seed: int,
        **kwargs: Any,
    ) -> Any:
        from tplsync.sandbox.faults import FaultSettings  # only to run the sandbox

        faults = FaultSettings(
            latency_ms=latency_ms,
            jitter_ms=jitter_ms,
            error_rate=error_rate,
            rate_limit=rate_limit,
            throttle_rate=throttle_rate,
            drop_rate=drop_rate,
            timeout_rate=timeout_rate,
            timeout_delay=timeout_delay,
            seed=fault_seed,
        )
        return function(faults=faults, **kwargs)

    return wrapper  # type: ignore[return-value]


def credential_options(function: F) -> F:
    """Add the key pairs the sandbox accepts, passed as ``credentials``."""

    @click.option(
        "--sms-user",
        envvar="TPLSYNC_SANDBOX_SMS_USER",
        default="sandbox-user",
        show_default=True,
        help="User the template API accepts.",
    )
    @click.option(
        "--sms-key",
        envvar="TPLSYNC_SANDBOX_SMS_KEY",
        default="sandbox-key",
        help="Key the template API accepts (default: sandbox-key).",
    )
    @click.option(
        "--dev-key",
        envvar="TPLSYNC_SANDBOX_DEV_KEY",
        default="sandbox-dev-key",
        show_default=True,
        help="Dev key the SMS and OTP send APIs accept.",
    )
    @click.option(
        "--dev-secret",
        envvar="TPLSYNC_SANDBOX_DEV_SECRET",
        default="sandbox-dev-secret",
        help="Dev secret the send APIs accept (default: sandbox-dev-secret).",
    )
    @functools.wraps(function)
    def wrapper(sms_user: str, sms_key: str, dev_key: str, dev_secret: str, **kwargs: Any) -> Any:
        from tplsync.sandbox.server import SandboxCredentials  # only to run the sandbox

        credentials = SandboxCredentials(sms_user, sms_key, dev_key, dev_secret)
        return function(credentials=credentials, **kwargs)

    return wrapper  # type: ignore[return-value]


def scope_options(function: F) -> F:
    """Add --prune/--no-prune and --resubmit, as plan and apply take them (bottom first)."""
    for option in (
        click.option("--resubmit", is_flag=True, help="Submit rejected templates again."),
        click.option(
            "--prune/--no-prune", default=None, help="Delete owned templates no file declares."
        ),
    ):
        function = option(function)
    return function


def serve_options(function: F) -> F:
    """Add where the sandbox listens and what it starts from (bottom option first)."""
    for option in (
        click.option(
            "--seed",
            type=click.Path(exists=True, path_type=Path),
            help="Add templates from a template directory or a GET /v1/templates JSON dump.",
        ),
        click.option(
            "--state",
            type=click.Path(dir_okay=False, path_type=Path),
            help="JSON file keeping the account between runs (default: in memory).",
        ),
        click.option(
            "--port",
            default=8780,
            show_default=True,
            type=click.IntRange(0, 65535),
            help="Port to listen on (0: any free port).",
        ),
        click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind."),
    ):
        function = option(function)
    return function
