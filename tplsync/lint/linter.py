"""Run the rules over loaded files and apply levels and inline disables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    templates = [template for loaded in files for template in loaded.templates]
    for rule_settings in rules.values():
        if rule_settings.level is None:
            continue
        rule = rule_settings.rule
        if rule.check is not None:
            for template in templates:
                if rule.id not in template.disabled_rules:
                    findings = rule.check(template, rule_settings.context)
                    problems.extend(_problems(findings, rule_settings))
        if rule.check_project is not None:
            enabled = [t for t in templates if rule.id not in t.disabled_rules]
            findings = rule.check_project(enabled, rule_settings.context)
            problems.extend(_problems(findings, rule_settings))
    problems.sort(key=Problem.sort_key)
    return Report(tuple(problems), len(files))


def _problems(findings: Iterable[Finding], settings: RuleSettings) -> Iterable[Problem]:
    for finding in findings:
        level = finding.level or settings.level
        assert level is not None
        yield Problem(finding.position, level, settings.rule.id, finding.message)
