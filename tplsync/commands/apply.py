"""``tplsync apply``: the saved or a fresh plan, the safety gates and the
confirmation, the apply itself, the wait for review, the exit code."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from tplsync import safety, savedplan
from tplsync.account import Account
from tplsync.adapters.base import signature_api
from tplsync.apply import ApplyReport, Review, apply_plan, merged, submitted, wait_for_review
from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.sync import (
    compute_plan,
    plan_options,
    signature_reader,
    signatures_under_review,
)
from tplsync.commands.values import parse_duration
from tplsync.config import WRITE_PARALLELISM, Config
from tplsync.console import Console
from tplsync.errors import ExitCode, SafetyError
from tplsync.files import WriteError, read_text, write_atomic
from tplsync.plan import Plan
from tplsync.planoutput import apply_progress, plan_text, report_json, report_text, review_line


@dataclass(frozen=True)
class ApplyRequest:
    prune: bool | None
    resubmit: bool
    auto_approve: bool
    force: bool
    allow_replace: bool
    fail_fast: bool
    report_file: Path | None
    plan_file: Path | None
    max_plan_age: str
    wait_review: str | None


def run_apply(options: Options, flags: AccountFlags, request: ApplyRequest) -> int:
    config = flags.load_config(options)
    console = options.console
    workers = flags.parallelism or config.api.parallelism or WRITE_PARALLELISM
    max_age = parse_duration(request.max_plan_age, "--max-plan-age")
    wait = (
        None
        if request.wait_review is None
        else parse_duration(request.wait_review, "--wait-for-review")
    )
    reports: list[ApplyReport] = []
    reviews: list[Review] = []
    with flags.connect(options, config) as account:
        while True:  # again once the signatures that templates wait on are approved
            if request.plan_file is not None and not reports:
                result = saved_plan(request.plan_file, account, max_age)
            else:
                result = compute_plan(
                    config, account, plan_options(config, request.prune, request.resubmit)
                )
            console.say(plan_text(result, console.colour))
            if result.actionable:
                approve(result, config, request, console)
                with apply_progress(console, len(result.changes)) as progress:
                    reports.append(
                        apply_plan(result, account.client, workers, request.fail_fast, progress)
                    )
            if wait is None or not all(r.ok for r in reports):
                break
            signed = wait_for_signatures(config, account, wait)
            reviews.extend(signed)
            if not signed or not all(review.approved for review in signed):
                break
        if not reports:
            if request.report_file is not None:  # CI keeps it whatever happened
                nothing = report_json(ApplyReport((), 0.0, 0, 0), reviews)
                write_atomic(request.report_file, nothing + "\n")
            for review in reviews:
                console.show(review_line(review))
            return ExitCode.OK if all(r.approved for r in reviews) else ExitCode.API_FAILURE
        report = merged(reports)
        if wait is not None and report.ok:
            reviews += wait_for_review(account.client, submitted(report), wait)
    return finish(report, reviews, request.report_file, console)


def wait_for_signatures(config: Config, account: Account, timeout: float) -> list[Review]:
    """Wait for the review of the declared signatures under review (none: [])."""
    awaited = signatures_under_review(config, account)
    if not awaited:
        return []
    return wait_for_review(account.client, awaited, timeout, read=signature_reader(account))


def approve(result: Plan, config: Config, request: ApplyRequest, console: Console) -> None:
    """The safety thresholds, then a yes on a terminal unless --auto-approve."""
    safety.check(result, config.safety, request.force, request.allow_replace)
    if request.auto_approve:
        return
    if not sys.stdin.isatty():
        raise SafetyError(
            "no terminal to confirm on: review the plan, then run apply --auto-approve"
        )
    if not console.confirm("Apply these changes?"):
        raise SafetyError("apply cancelled")


def finish(
    report: ApplyReport, reviews: list[Review], report_file: Path | None, console: Console
) -> int:
    """Write and show the report; exit 3 when a change failed or a review did not pass."""
    unwritten = None
    if report_file is not None:
        try:
            write_atomic(report_file, report_json(report, reviews) + "\n")
        except WriteError as error:
            unwritten = error
    if console.json:
        console.show(report_json(report, reviews))
    elif not (console.quiet and report.ok):
        # without a progress bar, every outcome was shown as it came
        console.show(report_text(report, listed=console.chatty and not sys.stdout.isatty()))
    if unwritten is not None:  # the changes were made: say so before the failure
        console.error(f"error: the apply ran, but its report was not written: {unwritten}")
        return ExitCode.API_FAILURE
    for review in reviews:
        console.show(review_line(review))
    if not report.ok or not all(review.approved for review in reviews):
        return ExitCode.API_FAILURE
    return ExitCode.OK


def saved_plan(path: Path, account: Account, max_age: float) -> Plan:
    """The saved plan, checked against the account as it is now."""
    try:
        result, preconditions = savedplan.load(
            read_text(path, limit=savedplan.MAX_BYTES),
            account.endpoint,
            account.fingerprint,
            account.signing_key,
            datetime.now(timezone.utc),
            max_age,
        )
    except savedplan.StalePlanError as error:
        raise savedplan.StalePlanError(f"{path}: {error}") from None
    api = signature_api(account.client)
    managed = preconditions.signatures is not None
    signatures = api.signatures() if api is not None and managed else []
    problems = savedplan.moved(result, preconditions, account.client.list(), signatures)
    if problems:
        raise savedplan.StalePlanError(
            "the account moved since the plan was made: "
            + "; ".join(problems)
            + " (run plan again)"
        )
    return result
