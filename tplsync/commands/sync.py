"""What ``plan``, ``apply``, ``status`` and ``pull`` share: the files, the
account and the scope of the configuration."""

from __future__ import annotations

from dataclasses import replace

from tplsync.account import Account
from tplsync.config import Config
from tplsync.detached import Detached
from tplsync.model import RemoteTemplate, Template
from tplsync.plan import Plan, PlanOptions, make_plan
from tplsync.plancost import with_cost_notes
from tplsync.templates import discover, load_templates


def declared_templates(config: Config) -> list[Template]:
    return load_templates(discover(config.templates, config.root), config.root)


def plan_options(config: Config, prune: bool | None = None, resubmit: bool = False) -> PlanOptions:
    return PlanOptions(
        include=config.manage_include,
        exclude=config.manage_exclude,
        prune=config.prune if prune is None else prune,
        protect=config.protect,
        submit=config.submit,
        resubmit=resubmit,
        signatures=config.signatures,
    )


def for_account(options: PlanOptions, account: Account) -> PlanOptions:
    """``options`` with what the account's API can do."""
    return replace(options, clears_signature=account.client.capabilities.can_clear_signature)


def read_both(config: Config, account: Account) -> tuple[list[Template], list[RemoteTemplate]]:
    """The declared and the remote templates; the account is read while the
    files load, and a file error is raised at once."""
    remote = Detached(account.client.list)
    declared = declared_templates(config)
    return declared, remote.result()


def compute_plan(config: Config, account: Account, options: PlanOptions) -> Plan:
    plan = make_plan(*read_both(config, account), for_account(options, account))
    return with_cost_notes(plan, config.syntax, config.signatures, config.pricing)
