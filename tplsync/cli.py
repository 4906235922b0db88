"""The command line: click declarations, each calling one function in
``tplsync/commands/`` that returns the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tplsync import __version__
from tplsync.clibase import (
    OmittableValue,
    TplsyncGroup,
    account_options,
    common_options,
    credential_options,
    fault_options,
    review_options,
    scope_options,
    send_api_options,
    serve_options,
)
from tplsync.commands.common import AccountFlags, Options

if TYPE_CHECKING:  # the sandbox is imported only to run it
    from tplsync.sandbox.faults import FaultSettings
    from tplsync.sandbox.server import SandboxCredentials
    from tplsync.sandbox.state import Settings


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

    return run_lint(options, paths, strict)


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
    from tplsync.commands.preview import run_preview

    return run_preview(options, flags, names, params, text, html_dir, with_status)


@cli.command()
@scope_options
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
    from tplsync.commands.plan import run_plan

    return run_plan(options, flags, prune, resubmit, detailed_exitcode, out_file)


@cli.command()
@scope_options
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
    cls=OmittableValue,
    omitted="600",
    metavar="[SECS]",
    help="Wait until submitted templates are approved or rejected (default 600 s; or e.g. 10m).",
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
    from tplsync.commands.apply import ApplyRequest, run_apply

    request = ApplyRequest(
        prune=prune,
        resubmit=resubmit,
        auto_approve=auto_approve,
        force=force,
        allow_replace=allow_replace,
        fail_fast=fail_fast,
        report_file=report_file,
        plan_file=plan_file,
        max_plan_age=max_plan_age,
        wait_review=wait_review,
    )
    return run_apply(options, flags, request)


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
@common_options(("text", "json"))
def pull(
    options: Options,
    directory: Path | None,
    match: str | None,
    overwrite: bool,
    flags: AccountFlags,
) -> int:
    """Write template files for the account's templates (adoption)."""
    from tplsync.commands.pull import run_pull

    return run_pull(options, flags, directory, match, overwrite)


@cli.command()
@account_options
@common_options(("text", "json"))
def status(options: Options, flags: AccountFlags) -> int:
    """Owned remote templates: review state, rejection reasons, drift."""
    from tplsync.commands.status import run_status

    return run_status(options, flags)


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
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A variable's value (repeatable; overrides --sample).",
)
@click.option(
    "--sample",
    type=click.IntRange(1),
    metavar="N",
    help="Take the params of the template file's sample N.",
)
@click.option("--plan-name", help="Name of the send plan (default: -).")
@click.option("--schedule-at", metavar="TIME", help="ISO-8601 time or +10m / +2h / +1d.")
@click.option(
    "--custom-arg",
    "custom_args",
    multiple=True,
    metavar="NAME=VALUE",
    help="An entry of the request's custom_args, sent as given (repeatable).",
)
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
    from tplsync.commands.send import SendRequest, run_send

    request = SendRequest(
        name=name,
        template_id=template_id,
        to=to,
        params=params,
        sample=sample,
        plan_name=plan_name,
        schedule_at=schedule_at,
        custom_args=custom_args,
        allow_missing=allow_missing,
        allow_invalid=allow_invalid,
        dry_run=dry_run,
    )
    return run_send(options, flags, request)


@cli.group()
def otp() -> None:
    """The OTP API."""


@otp.command(name="send")
@click.argument("template_id")
@click.option("--to", "to", required=True, metavar="DEST", help="A phone number or an email.")
@click.option(
    "--language",
    default="default",
    show_default=True,
    help="Which of the OTP template's languages to send.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A custom variable of the template (repeatable).",
)
@send_api_options
@common_options(("text", "json"))
def otp_send(
    options: Options,
    template_id: str,
    to: str,
    language: str,
    params: tuple[str, ...],
    flags: AccountFlags,
) -> int:
    """Send a one-time password through the OTP API.

    TEMPLATE_ID is the OTP template's id in the EngageLab console; it is
    sent as given (tplsync does not look names up). Needs only the send
    APIs' credentials.
    """
    from tplsync.commands.send import run_otp_send

    return run_otp_send(options, flags, template_id, to, language, params)


@cli.command()
@serve_options
@review_options
@fault_options
@credential_options
def sandbox(
    host: str,
    port: int,
    state: Path | None,
    seed: Path | None,
    settings: Settings,
    faults: FaultSettings,
    credentials: SandboxCredentials,
) -> int:
    """Run the local EngageLab emulator (template, SMS and OTP APIs).

    No account and no network: tplsync's own tests, and yours, run against
    it. Faults are seeded and reproducible. See docs/sandbox.md.
    """
    from tplsync.commands.sandbox import run_sandbox

    return run_sandbox(host, port, state, seed, settings, faults, credentials)


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
@click.option(
    "--dialect",
    type=click.Choice(["templates", "template-configs"]),
    default="templates",
    show_default=True,
    help="The template API the project speaks (api.dialect).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def init(directory: Path, force: bool, dialect: str, quiet: bool) -> int:
    """Scaffold tplsync.yaml, templates/, a pre-commit config and a CI workflow."""
    from tplsync.commands.init import run_init

    return run_init(directory, force, quiet, dialect)


def main() -> None:
    cli.main()
