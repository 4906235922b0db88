"""``tplsync status`` rows: each owned remote template's review state and drift."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tplsync.changes import TEMPLATE
from tplsync.model import RemoteTemplate, Template
from tplsync.plan import PlanOptions, in_scope, make_plan, unverified_position


@dataclass(frozen=True)
class StatusRow:
    name: str
    id: str
    status: str
    message: str
    drift: str
    kind: str = TEMPLATE


def status_rows(
    files: Sequence[Template], listed: Sequence[RemoteTemplate], options: PlanOptions
) -> list[StatusRow]:
    """Owned remote templates with review state and drift, then declared-only ones."""
    declared = {t.name: t for t in files}
    remote = in_scope(listed, options)
    plan = make_plan(list(declared.values()), remote, options)
    pending = {c.template_id: c for c in plan.changes if c.template_id}
    rows = []
    names = Counter(r.name for r in remote)
    for template in sorted(remote, key=lambda r: r.name):
        change = pending.get(template.id)
        if names[template.name] > 1:
            drift = "duplicate name"
        elif change is not None:
            drift = change.action.value
        elif template.name in declared:
            drift = "in sync"
        else:
            drift = "not declared"
        if template.name in declared and unverified_position(template, declared[template.name]):
            drift += "; signature position not verifiable"
        rows.append(
            StatusRow(
                template.name, template.id, template.status.value, template.status_message, drift
            )
        )
    rows.extend(
        StatusRow(c.name, "-", "-", "", "to create") for c in plan.changes if c.template_id is None
    )
    return rows
