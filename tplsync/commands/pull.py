"""``tplsync pull``: write template files for the account's templates."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import takewhile
from pathlib import Path

from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.sync import plan_options, pull_signatures
from tplsync.config import Config
from tplsync.errors import ExitCode, InputError
from tplsync.plan import duplicate_reason, in_scope
from tplsync.pull import MISSING_CODES_LINE, pull
from tplsync.safetext import printable
from tplsync.templates import discover, display_path, load_file
from tplsync.words import plural


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
    result = pull(
        remote,
        target,
        match,
        overwrite,
        config.syntax,
        declared(config, target),
        config.source,
        codes_required=config.api.dialect == "template-configs",
    )
    shared = {name: ("templates", ids) for name, ids in result.shared}
    if signatures is not None:
        signatures_file, written, signatures_shared = signatures
        if written:
            result = replace(result, written=(str(signatures_file), *result.written))
        else:
            result = replace(result, skipped=(str(signatures_file), *result.skipped))
        shared.update(
            (f"signature {name}", ("signatures", tuple(ids)))
            for name, ids in signatures_shared.items()
        )
    elsewhere = {name: display_path(Path(file), config.root) for name, file in result.declared}
    console = options.console
    if console.json:
        console.show(
            json.dumps(
                {
                    "written": result.written,
                    "kept": result.skipped,
                    "declared": elsewhere,
                    "duplicates": {name: ids for name, (_, ids) in shared.items()},
                    "without_country_codes": result.without_codes,
                }
            )
        )
        return _without_codes(result.without_codes, config.root)
    for path in result.written:
        console.say(f"wrote {display_path(Path(path), config.root)}")
    for path in result.skipped:
        kept = display_path(Path(path), config.root)
        console.say(f"kept {kept} (exists; --overwrite to replace)")
    for name, file in elsewhere.items():
        console.say(printable(f"skipped {name} (declared in {file})"))
    for name, (kind, ids) in shared.items():
        reason = duplicate_reason(kind, name.removeprefix("signature "), ids)
        console.say(printable(f"skipped {name}: {reason}, then pull again"))
    if result.written or result.skipped or elsewhere or shared:
        console.say(
            f"{len(result.written)} written, {len(result.skipped)} kept"
            + (f", {len(elsewhere)} declared elsewhere" if elsewhere else "")
            + (f", {len(shared)} duplicate names skipped" if shared else "")
        )
    else:
        project = "" if config.source else "; no tplsync.yaml here: run tplsync init first"
        console.say(
            f"Nothing to pull: no template in the account matches 'manage'"
            f"{' and --match' if match else ''}{project}."
        )
    return _without_codes(result.without_codes, config.root)


def _without_codes(paths: tuple[str, ...], root: Path) -> int:
    """Refuses (exit 1) once the files are written when some lack the
    country codes the dialect sends with every write: lint refuses them."""
    if not paths:
        return ExitCode.OK
    raise InputError(
        f"{plural(len(paths), 'pulled file')} without country_codes: the account gives none, "
        "and this dialect sends them with every write; add the countries each template is "
        "sent to (lint refuses the file until then; the next apply sends them, back to review):",
        tuple(
            f"{display_path(Path(path), root)}:{MISSING_CODES_LINE}: add country_codes, "
            "such as [US, GB]"
            for path in paths
        ),
    )


def declared(config: Config, target: Path) -> dict[str, Path]:
    """Name → file of the templates the project's files declare, when files
    written to ``target`` would be read as templates too; files that do not
    load are lint's business."""
    inside = target.resolve()
    bases = [
        config.root.joinpath(*takewhile(lambda part: not any(c in part for c in "*?["), parts))
        for parts in (Path(pattern).parts for pattern in config.templates)
    ]
    if not any(inside.is_relative_to(base.resolve()) for base in bases):
        return {}
    try:
        paths = discover(config.templates, config.root)
    except InputError:  # nothing declared yet
        return {}
    return {template.name: path for path in paths for template in load_file(path).templates}
