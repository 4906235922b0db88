"""Lint reports, previews and send results as text, JSON or GitHub annotations."""

from __future__ import annotations

import dataclasses
import json
import posixpath
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from tplsync.lint.linter import Report
from tplsync.lint.rules import RULES
from tplsync.model import Level, Problem
from tplsync.preview import Rendering
from tplsync.safetext import inert_markdown, printable
from tplsync.segments import Analysis
from tplsync.words import plural

if TYPE_CHECKING:  # the send adapter imports requests, which lint never loads
    from tplsync.adapters.engagelab_send import OtpResult, SmsResult

GITHUB_ANNOTATIONS_PER_LEVEL = 10
_RULE_ORDER = {rule_id: index for index, rule_id in enumerate(RULES)}
_LEVEL_COLOURS = {Level.ERROR: "red", Level.WARNING: "yellow"}


def summary(report: Report) -> str:
    errors, warnings = report.count(Level.ERROR), report.count(Level.WARNING)
    files = plural(report.files, "file")
    if not report.problems:
        return f"{files} checked, no problems"
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {files}"


def problem_line(problem: Problem, colour: bool = False) -> str:
    level = problem.level.value
    if colour:
        level = click.style(level, fg=_LEVEL_COLOURS[problem.level], bold=True)
    where, message = printable(str(problem.position)), printable(problem.message)
    return f"{where}: {level} {problem.rule} {message}"


def lint_text(report: Report, colour: bool = False, quiet: bool = False) -> str:
    lines = [problem_line(problem, colour) for problem in report.problems]
    if not quiet:
        lines.append(summary(report))
    return "\n".join(lines)


def lint_json(report: Report) -> str:
    return json.dumps(
        {
            "version": 1,
            "files": report.files,
            "errors": report.count(Level.ERROR),
            "warnings": report.count(Level.WARNING),
            "problems": [
                {
                    "path": problem.position.path,
                    "line": problem.position.line,
                    "column": problem.position.column,
                    "level": problem.level.value,
                    "rule": problem.rule,
                    "message": problem.message,
                }
                for problem in report.problems
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def lint_github(report: Report, directory: str = "") -> str:
    """Workflow commands: GitHub shows 10 annotations per level and step, so
    the 10 most important of each level are annotated, the rest listed as
    plain lines, and a notice says how many were not annotated.

    GitHub reads an annotation's relative ``file`` from the repository's
    root, so ``directory`` (the working directory's path from that root)
    is put before the paths, which are relative to the working directory."""
    lines: list[str] = []
    rest: list[Problem] = []
    for level in Level:
        ranked = sorted(
            (p for p in report.problems if p.level is level),
            key=lambda p: (_RULE_ORDER.get(p.rule, len(_RULE_ORDER)), p.sort_key()),
        )
        for problem in ranked[:GITHUB_ANNOTATIONS_PER_LEVEL]:
            position = problem.position
            path = position.path
            if directory and not posixpath.isabs(path):
                path = posixpath.normpath(posixpath.join(directory, path))
            properties = ",".join(
                (
                    f"file={_escape_property(path)}",
                    f"line={position.line}",
                    f"col={position.column}",
                    f"title={_escape_property('tplsync ' + problem.rule)}",
                )
            )
            lines.append(f"::{level.value} {properties}::{_escape_data(problem.message)}")
        rest.extend(ranked[GITHUB_ANNOTATIONS_PER_LEVEL:])
    lines.extend(problem_line(problem) for problem in sorted(rest, key=Problem.sort_key))
    if rest:
        lines.append(
            f"::notice title=tplsync lint::{len(rest)} more problems are listed in "
            f"the log without annotations ({_escape_data(summary(report))})"
        )
    else:
        lines.append(summary(report))
    return "\n".join(lines)


def analysis_text(analysis: Analysis, indent: str = "  ") -> list[str]:
    lines = [f"{indent}{analysis.summary()}"]
    without = [forced for forced in analysis.forced if forced.replacement is None]
    for forced in analysis.forced:
        if forced.replacement is not None or len(without) <= 3:
            lines.append(f"{indent}  UCS-2 because of {forced.describe()}")
    if len(without) > 3:
        distinct = "".join(dict.fromkeys(forced.char for forced in without))
        shown = distinct if len(distinct) <= 12 else distinct[:12] + "…"
        lines.append(
            f"{indent}  UCS-2 because of {len(without)} characters with no GSM-7 "
            f"equivalent: {shown}"
        )
    if analysis.segments > 1:
        for number, part in enumerate(analysis.parts, 1):
            lines.append(f"{indent}  segment {number}/{analysis.segments}: {part!r}")
    return lines


def renderings_text(renderings: Sequence[Rendering]) -> str:
    lines: list[str] = []
    current = None
    for rendering in renderings:
        if rendering.template != current:
            if current is not None:
                lines.append("")
            lines.append(click.style(rendering.template, bold=True))
            current = rendering.template
        lines.append(f"  {rendering.label}:")
        lines.extend(f"    │ {line}" for line in rendering.text.split("\n"))
        lines.extend(analysis_text(rendering.analysis, indent="    "))
    return "\n".join(lines)


def renderings_json(
    renderings: Sequence[Rendering], extra: Sequence[Mapping[str, Any]] = ()
) -> str:
    """One object a rendering; ``extra[i]`` adds fields to the i-th."""
    return json.dumps(
        [
            {
                "template": rendering.template,
                "sample": rendering.label,
                "text": rendering.text,
                **rendering.analysis.to_json(),
                **(extra[index] if extra else {}),
            }
            for index, rendering in enumerate(renderings)
        ],
        indent=2,
        ensure_ascii=False,
    )


def lint_markdown(report: Report, limit: int = 50) -> str:
    """A job summary: the counts, then a table of the first ``limit`` problems."""
    lines = [f"### tplsync lint: {summary(report)}", ""]
    if report.problems:
        lines += ["| where | level | rule | message |", "|---|---|---|---|"]
        for problem in report.problems[:limit]:
            where = inert_markdown(printable(str(problem.position)))
            message = inert_markdown(printable(problem.message))
            lines.append(f"| {where} | {problem.level.value} | `{problem.rule}` | {message} |")
        if len(report.problems) > limit:
            lines.append(f"\n_{len(report.problems) - limit} more problems are in the log._")
    return "\n".join(lines) + "\n"


def sent_lines(to: Sequence[str], result: SmsResult) -> list[str]:
    """The result of a send; for a partly accepted one, what went out, under
    which plan, and what was refused and why. The service's text (ids, its
    message) is printed with its control characters escaped."""
    ids = "".join(
        f", {label} {value}"
        for label, value in (("message_id", result.message_id), ("task_id", result.task_id))
        if value
    )
    if result.code is None:
        return [
            printable(
                f"sent: plan_id {result.plan_id}, {result.accepted} of {result.total} "
                f"targets accepted{ids}"
            )
        ]
    lines = [
        f"partly sent: plan_id {result.plan_id}, {result.accepted} of {result.total} "
        f"targets accepted{ids}"
    ]
    if result.accepted == len(to):
        lines.append(f"  accepted: {', '.join(to)}")
    elif result.accepted == 0:
        lines.append(f"  refused: {', '.join(to)}")
    else:
        lines.append(f"  {result.total - result.accepted} refused; the service does not say which")
    lines.append(f"  the service answered code {result.code}: {result.message}")
    if result.accepted:
        lines.append(
            f"  do not send to all of them again: the accepted targets are in plan "
            f"{result.plan_id} and would get the message twice"
        )
    return [printable(line) for line in lines]


def otp_sent_text(result: OtpResult) -> str:
    return printable(f"sent: message_id {result.message_id} via {result.channel}")


def otp_sent_json(result: OtpResult) -> str:
    """The OTP API's own field names, as the README documents them."""
    return json.dumps({"message_id": result.message_id, "send_channel": result.channel})


def dry_run_json(text: str, analysis: Analysis) -> str:
    return json.dumps({"dry_run": True, "text": text, **analysis.to_json()}, ensure_ascii=False)


def result_json(result: SmsResult | OtpResult) -> str:
    return json.dumps(dataclasses.asdict(result))
