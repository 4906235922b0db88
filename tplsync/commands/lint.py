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


def lint_projects(options: Options, paths: Sequence[str], cwd: Path) -> Report:
    """Lint ``paths`` with the ``tplsync.yaml`` found from the working
    directory, or, with none there or above, each path with its own project's:
    pre-commit runs the hook from the repository's root, which a project in
    a subdirectory does not have, and names the files of every project at once."""
    if options.config is not None or not paths or find_config(cwd) is not None:
        return lint_paths(options.load_config(), paths, cwd)
    projects: dict[Path | None, list[str]] = {}
    for path in paths:
        named = (cwd / path).resolve()  # a link's project is its target's
        projects.setdefault(find_config(named if named.is_dir() else named.parent), []).append(path)
    reports = [
        lint_paths(options.load_config(start=source.parent if source else cwd), group, cwd)
        for source, group in projects.items()
    ]
    problems = tuple(problem for report in reports for problem in report.problems)
    return Report(problems, sum(report.files for report in reports))


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
    report = lint_projects(options, paths, cwd)
    append_step_summary(lint_markdown(report))
    output_format = options.format
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if output_format == "json":
        text = lint_json(report)
    elif output_format == "github":
        text = lint_github(report, workspace_directory(cwd))
    else:
        text = lint_text(report, options.colour, options.quiet)
    if text:  # quiet and clean: nothing at all
        options.console.show(text)
    failed = report.count(Level.ERROR) or (strict and report.count(Level.WARNING))
    return ExitCode.INVALID_INPUT if failed else ExitCode.OK
