"""Run the rules over loaded files and apply levels and inline disables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tplsync.lint.rule import Context, Finding, Rule
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
) -> dict[str, RuleSettings]:
    """Each rule's level (None: off) and options, from ``lint.rules`` config.

    The config schema has already checked the rule ids and option names.
    """
    resolved: dict[str, RuleSettings] = {}
    for rule_id, rule in RULES.items():
        given = dict(config.get(rule_id, {}))
        level_name = given.pop("level", rule.level.value)
        level = None if level_name == "off" else Level(level_name)
        options = {**rule.options, **given}
        resolved[rule_id] = RuleSettings(rule, level, Context(syntax, signatures or {}, options))
    return resolved


@dataclass(frozen=True)
class Report:
    problems: tuple[Problem, ...]
    files: int

    def count(self, level: Level) -> int:
        return sum(1 for problem in self.problems if problem.level is level)


def lint(files: Sequence[LoadedFile], rules: Mapping[str, RuleSettings]) -> Report:
    problems: list[Problem] = []
    for loaded in files:
        for problem in loaded.problems:
            level = rules[problem.rule].level
            if level is not None:
                problems.append(Problem(problem.position, level, problem.rule, problem.message))
    active = [settings for settings in rules.values() if settings.level is not None]
    templates = [template for loaded in files for template in loaded.templates]
    for template in templates:
        for settings in active:
            check = settings.rule.check
            if check is not None and settings.rule.id not in template.disabled_rules:
                problems.extend(_problems(check(template, settings.context), settings))
    for settings in active:
        check_project = settings.rule.check_project
        if check_project is not None:
            enabled = [t for t in templates if settings.rule.id not in t.disabled_rules]
            problems.extend(_problems(check_project(enabled, settings.context), settings))
    problems.sort(key=Problem.sort_key)
    return Report(tuple(problems), len(files))


def _problems(findings: Iterable[Finding], settings: RuleSettings) -> Iterator[Problem]:
    for finding in findings:
        level = finding.level or settings.level
        assert level is not None
        yield Problem(finding.position, level, settings.rule.id, finding.message)
