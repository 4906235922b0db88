"""``tplsync status``."""

from __future__ import annotations

from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.sync import for_account, plan_options, read_both
from tplsync.errors import ExitCode
from tplsync.planoutput import status_json, status_text
from tplsync.status import status_rows


def run_status(options: Options, flags: AccountFlags) -> int:
    config = flags.load_config(options)
    with flags.connect(options, config) as account:
        scope = for_account(plan_options(config), account)
        rows = status_rows(*read_both(config, account), scope)
    if options.format == "json":
        options.console.show(status_json(rows))
    else:
        options.console.show(status_text(rows))
    return ExitCode.OK
