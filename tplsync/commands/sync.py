"""``tplsync plan``, ``apply`` and ``status``: plain values in, values out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tplsync.account import Account
from tplsync.config import Config
from tplsync.model import RemoteTemplate, Template
from tplsync.plan import Plan, PlanOptions, make_plan, owns
from tplsync.templates import discover, load_templates


def declared_templates(config: Config) -> list[Template]:
    return load_templates(discover(config.templates, config.root), config.root)


def plan_options(config: Config, prune: bool | None, resubmit: bool) -> PlanOptions:
    return PlanOptions(
        include=config.manage_include,
        exclude=config.manage_exclude,
        prune=config.prune if prune is None else prune,
        protect=config.protect,
        submit=config.submit,
        resubmit=resubmit,
        signatures=config.signatures,
    )


def compute_plan(config: Config, account: Account, options: PlanOptions) -> Plan:
    declared = declared_templates(config)
    return make_plan(declared, account.client.list(), options)


@dataclass(frozen=True)
class StatusRow:
    name: str
    template_id: str
    status: str
    message: str
    drift: str


def status_rows(config: Config, account: Account, options: PlanOptions) -> list[StatusRow]:
    """Owned remote templates with review state and drift, then declared-only ones."""
    declared = {t.name: t for t in declared_templates(config)}
    remote: Sequence[RemoteTemplate] = [r for r in account.client.list() if owns(r.name, options)]
    plan = make_plan(list(declared.values()), remote, options)
    pending = {c.template_id: c for c in plan.changes if c.template_id}
    rows = []
    for template in sorted(remote, key=lambda r: r.name):
        change = pending.get(template.id)
        if change is not None:
            drift = change.action.value
        elif template.name in declared:
            drift = "in sync"
        else:
            drift = "not declared"
        rows.append(
            StatusRow(
                template.name, template.id, template.status.value, template.status_message, drift
            )
        )
    rows.extend(
        StatusRow(c.name, "-", "-", "", "to create") for c in plan.changes if c.template_id is None
    )
    return rows
