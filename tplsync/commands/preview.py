"""``tplsync preview``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.values import chosen, parse_pairs
from tplsync.config import Config
from tplsync.costs import estimate, estimate_json, estimate_lines
from tplsync.errors import ExitCode, InputError, UsageError
from tplsync.model import Problem, Template
from tplsync.output import analysis_text, renderings_json, renderings_text
from tplsync.placeholders import variables
from tplsync.preview import renderings
from tplsync.safetext import printable
from tplsync.segments import analyse
from tplsync.templates import LoadedFile, declared_paths, load_files


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
    config = options.load_config()
    files = load_files(declared_paths(config), config.root)
    templates = previewed(files, names)
    broken = [
        f"{file.problems[0].position}: {file.problems[0].message}; "
        "its file is not previewed (run tplsync lint)"
        for file in files
        if file.problems
    ]
    twice = [] if names else declared_twice(templates)
    for message in [*broken, *twice, *unused_params(templates, values or {}, config)]:
        options.console.error(printable(f"warning: {message}"))
    options.console.show(previews(config, templates, values, output_format))
    return ExitCode.INVALID_INPUT if (broken or twice) and not names else ExitCode.OK


def previewed(files: Sequence[LoadedFile], names: Sequence[str]) -> list[Template]:
    """The templates ``names`` asks for (all when none) from the files that
    load. A name that is declared more than once, or that a file that does
    not load declares or may declare, is an :class:`InputError`."""
    broken = [file for file in files if file.problems]
    for name in names:
        for file in broken:
            if any(template.name == name for template in file.templates):
                raise InputError(_not_loaded(file.problems[0]))
    templates = [template for file in files if not file.problems for template in file.templates]
    for name in names:
        if broken and not any(template.name == name for template in templates):
            raise InputError(
                f"no template named {name!r} in the files that load; "
                f"{_not_loaded(broken[0].problems[0])}"
            )
    twice = declared_twice(template for template in templates if template.name in names)
    if twice:
        raise InputError(twice[0])
    return chosen(templates, names)


def unused_params(
    templates: Sequence[Template], values: Mapping[str, str], config: Config
) -> list[str]:
    """A message for each ``--param`` that no previewed template's content
    uses: a misspelt name would otherwise leave its placeholder unfilled
    without a word."""
    used = {name for t in templates for name in variables(t.content, config.syntax)}
    return [
        f"--param {name} is used by no previewed template's content"
        for name in values
        if name not in used
    ]


def declared_twice(templates: Iterable[Template]) -> list[str]:
    """A message for each name the templates declare more than once, with
    every ``file:line:col`` that declares it."""
    places: dict[str, list[str]] = {}
    for template in templates:
        places.setdefault(template.name, []).append(str(template.position))
    return [
        f"template {name!r} is declared {len(where)} times ({', '.join(where)}): "
        "a name is declared once (run tplsync lint)"
        for name, where in places.items()
        if len(where) > 1
    ]


def _not_loaded(problem: Problem) -> str:
    return f"{problem.position}: {problem.message} (run tplsync lint)"


def previews(
    config: Config,
    templates: Sequence[Template],
    params: Mapping[str, str] | None,
    output_format: str,
) -> str:
    shown = [
        (template, list(renderings(template, config.syntax, config.signatures, params)))
        for template in templates
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
