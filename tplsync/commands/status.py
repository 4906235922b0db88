"""``tplsync status``."""

from __future__ import annotations

from tplsync.changes import SIGNATURE
from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.sync import (
    for_account,
    plan_options,
    read_both,
    signature_plan,
    waiting_on,
)
from tplsync.errors import ExitCode
from tplsync.planoutput import status_json, status_text
from tplsync.status import StatusRow, status_rows


def run_status(options: Options, flags: AccountFlags) -> int:
    config = flags.load_config(options)
    with flags.connect(options, config) as account:
        scope = for_account(plan_options(config), account)
        files, listed = read_both(config, account)
        signatures = signature_plan(config, account, files, scope)
        rows = status_rows(files, listed, waiting_on(scope, signatures))
    if signatures is not None:
        rows += [StatusRow(*row, kind=SIGNATURE) for row in signatures.status()]
    if options.format == "json":
        options.console.show(status_json(rows))
    else:
        options.console.show(status_text(rows))
    return ExitCode.OK
