"""``tplsync plan``, ``apply`` and ``status``: plain values in, values out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tplsync.account import Account
from tplsync.config import Config
from tplsync.detached import Detached
from tplsync.model import RemoteTemplate, Template
from tplsync.plan import Plan, PlanOptions, make_plan, owns, unverified_position
from tplsync.plancost import with_cost_notes
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


def read_both(config: Config, account: Account) -> tuple[list[Template], list[RemoteTemplate]]:
    """The declared and the remote templates; the account is read while the
    files load, and a file error is raised at once."""
    remote = Detached(account.client.list)
    declared = declared_templates(config)
    return declared, remote.result()


def compute_plan(config: Config, account: Account, options: PlanOptions) -> Plan:
    options = replace(options, clears_signature=account.client.capabilities.can_clear_signature)
    plan = make_plan(*read_both(config, account), options)
    return with_cost_notes(plan, config.syntax, config.signatures, config.pricing)


@dataclass(frozen=True)
class StatusRow:
    name: str
    template_id: str
    status: str
    message: str
    drift: str


def status_rows(config: Config, account: Account, options: PlanOptions) -> list[StatusRow]:
    """Owned remote templates with review state and drift, then declared-only ones."""
    options = replace(options, clears_signature=account.client.capabilities.can_clear_signature)
    files, listed = read_both(config, account)
    declared = {t.name: t for t in files}
    remote: Sequence[RemoteTemplate] = [r for r in listed if owns(r.name, options)]
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
