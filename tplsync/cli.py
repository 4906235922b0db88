"""The command line: parse options, call the core, print, return an exit code."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import click

from tplsync import __version__
from tplsync.errors import ExitCode, TplsyncError, UsageError

F = TypeVar("F", bound=Callable[..., Any])


class Options:
    """The common flags of every command."""

    def __init__(
        self,
        config: str | None,
        env: str | None,
        output_format: str | None,
        no_color: bool,
        verbose: int,
        quiet: bool,
    ) -> None:
        self.config = Path(config) if config else None
        self.env = env
        self.format = output_format
        self.colour = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
        self.verbose = verbose
        self.quiet = quiet

    def load_config(self, overrides: dict[str, Any] | None = None) -> Any:
        from tplsync.config import load_config

        return load_config(self.config, Path.cwd(), self.env, os.environ, overrides)


def common_options(formats: Sequence[str]) -> Callable[[F], F]:
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
            options = Options(config, env, output_format, no_color, verbose, quiet)
            return function(options, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def parse_pairs(values: Sequence[str], flag: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        name, separator, text = value.partition("=")
        if not separator or not name:
            raise UsageError(f"{flag} {value!r}: expected NAME=VALUE")
        pairs[name] = text
    return pairs


class TplsyncGroup(click.Group):
    """The one error handler: expected failures become a message and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        kwargs.setdefault("prog_name", "tplsync")
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as exit_:
            sys.exit(exit_.exit_code)
        except click.UsageError as error:
            error.show()
            sys.exit(ExitCode.USAGE)
        except click.ClickException as error:
            error.show()
            sys.exit(ExitCode.INVALID_INPUT)
        except TplsyncError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except (KeyboardInterrupt, click.Abort):
            click.echo("interrupted", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        sys.exit(int(result or 0))


@click.group(cls=TplsyncGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tplsync")
def cli() -> None:
    """EngageLab SMS templates as code: lint, preview, plan and apply."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@common_options(("text", "json", "github"))
def lint(options: Options, paths: tuple[str, ...], strict: bool) -> int:
    """Check template files offline: schema, content rules, encoding, segments.

    PATHS are files, directories or globs; by default the 'templates' of
    tplsync.yaml. Exit 1 on errors (and on warnings with --strict).
    """
    from tplsync.commands.lint import run_lint

    output_format = options.format
    if output_format is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        output_format = "github" if github else "text"
    text, exit_code = run_lint(
        options.load_config(), paths, strict, output_format, options.colour, options.quiet
    )
    if text:  # quiet and clean: nothing at all
        click.echo(text, color=options.colour)
    return exit_code


@dataclasses.dataclass(frozen=True)
class AccountFlags:
    """The flags of every command that reads the account."""

    sandbox: bool
    insecure: bool
    endpoint: str | None
    parallelism: int | None

    def load_config(self, options: Options) -> Any:
        return options.load_config({"api.endpoint": self.endpoint})

    def connect(self, options: Options, config: Any, send: bool = False) -> Any:
        from tplsync.account import connect

        trace = (lambda line: click.echo(line, err=True)) if options.verbose else None
        return connect(
            config, os.environ, self.sandbox, self.insecure, trace, self.parallelism, send
        )


def account_options(function: F) -> F:
    """Add --sandbox, --insecure, --endpoint and --parallelism, passed as ``flags``."""

    @click.option(
        "--sandbox",
        is_flag=True,
        help="Use the built-in emulator (state in .tplsync/), no account.",
    )
    @click.option(
        "--insecure", is_flag=True, help="Allow plain http:// to a non-loopback endpoint."
    )
    @click.option(
        "--endpoint",
        envvar="TPLSYNC_ENDPOINT",
        metavar="URL",
        help="Template API URL (overrides api.endpoint).",
    )
    @click.option(
        "--parallelism",
        type=click.IntRange(1, 64),
        envvar="TPLSYNC_PARALLELISM",
        help="Requests at a time (default: api.parallelism, else 4 writes and 16 page reads).",
    )
    @functools.wraps(function)
    def wrapper(
        sandbox: bool, insecure: bool, endpoint: str | None, parallelism: int | None, **kwargs: Any
    ) -> Any:
        return function(flags=AccountFlags(sandbox, insecure, endpoint, parallelism), **kwargs)

    return wrapper  # type: ignore[return-value]


@cli.command()
@click.argument("names", nargs=-1)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Render with these params instead of the samples (repeatable).",
)
@click.option("--text", metavar="STR", help="Measure this text: a plain segment calculator.")
@click.option(
    "--html",
    "html_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a gallery of static pages to DIR (replaced as a whole) instead.",
)
@click.option(
    "--status",
    "with_status",
    is_flag=True,
    help="With --html: badge each template with its review state in the account.",
)
@account_options
@common_options(("text", "json"))
def preview(
    options: Options,
    flags: AccountFlags,
    names: tuple[str, ...],
    params: tuple[str, ...],
    text: str | None,
    html_dir: Path | None,
    with_status: bool,
) -> int:
    """Show exactly what a phone receives: text, encoding, segments.

    Renders every sample of the NAMEd templates (default: all), or the
    --param values, as the service does: a placeholder without a value stays
    literal and nothing is evaluated. --html DIR writes the same as pages:
    phone-style bubbles with segment boundaries and UCS-2 characters marked,
    lint problems and (with --status or --sandbox) review states.
    """
    from tplsync.commands.preview import measure_text, run_preview

    output_format = options.format or "text"
    if text is not None:
        if names or params or html_dir:
            raise UsageError(
                "--text measures a plain text: give it without NAME, --param or --html"
            )
        click.echo(measure_text(text, output_format))
        return ExitCode.OK
    if html_dir is None and (with_status or flags.sandbox):
        raise UsageError("--status and --sandbox show review states in the --html gallery")
    values = parse_pairs(params, "--param") if params else None
    if html_dir is not None:
        return html_gallery(options, flags, html_dir, names, values, with_status)
    click.echo(
        run_preview(options.load_config(), names, values, output_format), color=options.colour
    )
    return ExitCode.OK


def html_gallery(
    options: Options,
    flags: AccountFlags,
    target: Path,
    names: Sequence[str],
    params: dict[str, str] | None,
    with_status: bool,
) -> int:
    from tplsync.commands import gallery

    config = flags.load_config(options)
    remote, status_from = None, None
    if with_status or flags.sandbox:
        with flags.connect(options, config) as account:
            remote = account.client.list()
        status_from = "the sandbox" if flags.sandbox else config.api.endpoint
    built = gallery.build_gallery(config, names, params, remote, status_from)
    gallery.write_gallery(built, target)
    if not options.quiet:
        flagged = sum(1 for card in built.cards if card.problems)
        previews = sum(len(card.bubbles) for card in built.cards)
        click.echo(
            f"Wrote {target / 'index.html'}: {len(built.cards)} templates, {previews} previews, "
            f"{flagged} with lint problems."
        )
    return ExitCode.OK


@cli.command()
@click.option("--prune/--no-prune", default=None, help="Delete owned templates no file declares.")
@click.option("--resubmit", is_flag=True, help="Submit rejected templates again.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan for apply --plan.",
)
@account_options
@common_options(("text", "json", "markdown"))
def plan(
    options: Options,
    prune: bool | None,
    resubmit: bool,
    detailed_exitcode: bool,
    out_file: Path | None,
    flags: AccountFlags,
) -> int:
    """Show what apply would change in the account."""
    from tplsync import savedplan
    from tplsync.commands.sync import compute_plan, plan_options
    from tplsync.files import append_step_summary, write_atomic
    from tplsync.planoutput import plan_json, plan_markdown, plan_text

    config = flags.load_config(options)
    with flags.connect(options, config) as account:
        result = compute_plan(config, account, plan_options(config, prune, resubmit))
        if out_file is not None:
            now = datetime.now(timezone.utc)
            saved = savedplan.dump(
                result, account.endpoint, account.fingerprint, account.signing_key, now
            )
            write_atomic(out_file, saved)
    append_step_summary(plan_markdown(result))
    if options.format == "json":
        click.echo(plan_json(result))
    elif options.format == "markdown":
        click.echo(plan_markdown(result))
    else:
        click.echo(plan_text(result, options.colour), color=options.colour)
    if detailed_exitcode and result.changes:
        return ExitCode.CHANGES_PENDING
    return ExitCode.OK


@cli.command()
@click.option("--prune/--no-prune", default=None, help="Delete owned templates no file declares.")
@click.option("--resubmit", is_flag=True, help="Submit rejected templates again.")
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Pass the safety thresholds (never protect).")
@click.option(
    "--allow-replace",
    is_flag=True,
    help="Delete and create again templates whose signature is removed (new id, review).",
)
@click.option("--fail-fast", is_flag=True, help="Start nothing new after a failure.")
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result as JSON.",
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply a plan saved by plan --out, exactly, or refuse (exit 5).",
)
@click.option(
    "--max-plan-age",
    default="24h",
    show_default=True,
    metavar="DURATION",
    help="Refuse older saved plans (e.g. 30m, 2h, 1d).",
)
@click.option(
    "--wait-for-review",
    "wait_review",
    is_flag=False,
    flag_value="600",
    default=None,
    metavar="[SECS]",
    help="Wait until submitted templates are approved or rejected (default 600 s).",
)
@account_options
@common_options(("text", "json"))
def apply(
    options: Options,
    prune: bool | None,
    resubmit: bool,
    auto_approve: bool,
    force: bool,
    allow_replace: bool,
    fail_fast: bool,
    report_file: Path | None,
    plan_file: Path | None,
    max_plan_age: str,
    wait_review: str | None,
    flags: AccountFlags,
) -> int:
    """Carry the plan out: creates, updates, renames, submits, deletes."""
    from tplsync import safety
    from tplsync.apply import apply_plan
    from tplsync.commands.sync import compute_plan, plan_options
    from tplsync.config import WRITE_PARALLELISM
    from tplsync.errors import SafetyError
    from tplsync.files import write_atomic
    from tplsync.planoutput import outcome_line, plan_text, report_json, report_text

    config = flags.load_config(options)
    workers = flags.parallelism or config.api.parallelism or WRITE_PARALLELISM
    max_age = parse_duration(max_plan_age)
    with flags.connect(options, config) as account:
        if plan_file is not None:
            result = saved_plan(plan_file, account, max_age)
        else:
            result = compute_plan(config, account, plan_options(config, prune, resubmit))
        if options.format != "json" and not options.quiet:
            click.echo(plan_text(result, options.colour), color=options.colour)
        if not result.actionable:
            return ExitCode.OK
        safety.check(result, config.safety, force, allow_replace)
        if not auto_approve:
            if not sys.stdin.isatty():
                raise SafetyError(
                    "no terminal to confirm on: review the plan, then run apply --auto-approve"
                )
            if not click.confirm("Apply these changes?"):
                raise SafetyError("apply cancelled")
        tty = sys.stdout.isatty() and options.format != "json" and not options.quiet
        with (
            click.progressbar(length=len(result.changes), label="Applying", file=sys.stderr)
            if tty
            else _nothing() as bar
        ):

            def progress(outcome: Any) -> None:
                if bar is not None:
                    bar.update(1)
                elif options.format != "json" and not options.quiet:
                    click.echo(outcome_line(outcome))

            report = apply_plan(result, account.client, workers, fail_fast, progress)
        reviews = []
        if wait_review is not None and report.ok:
            from tplsync.apply import submitted, wait_for_review

            reviews = wait_for_review(account.client, submitted(report), float(wait_review))
    if report_file is not None:
        write_atomic(report_file, report_json(report) + "\n")
    if options.format == "json":
        click.echo(report_json(report))
    elif not (options.quiet and report.ok):
        click.echo(report_text(report))
    for review in reviews:
        verdict = "approved" if review.approved else f"not approved: {review.message}"
        click.echo(f"review: {review.name} [{review.template_id}] {verdict}")
    if not report.ok or not all(review.approved for review in reviews):
        return ExitCode.API_FAILURE
    return ExitCode.OK


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    try:
        return float(number) * units[unit]
    except ValueError:
        raise UsageError(f"duration {text!r}: expected e.g. 90s, 30m, 2h or 1d") from None


def saved_plan(path: Path, account: Any, max_age: float) -> Any:
    """The saved plan, checked against the account as it is now."""
    from tplsync import savedplan
    from tplsync.files import read_text

    result, preconditions = savedplan.load(
        read_text(path),
        account.endpoint,
        account.fingerprint,
        account.signing_key,
        datetime.now(timezone.utc),
        max_age,
    )
    problems = savedplan.moved(result, preconditions, account.client.list())
    if problems:
        raise savedplan.StalePlanError(
            "the account moved since the plan was made: "
            + "; ".join(problems)
            + " (run plan again)"
        )
    return result


@contextlib.contextmanager
def _nothing() -> Iterator[None]:
    yield None


@cli.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write (default: the first 'templates' entry).",
)
@click.option("--match", metavar="GLOB", help="Only remote names matching the glob.")
@click.option("--overwrite", is_flag=True, help="Replace files that exist.")
@account_options
@common_options(("text",))
def pull(
    options: Options,
    directory: Path | None,
    match: str | None,
    overwrite: bool,
    flags: AccountFlags,
) -> int:
    """Write template files for the account's templates (adoption)."""
    from tplsync.commands.sync import plan_options
    from tplsync.plan import owns
    from tplsync.pull import pull as pull_templates

    config = flags.load_config(options)
    target = directory or config.root / config.templates[0]
    scope = plan_options(config, None, False)
    with flags.connect(options, config) as account:
        remote = [t for t in account.client.list() if owns(t.name, scope)]
    result = pull_templates(remote, target, match, overwrite, config.syntax)
    if not options.quiet:
        for path in result.written:
            click.echo(f"wrote {path}")
        for path in result.skipped:
            click.echo(f"kept {path} (exists; --overwrite to replace)")
        click.echo(f"{len(result.written)} written, {len(result.skipped)} kept")
    return ExitCode.OK


@cli.command()
@account_options
@common_options(("text", "json"))
def status(options: Options, flags: AccountFlags) -> int:
    """Owned remote templates: review state, rejection reasons, drift."""
    import json

    from tplsync.commands.sync import plan_options, status_rows

    config = flags.load_config(options)
    with flags.connect(options, config) as account:
        rows = status_rows(config, account, plan_options(config, None, False))
    if options.format == "json":
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], indent=2, ensure_ascii=False))
        return ExitCode.OK
    width = max([len(r.name) for r in rows] + [4])
    for row in rows:
        reason = f" ({row.message})" if row.message else ""
        click.echo(
            f"{row.name:<{width}}  {row.template_id:>6}  {row.status:<13}  {row.drift}{reason}"
        )
    if not rows:
        click.echo("No templates in scope.")
    return ExitCode.OK


@cli.command()
@click.argument("name", required=False)
@click.option("--template-id", metavar="ID", help="Send this remote template instead of NAME.")
@click.option(
    "--to",
    "to",
    multiple=True,
    required=True,
    metavar="NUMBER",
    help="A phone number (repeatable).",
)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE")
@click.option(
    "--sample",
    type=click.IntRange(1),
    metavar="N",
    help="Take the params of the template file's sample N.",
)
@click.option("--plan-name", help="Name of the send plan (default: -).")
@click.option("--schedule-at", metavar="TIME", help="ISO-8601 time or +10m / +2h / +1d.")
@click.option("--custom-arg", "custom_args", multiple=True, metavar="NAME=VALUE")
@click.option("--allow-missing", is_flag=True, help="Send even if a variable has no value.")
@click.option(
    "--allow-invalid", is_flag=True, help="Send even if a param breaks its declared variable."
)
@click.option("--dry-run", is_flag=True, help="Check and show the message; send nothing.")
@account_options
@common_options(("text", "json"))
def send(
    options: Options,
    name: str | None,
    template_id: str | None,
    to: tuple[str, ...],
    params: tuple[str, ...],
    sample: int | None,
    plan_name: str | None,
    schedule_at: str | None,
    custom_args: tuple[str, ...],
    allow_missing: bool,
    allow_invalid: bool,
    dry_run: bool,
    flags: AccountFlags,
) -> int:
    """Send an approved template through the SMS API (a test send)."""
    import json

    from tplsync.commands.send import (
        check_declared,
        check_numbers,
        declared_template,
        now_utc,
        prepare,
        schedule_time,
        sent_lines,
    )
    from tplsync.commands.sync import declared_templates
    from tplsync.errors import InputError

    if (name is None) == (template_id is None):
        raise UsageError("give a template NAME or --template-id, not both")
    check_numbers(to)
    when = schedule_time(schedule_at, now_utc()) if schedule_at else None
    config = flags.load_config(options)
    values: dict[str, str] = {}
    if sample is not None:
        if name is None:
            raise UsageError("--sample takes the params of a template file: give its NAME")
        declared = {t.name: t for t in declared_templates(config)}
        if name not in declared or sample > len(declared[name].samples):
            raise InputError(f"no sample {sample} for {name!r} in the template files")
        values.update(declared[name].samples[sample - 1].params)
    values.update(parse_pairs(params, "--param"))
    if name is not None and not allow_invalid:
        check_declared(declared_template(config, name), values)
    with flags.connect(options, config, send=True) as account:
        remote = (
            account.client.find(name) if name is not None else account.client.get(template_id or "")
        )
        if remote is None:
            raise InputError(f"no template {name or template_id!r} in the account")
        if name is None and not allow_invalid:
            check_declared(declared_template(config, remote.name), values)
        prepared = prepare(remote, values, len(to), config.syntax, config.signatures, allow_missing)
        if options.format != "json" and not options.quiet:
            click.echo(f"{remote.name} [{remote.id}] to {', '.join(to)}")
            click.echo("\n".join(prepared.describe()))
        if dry_run:
            if options.format == "json":
                click.echo(
                    json.dumps(
                        {"dry_run": True, "text": prepared.text, **prepared.analysis.to_json()},
                        ensure_ascii=False,
                    )
                )
            return ExitCode.OK
        assert account.sms is not None
        result = account.sms.sms(
            to, remote.id, values, plan_name, when, parse_pairs(custom_args, "--custom-arg")
        )
    if options.format == "json":
        click.echo(json.dumps(dataclasses.asdict(result)))
    else:
        click.echo("\n".join(sent_lines(to, result)))
    return ExitCode.OK if result.code is None else ExitCode.API_FAILURE


@cli.group()
def otp() -> None:
    """The OTP API."""


@otp.command(name="send")
@click.argument("template_id")
@click.option("--to", "to", required=True, metavar="DEST", help="A phone number or an email.")
@click.option("--language", default="default", show_default=True)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE")
@account_options
@common_options(("text", "json"))
def otp_send(
    options: Options,
    template_id: str,
    to: str,
    language: str,
    params: tuple[str, ...],
    flags: AccountFlags,
) -> int:
    """Send a one-time password through the OTP API."""
    import json

    config = flags.load_config(options)
    with flags.connect(options, config, send=True) as account:
        assert account.otp is not None
        result = account.otp.otp(to, template_id, language, parse_pairs(params, "--param"))
    if options.format == "json":
        click.echo(json.dumps(dataclasses.asdict(result)))
    else:
        click.echo(f"sent: message_id {result.message_id} via {result.channel}")
    return ExitCode.OK


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8780, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file keeping the account between runs (default: in memory).",
)
@click.option(
    "--seed",
    type=click.Path(exists=True, path_type=Path),
    help="Add templates from a template directory or a GET /v1/templates JSON dump.",
)
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
@click.option("--latency-ms", default=0.0, type=click.FloatRange(0), help="Added latency.")
@click.option("--jitter-ms", default=0.0, type=click.FloatRange(0), help="Random extra latency.")
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
@click.option("--timeout-delay", default=5.0, type=click.FloatRange(0), show_default=True)
@click.option("--fault-seed", default=0, show_default=True, help="Seed of the fault draws.")
@click.option("--sms-user", envvar="TPLSYNC_SANDBOX_SMS_USER", default="sandbox-user")
@click.option("--sms-key", envvar="TPLSYNC_SANDBOX_SMS_KEY", default="sandbox-key")
@click.option("--dev-key", envvar="TPLSYNC_SANDBOX_DEV_KEY", default="sandbox-dev-key")
@click.option("--dev-secret", envvar="TPLSYNC_SANDBOX_DEV_SECRET", default="sandbox-dev-secret")
def sandbox(
    host: str,
    port: int,
    state: Path | None,
    seed: Path | None,
    review_delay: float,
    reject: tuple[str, ...],
    otp_validity: float,
    latency_ms: float,
    jitter_ms: float,
    error_rate: float,
    rate_limit: float,
    throttle_rate: float,
    drop_rate: float,
    timeout_rate: float,
    timeout_delay: float,
    fault_seed: int,
    sms_user: str,
    sms_key: str,
    dev_key: str,
    dev_secret: str,
) -> int:
    """Run the local EngageLab emulator (template, SMS and OTP APIs).

    No account and no network: tplsync's own tests, and yours, run against
    it. Faults are seeded and reproducible. See docs/sandbox.md.
    """
    from tplsync.commands.sandbox import banner, build_server, review_rules
    from tplsync.sandbox.faults import FaultSettings
    from tplsync.sandbox.server import SandboxCredentials
    from tplsync.sandbox.state import Settings

    credentials = SandboxCredentials(sms_user, sms_key, dev_key, dev_secret)
    server = build_server(
        host,
        port,
        state,
        seed,
        Settings(review_delay, review_rules(reject), otp_validity),
        FaultSettings(
            latency_ms=latency_ms,
            jitter_ms=jitter_ms,
            error_rate=error_rate,
            rate_limit=rate_limit,
            throttle_rate=throttle_rate,
            drop_rate=drop_rate,
            timeout_rate=timeout_rate,
            timeout_delay=timeout_delay,
            seed=fault_seed,
        ),
        credentials,
    )
    click.echo(banner(server, state, credentials == SandboxCredentials()))
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("sandbox stopped", err=True)
    return ExitCode.OK


@cli.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Where to create the project.",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def init(directory: Path, force: bool, quiet: bool) -> int:
    """Scaffold tplsync.yaml, templates/, a pre-commit config and a CI workflow."""
    from tplsync.scaffold import init as scaffold

    written = scaffold(directory, force)
    if not quiet:
        for name in written:
            click.echo(f"wrote {directory / name}")
        click.echo("Next: tplsync lint && tplsync plan --sandbox; add .tplsync/ to .gitignore.")
    return ExitCode.OK


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops a long-running command as Ctrl-C does (state is flushed)."""
    raise KeyboardInterrupt


def main() -> None:
    cli.main()
