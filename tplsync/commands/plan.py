"""``tplsync plan``."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from tplsync import savedplan
from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.sync import compute_plan, plan_options
from tplsync.errors import ExitCode
from tplsync.files import append_step_summary, write_atomic
from tplsync.planoutput import plan_json, plan_markdown, plan_text


def run_plan(
    options: Options,
    flags: AccountFlags,
    prune: bool | None,
    resubmit: bool,
    detailed_exitcode: bool,
    out_file: Path | None,
) -> int:
    """Show the plan; with ``out_file``, save it signed for ``apply --plan``."""
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
        options.console.show(plan_json(result))
    elif options.format == "markdown":
        options.console.show(plan_markdown(result))
    else:
        options.console.show(plan_text(result, options.colour))
        if out_file is not None:
            options.console.say(
                f"Saved the plan to {out_file}: apply it with `tplsync apply --plan {out_file}`."
            )
    if detailed_exitcode and result.changes:
        return ExitCode.CHANGES_PENDING
    return ExitCode.OK
