"""Run the rules over loaded files and apply levels and inline disables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tplsync.lint.rule import Context, Declared, Finding, Rule
from tplsync.lint.rules import RULES
from tplsync.model import Level, Problem
from tplsync.placeholders import Syntax
from tplsync.templates import LoadedFile


@dataclass(frozen=True)
class RuleSettings:
    rule: Rule
    level: Level | None
    context: Context


def settings(
    config: Mapping[str, Mapping[str, Any]],
    syntax: Syntax = Syntax.MUSTACHE,
    signatures: Mapping[int, str] | None = None,
    dialect: str = "templates",
) -> dict[str, RuleSettings]:
    """Each rule's level (None: off) and options, from ``lint.rules`` config
    over the defaults of ``dialect`` (``api.dialect``).

    The config schema has already checked the rule ids and option names.
    """
    resolved: dict[str, RuleSettings] = {}
    for rule_id, rule in RULES.items():
        given = dict(config.get(rule_id, {}))
        level_name = given.pop("level", rule.level.value)
        level = None if level_name == "off" else Level(level_name)
        options = {**rule.options, **rule.dialect_options.get(dialect, {}), **given}
        context = Context(syntax, signatures or {}, options, dialect)
        resolved[rule_id] = RuleSettings(rule, level, context)
    return resolved


@dataclass(frozen=True)
class Report:
    problems: tuple[Problem, ...]
    files: int

    def count(self, level: Level) -> int:
        return sum(1 for problem in self.problems if problem.level is level)


def lint(files: Iterable[LoadedFile], rules: Mapping[str, RuleSettings]) -> Report:
    """Lint ``files`` one at a time (they may be loaded as they are asked
    for): a file's templates are dropped once checked; cross-file rules
    keep only what :class:`Declared` holds."""
    problems: list[Problem] = []
    active = [settings for settings in rules.values() if settings.level is not None]
    per_template = [(s.rule.id, s.rule.check, s) for s in active if s.rule.check is not None]
    project = [s for s in active if s.rule.check_project is not None]
    declared: dict[str, list[Declared]] = {s.rule.id: [] for s in project}
    count = 0
    for loaded in files:
        count += 1
        for problem in loaded.problems:
            level = rules[problem.rule].level
            if level is not None:
                problems.append(Problem(problem.position, level, problem.rule, problem.message))
        for template in loaded.templates:
            disabled = template.disabled_rules
            for rule_id, check, settings in per_template:
                if rule_id not in disabled:
                    for finding in check(template, settings.context):
                        problems.append(_problem(finding, settings))
            if project:
                kept = Declared.of(template)
                for settings in project:
                    if settings.rule.id not in template.disabled_rules:
                        declared[settings.rule.id].append(kept)
    for settings in project:
        check_project = settings.rule.check_project
        assert check_project is not None
        findings = check_project(declared[settings.rule.id], settings.context)
        problems.extend(_problem(finding, settings) for finding in findings)
    problems.sort(key=Problem.sort_key)
    return Report(tuple(problems), count)


def _problem(finding: Finding, settings: RuleSettings) -> Problem:
    level = finding.level or settings.level
    assert level is not None
    return Problem(finding.position, level, settings.rule.id, finding.message)
