"""``tplsync lint``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tplsync.commands.common import Options
from tplsync.config import Config, find_config
from tplsync.errors import ExitCode
from tplsync.files import append_step_summary
from tplsync.lint.linter import Report, RuleSettings, lint, settings
from tplsync.model import Level
from tplsync.output import lint_github, lint_json, lint_markdown, lint_text
from tplsync.templates import declared_paths, discover, iter_files


def rule_settings(config: Config) -> dict[str, RuleSettings]:
    """The rules as ``tplsync.yaml`` sets them, for its dialect."""
    return settings(config.lint_rules, config.syntax, config.signatures, config.api.dialect)


def lint_paths(config: Config, paths: Sequence[str], cwd: Path) -> Report:
    """Lint ``paths`` (default: the config's templates); names shown relative to ``cwd``."""
    files = discover(paths, cwd) if paths else declared_paths(config)
    return lint(iter_files(files, cwd), rule_settings(config))


def config_start(paths: Sequence[str], cwd: Path) -> Path:
    """Where to look for ``tplsync.yaml``: the working directory, or, with
    none there or above, the first path named: pre-commit runs the hook from
    the repository's root, which a project in a subdirectory does not have."""
    if not paths or find_config(cwd) is not None:
        return cwd
    first = cwd / paths[0]
    return first if first.is_dir() else first.parent


def workspace_directory(cwd: Path) -> str:
    """``cwd``'s path from ``$GITHUB_WORKSPACE`` (the repository's root), or ""."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        relative = cwd.resolve().relative_to(Path(workspace).resolve())
    except ValueError:  # outside the workspace: the paths stay as they are
        return ""
    return "" if relative == Path() else relative.as_posix()


def run_lint(options: Options, paths: Sequence[str], strict: bool) -> int:
    """Exit 1 on errors, and on warnings with ``strict``."""
    cwd = Path.cwd()
    report = lint_paths(options.load_config(start=config_start(paths, cwd)), paths, cwd)
    append_step_summary(lint_markdown(report))
    output_format = options.format
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if output_format == "json":
        text = lint_json(report)
    elif output_format == "github":
        text = lint_github(report, workspace_directory(Path.cwd()))
    else:
        text = lint_text(report, options.colour, options.quiet)
    if text:  # quiet and clean: nothing at all
        options.console.show(text)
    failed = report.count(Level.ERROR) or (strict and report.count(Level.WARNING))
    return ExitCode.INVALID_INPUT if failed else ExitCode.OK
