"""What ``plan``, ``apply``, ``status`` and ``pull`` share: the files, the
account and the scope of the configuration."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tplsync.account import Account
from tplsync.adapters.base import signature_api
from tplsync.config import Config
from tplsync.detached import Detached
from tplsync.errors import InputError
from tplsync.files import write_atomic
from tplsync.model import ApprovalStatus, Level, RemoteSignature, RemoteTemplate, Template
from tplsync.plan import Plan, PlanOptions, make_plan
from tplsync.plancost import with_cost_notes
from tplsync.signatures import (
    SIGNATURES_NAME,
    SignaturePlan,
    check_references,
    duplicates,
    load_signatures,
    plan_signatures,
    signatures_document,
)
from tplsync.templates import declared_paths, load_files, templates_of
from tplsync.words import plural

if TYPE_CHECKING:
    from tplsync.lint.linter import RuleSettings


def declared_templates(config: Config, checked: bool = False) -> list[Template]:
    """The templates of the files; ``checked`` refuses them (exit 1) when
    an error-level lint rule fails, as what would be sent must pass lint."""
    files = load_files(declared_paths(config), config.root)
    if checked:  # lists a file that does not load among the other errors
        # here only: status, pull and send load no lint rules
        from tplsync.commands.lint import rule_settings
        from tplsync.lint.linter import lint
        from tplsync.output import problem_line

        rules = rule_settings(config)
        report = lint(files, {rule_id: _refusing(each) for rule_id, each in rules.items()})
        errors = [problem for problem in report.problems if problem.level is Level.ERROR]
        if errors:
            raise InputError(
                f"{plural(len(errors), 'lint error')} in the templates; "
                "nothing was planned (fix them; tplsync lint shows every problem):",
                tuple(problem_line(problem) for problem in errors),
            )
    return templates_of(files)  # unchecked, a file that does not load raises


def _refusing(rule: RuleSettings) -> RuleSettings:
    """``rule`` turned off unless it can report an error: at its level, or
    at a level one of its options gives some findings (``*_level``)."""
    options = rule.context.options
    if rule.level is Level.ERROR or any(
        key.endswith("_level") and options[key] == Level.ERROR.value for key in options
    ):
        return rule
    return replace(rule, level=None)


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
    capabilities = account.client.capabilities
    return replace(
        options,
        clears_signature=capabilities.can_clear_signature,
        rename_keeps_review=capabilities.rename_keeps_review,
    )


def signature_plan(
    config: Config, account: Account, templates: Sequence[Template], options: PlanOptions
) -> SignaturePlan | None:
    """The signatures' changes, where the dialect has signatures and the
    project declares them (``signatures.yaml``)."""
    api = signature_api(account.client)
    if api is None:
        return None
    declared = load_signatures(config.root)
    check_references(templates, declared)
    if declared is None:
        return None
    return plan_signatures(declared, api.signatures(), options.prune, options.protect)


def waiting_on(options: PlanOptions, signatures: SignaturePlan | None) -> PlanOptions:
    """``options`` that make a template wait for its signature's review."""
    if signatures is None:
        return options
    return replace(options, waiting_signatures=signatures.waiting)


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
    options = for_account(options, account)
    declared, remote = read_both(config, account, checked=True)
    signatures = signature_plan(config, account, declared, options)
    plan = make_plan(declared, remote, waiting_on(options, signatures))
    if signatures is not None:
        plan = signatures.joined(plan)
    return with_cost_notes(plan, config.syntax, config.signatures, config.pricing)


def signatures_under_review(config: Config, account: Account) -> list[tuple[str, str]]:
    """("signature NAME", id) of each declared signature under review."""
    api = signature_api(account.client)
    declared = load_signatures(config.root) if api is not None else None
    if api is None or declared is None:
        return []
    names = {s.name for s in declared}
    return [
        (f"signature {s.name}", s.id)
        for s in api.signatures()
        if s.name in names and s.status is ApprovalStatus.PENDING
    ]


def signature_reader(account: Account) -> Callable[[Collection[str]], list[RemoteSignature]]:
    """Lists the signatures with the given ids (for waiting on their review)."""
    api = signature_api(account.client)
    assert api is not None

    def read(ids: Collection[str]) -> list[RemoteSignature]:
        return [s for s in api.signatures() if s.id in ids]

    return read


def pull_signatures(
    config: Config, account: Account, overwrite: bool
) -> tuple[Path, bool, dict[str, list[str]]] | None:
    """Write ``signatures.yaml`` with the account's signatures, where the
    dialect has them and the file is absent (or ``overwrite``); its path,
    whether it was written (False: kept) and the names several signatures
    share (left out of it), or None without signatures."""
    api = signature_api(account.client)
    path = config.root / SIGNATURES_NAME
    if api is None:
        return None
    if path.exists() and not overwrite:
        return path, False, {}
    if config.source is not None and path.resolve() == config.source.resolve():
        raise InputError(f"{path}: the configuration file; signatures are not written over it")
    remote = api.signatures()
    write_atomic(path, signatures_document(remote))
    return path, True, duplicates(remote)
