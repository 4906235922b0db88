"""Plans, apply reports and status as text or JSON, and apply's progress display."""

from __future__ import annotations

import contextlib
import difflib
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import click

from tplsync.apply import ApplyReport, Outcome, Review, Status
from tplsync.changes import MARKERS, TEMPLATE, Action, Change
from tplsync.console import Console
from tplsync.plan import Plan
from tplsync.safetext import inert_markdown, printable
from tplsync.status import StatusRow
from tplsync.words import plural

PLAN_FORMAT_VERSION = 1
_COLOURS = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.RENAME: "cyan",
    Action.SUBMIT: "blue",
    Action.DELETE: "red",
    Action.BLOCKED: "magenta",
    Action.REPLACE: "red",
}


def word_diff(old: str, new: str) -> str:
    """``[-removed-]{+added+}`` between words, the rest as it is."""
    before, after = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            out.append("".join(before[a1:a2]))
            continue
        if a2 > a1:
            out.append(f"[-{''.join(before[a1:a2])}-]")
        if b2 > b1:
            out.append(f"{{+{''.join(after[b1:b2])}+}}")
    return "".join(out)


def summary(plan: Plan) -> str:
    if not plan.changes:
        counted = plural(plan.unchanged, "template")
        if plan.signatures is not None:
            counted += f" and {plural(plan.unchanged_signatures, 'signature')}"
        one = plan.signatures is None and plan.unchanged == 1
        return f"No changes. {counted} in the account {'matches' if one else 'match'} the files."
    parts = []
    for action, label in (
        (Action.CREATE, "to create"),
        (Action.UPDATE, "to update"),
        (Action.RENAME, "to rename"),
        (Action.SUBMIT, "to submit"),
        (Action.DELETE, "to delete"),
        (Action.REPLACE, "to replace"),
        (Action.BLOCKED, "blocked"),
    ):
        count = plan.count(action)
        if count:
            parts.append(f"{count} {label}")
    resets = f"; {plan.resets} back to carrier review" if plan.resets else ""
    return f"Plan: {', '.join(parts)}{resets}."


def _headline(change: Change) -> str:
    ident = f" [{change.template_id}]" if change.template_id else ""
    what = "" if change.subject == TEMPLATE else f"{change.subject} "
    if change.action is Action.RENAME:
        return f"rename {what}{change.old_name} → {change.name}{ident}"
    text = f"{change.action.value} {what}{change.name}{ident}"
    if change.old_name and change.old_name != change.name and change.action is Action.UPDATE:
        text += f" (renamed from {change.old_name})"
    return text


def _shown(value: str | None) -> str:
    return "none" if value is None else value


def change_lines(change: Change, colour: bool = False) -> list[str]:
    """The change as lines of text; every value, however a server spelled it,
    is printed with its control characters escaped (:func:`printable`)."""
    marker = MARKERS[change.action]
    head = f"{marker} {printable(_headline(change))}"
    if change.resets_approval:
        head += " — resets approval: back to carrier review"
    if change.action in (Action.CREATE, Action.REPLACE) and change.submit:
        head += " — submitted for review"
    if colour:
        head = click.style(head, fg=_COLOURS[change.action])
    lines = [head]
    if change.reason and change.action is not Action.RENAME:
        lines.append(f"    {printable(change.reason)}")
    for item in change.fields:
        if item.field == "name" and change.action is Action.RENAME:
            continue
        if item.field == "content" and item.old is not None and item.new is not None:
            lines.append(f"    content: {printable(word_diff(item.old, item.new))}")
        else:
            change_text = f"{_shown(item.old)} → {_shown(item.new)}"
            lines.append(f"    {item.field}: {printable(change_text)}")
    lines.extend(f"    {printable(note)}" for note in change.notes)
    return lines


def plan_text(plan: Plan, colour: bool = False) -> str:
    lines: list[str] = []
    for change in plan.changes:
        lines.extend(change_lines(change, colour))
    for notice in plan.notices:
        lines.append(f"  note: {printable(f'{notice.name}: {notice.message}')}")
    lines.append(summary(plan))
    return "\n".join(lines)


def change_json(change: Change) -> dict[str, Any]:
    return {
        "action": change.action.value,
        "kind": change.subject,
        "name": change.name,
        "template_id": change.template_id,
        "old_name": change.old_name if change.old_name != change.name else None,
        "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in change.fields],
        "resets_approval": change.resets_approval,
        "submit": change.submit,
        "reason": change.reason,
        "notes": list(change.notes),
    }


def plan_json(plan: Plan) -> str:
    return json.dumps(
        {
            "version": PLAN_FORMAT_VERSION,
            "changes": [change_json(change) for change in plan.changes],
            "notices": [{"name": n.name, "message": n.message} for n in plan.notices],
            "summary": {
                **{action.value: plan.count(action) for action in Action},
                "resets_approval": plan.resets,
                "unchanged": plan.unchanged,
                "unchanged_signatures": plan.unchanged_signatures,
                "owned": plan.owned,
            },
        },
        indent=2,
        ensure_ascii=False,
    )


def outcome_line(outcome: Outcome) -> str:
    change = outcome.change
    text = f"{outcome.status.value}: {MARKERS[change.action]} {_headline(change)}"
    created = change.action in (Action.CREATE, Action.REPLACE)
    if outcome.status is Status.APPLIED and created and outcome.template_id:
        text += f" → [{outcome.template_id}]" if change.template_id else f" [{outcome.template_id}]"
    if outcome.message:
        text += f": {outcome.message}"
    return printable(text)


def report_text(report: ApplyReport, listed: bool = False) -> str:
    """The summary, after the outcomes that were not applied unless ``listed``
    (already shown one line per outcome as they happened)."""
    counts = ", ".join(
        f"{report.count(status)} {status.value}" for status in Status if report.count(status)
    )
    shown = () if listed else report.outcomes
    lines = [outcome_line(o) for o in shown if o.status is not Status.APPLIED]
    lines.append(
        f"Apply: {counts or 'nothing to do'} in {report.seconds:.1f} s "
        f"({report.calls} API calls, {report.retries} retries)."
    )
    return "\n".join(lines)


@contextlib.contextmanager
def apply_progress(console: Console, total: int) -> Iterator[Callable[[Outcome], None]]:
    """A progress bar on a terminal, else one line per outcome (none with
    --quiet or --format json)."""
    if console.chatty and sys.stdout.isatty():
        with click.progressbar(length=total, label="Applying", file=sys.stderr) as bar:
            yield lambda outcome: bar.update(1)
    else:
        yield lambda outcome: console.say(outcome_line(outcome))


def review_line(review: Review) -> str:
    verdict = "approved" if review.approved else f"not approved: {review.message}"
    return printable(f"review: {review.name} [{review.template_id}] {verdict}")


def status_text(rows: list[StatusRow]) -> str:
    labels = [r.name if r.kind == TEMPLATE else f"{r.kind} {r.name}" for r in rows]
    width = max([len(label) for label in labels] + [4])
    lines = [f"{'NAME':<{width}}  {'ID':>6}  {'STATUS':<13}  DRIFT"] + [
        printable(
            f"{label:<{width}}  {r.id:>6}  {r.status:<13}  {r.drift}"
            + (f" ({r.message})" if r.message else "")
        )
        for label, r in zip(labels, rows, strict=True)
    ]
    return "\n".join(lines) if rows else "No templates in scope."


def status_json(rows: list[StatusRow]) -> str:
    """One object per row; the id is named for its kind (``template_id``,
    ``signature_id``), as a template's and a signature's ids are unrelated."""
    return json.dumps(
        [
            {
                "name": r.name,
                f"{r.kind}_id": r.id,
                "status": r.status,
                "message": r.message,
                "drift": r.drift,
                "kind": r.kind,
            }
            for r in rows
        ],
        indent=2,
        ensure_ascii=False,
    )


def report_json(report: ApplyReport, reviews: Sequence[Review] = ()) -> str:
    """The report of ``apply``; ``ok`` only when every change was applied
    and every review it waited for approved."""
    return json.dumps(
        {
            "version": PLAN_FORMAT_VERSION,
            "ok": report.ok and all(review.approved for review in reviews),
            "seconds": round(report.seconds, 3),
            "calls": report.calls,
            "retries": report.retries,
            "summary": {status.value: report.count(status) for status in Status},
            "outcomes": [
                {
                    **change_json(o.change),
                    "status": o.status.value,
                    "message": o.message,
                    "code": o.code,
                    "template_id": o.template_id or o.change.template_id,
                }
                for o in report.outcomes
            ],
            "reviews": [
                {
                    "name": review.name,
                    "template_id": review.template_id,
                    "approved": review.approved,
                    "message": review.message,
                }
                for review in reviews
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


GITHUB_COMMENT_LIMIT = 65_536


def plan_markdown(plan: Plan, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """A PR comment: summary first, one collapsible section per change,
    clipped below ``limit`` characters with a note saying what was cut."""
    head = [f"### tplsync plan: {summary(plan).removeprefix('Plan: ')}", ""]
    if plan.changes:
        head += ["| action | templates |", "|---|---|"]
        for action in Action:
            if plan.count(action):
                head.append(f"| {MARKERS[action]} {action.value} | {plan.count(action)} |")
        if plan.resets:
            head.append(f"| back to carrier review | {plan.resets} |")
        head.append("")
    text = "\n".join(head) + "\n"
    total = len(plan.changes) + len(plan.notices)
    for index, section in enumerate(_sections(plan)):
        note = (
            f"\n_{plural(total - index, 'more section')} not shown: the comment would exceed "
            f"GitHub's {limit:,}-character limit. Run `tplsync plan` for the full plan._\n"
        )
        if len(text) + len(section) + len(note) > limit:
            return text + note
        text += section
    return text


def _sections(plan: Plan) -> Iterator[str]:
    """One section per change, then the notices, rendered only as needed."""
    for change in plan.changes:
        lines = change_lines(change)
        body = "\n".join(lines[1:]) or "(no details)"
        yield (
            f"<details><summary>{inert_markdown(lines[0])}</summary>\n\n```text\n"
            f"{body.replace('```', '` ` `')}\n```\n</details>\n"
        )
    for notice in plan.notices:
        name, message = printable(notice.name), printable(notice.message)
        yield f"- note: {_code_span(name)}: {inert_markdown(message)}\n"


def _code_span(text: str) -> str:
    """``text`` as a markdown code span that a backtick inside cannot close:
    fenced by one backtick more than its longest run (CommonMark)."""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
