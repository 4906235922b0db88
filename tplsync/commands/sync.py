"""What ``plan``, ``apply``, ``status`` and ``pull`` share: the files, the
account and the scope of the configuration."""

from __future__ import annotations

from dataclasses import replace

from tplsync.account import Account
from tplsync.config import Config
from tplsync.detached import Detached
from tplsync.errors import InputError
from tplsync.model import Level, RemoteTemplate, Template
from tplsync.plan import Plan, PlanOptions, make_plan
from tplsync.plancost import with_cost_notes
from tplsync.templates import declared_paths, load_files, templates_of
from tplsync.words import plural


def declared_templates(config: Config, checked: bool = False) -> list[Template]:
    """The templates of the files; ``checked`` refuses them (exit 1) when
    an error-level lint rule fails, as what would be sent must pass lint."""
    files = load_files(declared_paths(config), config.root)
    templates = templates_of(files)  # a file that does not load raises first
    if checked:
        # here only: status, pull and send load no lint rules
        from tplsync.lint.linter import lint, settings
        from tplsync.output import problem_line

        report = lint(files, settings(config.lint_rules, config.syntax, config.signatures))
        errors = [problem for problem in report.problems if problem.level is Level.ERROR]
        if errors:
            raise InputError(
                f"{plural(len(errors), 'lint error')} in the templates; "
                "nothing was planned (fix them; tplsync lint shows every problem):\n"
                + "\n".join(f"  {problem_line(problem)}" for problem in errors)
            )
    return templates


def plan_options(config: Config, prune: bool | None = None, resubmit: bool = False) -> PlanOptions:
    return PlanOptions(
        include=config.manage_include,
        exclude=config.manage_exclude,
        prune=config.prune if prune is None else prune,
        protect=config.protect,
        submit=config.submit,
        resubmit=resubmit,
        signatures=config.signatures,
        syntax=config.syntax,
    )


def for_account(options: PlanOptions, account: Account) -> PlanOptions:
    """``options`` with what the account's API can do."""
    return replace(options, clears_signature=account.client.capabilities.can_clear_signature)


def read_both(
    config: Config, account: Account, checked: bool = False
) -> tuple[list[Template], list[RemoteTemplate]]:
    """The declared and the remote templates; the account is read while the
    files load, and a file error is raised at once."""
    remote = Detached(account.client.list)
    declared = declared_templates(config, checked)
    return declared, remote.result()


def compute_plan(config: Config, account: Account, options: PlanOptions) -> Plan:
    """The plan for ``plan`` and ``apply``; templates with lint errors are refused."""
    plan = make_plan(*read_both(config, account, checked=True), for_account(options, account))
    return with_cost_notes(plan, config.syntax, config.signatures, config.pricing)
