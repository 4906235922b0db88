"""``tplsync preview``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.values import chosen, parse_pairs
from tplsync.config import Config
from tplsync.costs import estimate, estimate_json, estimate_lines
from tplsync.errors import ExitCode, UsageError
from tplsync.output import analysis_text, renderings_json, renderings_text
from tplsync.preview import renderings
from tplsync.segments import analyse
from tplsync.templates import declared_paths, load_templates


def measure_text(text: str, output_format: str) -> str:
    """``preview --text``: a plain segment calculator."""
    analysis = analyse(text)
    if output_format == "json":
        return json.dumps(analysis.to_json(), ensure_ascii=False)
    return "\n".join(analysis_text(analysis, indent=""))


def run_preview(
    options: Options,
    flags: AccountFlags,
    names: Sequence[str],
    params: Sequence[str],
    text: str | None,
    html_dir: Path | None,
    with_status: bool,
) -> int:
    """``--text``, ``--html DIR`` or the previews of the named templates."""
    output_format = options.format or "text"
    if text is not None:
        if names or params or html_dir:
            raise UsageError(
                "--text measures a plain text: give it without NAME, --param or --html"
            )
        options.console.show(measure_text(text, output_format))
        return ExitCode.OK
    if html_dir is None and (with_status or flags.sandbox):
        raise UsageError("--status and --sandbox show review states in the --html gallery")
    values = parse_pairs(params, "--param") if params else None
    if html_dir is not None:
        from tplsync.commands.gallery import run_gallery  # jinja2: only for --html

        return run_gallery(options, flags, html_dir, names, values, with_status)
    options.console.show(previews(options.load_config(), names, values, output_format))
    return ExitCode.OK


def previews(
    config: Config, names: Sequence[str], params: Mapping[str, str] | None, output_format: str
) -> str:
    templates = load_templates(declared_paths(config), config.root)
    shown = [
        (template, list(renderings(template, config.syntax, config.signatures, params)))
        for template in chosen(templates, names)
    ]
    estimates = [
        estimate(template, config.syntax, config.signatures, results) for template, results in shown
    ]
    if output_format == "json":
        extra = [estimate_json(found, config.pricing) for found in estimates]
        return renderings_json(
            [rendering for _, results in shown for rendering in results],
            [found for (_, results), found in zip(shown, extra, strict=True) for _ in results],
        )
    return "\n\n".join(
        "\n".join(
            [
                renderings_text(results),
                *(f"  {line}" for line in estimate_lines(found, config.pricing)),
            ]
        )
        for (_, results), found in zip(shown, estimates, strict=True)
    )
