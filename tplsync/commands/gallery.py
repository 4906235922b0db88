"""``tplsync preview --html DIR``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from tplsync import gallery
from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.lint import rule_settings
from tplsync.commands.values import chosen
from tplsync.config import Config
from tplsync.errors import ExitCode
from tplsync.files import replace_directory
from tplsync.gallery import Gallery
from tplsync.lint.linter import lint
from tplsync.model import RemoteTemplate
from tplsync.preview import renderings
from tplsync.templates import declared_paths, load_files
from tplsync.worstcase import bounds


def build_gallery(
    config: Config,
    names: Sequence[str],
    params: Mapping[str, str] | None,
    remote: Sequence[RemoteTemplate] | None = None,
    status_from: str | None = None,
) -> Gallery:
    """``preview --html``: every template that loads, with its lint problems;
    files that give none are listed with theirs instead of stopping the run."""
    loaded = load_files(declared_paths(config), config.root)
    report = lint(loaded, rule_settings(config))
    templates = [template for file in loaded for template in file.templates]
    shown = {template.name for template in chosen(templates, names)}
    pages = {
        index: list(renderings(template, config.syntax, config.signatures, params))
        for index, template in enumerate(templates)
        if template.name in shown
    }
    by_name = {template.name: template for template in remote} if remote is not None else None
    found = {index: bounds(templates[index], config.syntax, config.signatures) for index in pages}
    return gallery.build(templates, pages, report.problems, by_name, status_from, found)


def write_gallery(built: Gallery, target: Path) -> None:
    """Replace ``target`` with the gallery's pages, all at once."""
    replace_directory(target, gallery.render(built), gallery.MARKER)


def run_gallery(
    options: Options,
    flags: AccountFlags,
    target: Path,
    names: Sequence[str],
    params: Mapping[str, str] | None,
    with_status: bool,
) -> int:
    """Write the gallery; with ``--status`` or ``--sandbox``, with review states."""
    config = flags.load_config(options)
    remote, status_from = None, None
    if with_status or flags.sandbox:
        with flags.connect(options, config) as account:
            remote = account.client.list()
        status_from = "the sandbox" if flags.sandbox else config.api.endpoint
    built = build_gallery(config, names, params, remote, status_from)
    write_gallery(built, target)
    if not options.quiet:  # shown with --format json too
        flagged = sum(1 for card in built.cards if card.problems)
        previews = sum(len(card.bubbles) for card in built.cards)
        options.console.show(
            f"Wrote {target / 'index.html'}: {len(built.cards)} templates, {previews} previews, "
            f"{flagged} with lint problems."
        )
    return ExitCode.OK
