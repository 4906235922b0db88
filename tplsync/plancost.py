"""Plan notes on what a change does to the worst case and the cost of a send."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from tplsync.changes import Action, Change
from tplsync.costs import Estimate, cost_line, estimate
from tplsync.model import Template
from tplsync.placeholders import Syntax
from tplsync.plan import Plan
from tplsync.preview import renderings
from tplsync.pricing import Pricing


def with_cost_notes(
    plan: Plan, syntax: Syntax, signatures: Mapping[int, str], pricing: Pricing | None
) -> Plan:
    """``plan`` with notes on worst-case segments and, given pricing, cost."""
    changes = tuple(_noted(change, syntax, signatures, pricing) for change in plan.changes)
    return replace(plan, changes=changes)


def _estimate(template: Template, syntax: Syntax, signatures: Mapping[int, str]) -> Estimate:
    shown = list(renderings(template, syntax, signatures))
    return estimate(template, syntax, signatures, shown)


def _segments(count: int | None, found: Estimate) -> str:
    if count is not None:
        return str(count)
    return "undeclared" if found.bounds.undeclared else "unbounded"


def _unit(count: int | None) -> str:
    if count is None:
        return ""
    return " segment" if count == 1 else " segments"


def _noted(
    change: Change, syntax: Syntax, signatures: Mapping[int, str], pricing: Pricing | None
) -> Change:
    new = change.declared
    if new is None or change.action not in (Action.CREATE, Action.UPDATE):
        return change
    after = _estimate(new, syntax, signatures)
    notes: list[str] = []
    if change.action is Action.CREATE or change.remote is None:
        if new.variables:
            notes.append(f"worst case {_segments(after.worst, after)}{_unit(after.worst)}")
        if pricing is not None:
            notes.append(cost_line(after, pricing))
    elif any(item.field in ("content", "signature") for item in change.fields):
        old = replace(new, content=change.remote.content, signature=change.remote.signature)
        before = _estimate(old, syntax, signatures)
        if new.variables and before.worst != after.worst:
            notes.append(
                f"worst case {_segments(before.worst, before)} → "
                f"{_segments(after.worst, after)}{_unit(after.worst)}"
            )
        if pricing is not None:
            notes.append(_cost_change(before, after, pricing))
    return replace(change, notes=change.notes + tuple(notes)) if notes else change


def _cost_change(before: Estimate, after: Estimate, pricing: Pricing) -> str:
    def amount(segments: int | None) -> str:
        return "unknown" if segments is None else pricing.cost_text(segments)

    old, new = before.cases(), after.cases()
    shown = [
        f"{case} {amount(old[case])} → {amount(new[case])}"
        for case in old
        if old[case] is not None or new[case] is not None
    ]
    return f"cost per 1,000 sends: {', '.join(shown)}"
