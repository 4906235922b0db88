"""``tplsync pull``: write template files for the account's templates."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.sync import plan_options, pull_signatures
from tplsync.errors import ExitCode
from tplsync.plan import in_scope
from tplsync.pull import pull


def run_pull(
    options: Options,
    flags: AccountFlags,
    directory: Path | None,
    match: str | None,
    overwrite: bool,
) -> int:
    config = flags.load_config(options)
    target = directory or config.root / config.templates[0]
    with flags.connect(options, config) as account:
        remote = in_scope(account.client.list(), plan_options(config))
        signatures = pull_signatures(config, account, overwrite)
    result = pull(remote, target, match, overwrite, config.syntax)
    if signatures is not None:
        result = replace(result, written=(str(signatures), *result.written))
    console = options.console
    if console.json:
        console.show(json.dumps({"written": result.written, "kept": result.skipped}))
        return ExitCode.OK
    for path in result.written:
        console.say(f"wrote {path}")
    for path in result.skipped:
        console.say(f"kept {path} (exists; --overwrite to replace)")
    if result.written or result.skipped:
        console.say(f"{len(result.written)} written, {len(result.skipped)} kept")
    else:
        project = "" if config.source else "; no tplsync.yaml here: run tplsync init first"
        console.say(
            f"Nothing to pull: no template in the account matches 'manage'"
            f"{' and --match' if match else ''}{project}."
        )
    return ExitCode.OK
