"""``tplsync send`` and ``tplsync otp send``: checks made before any call."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from tplsync.account import Account
from tplsync.commands.common import AccountFlags, Options
from tplsync.commands.sync import declared_templates
from tplsync.commands.values import duration, parse_pairs
from tplsync.config import Config
from tplsync.errors import ExitCode, InputError, UsageError
from tplsync.model import ApprovalStatus, RemoteTemplate, Template
from tplsync.output import dry_run_json, otp_sent_json, otp_sent_text, result_json, sent_lines
from tplsync.placeholders import Syntax, render, variables
from tplsync.preview import signed
from tplsync.safetext import printable
from tplsync.segments import Analysis, analyse
from tplsync.variables import check_params
from tplsync.words import plural

PHONE = re.compile(r"^\+?[0-9]{6,15}$")
SCHEDULE_MIN, SCHEDULE_MAX = 180, 30 * 24 * 3600


def check_numbers(numbers: Sequence[str]) -> None:
    bad = [number for number in numbers if not PHONE.match(number)]
    if bad:
        raise InputError(
            f"not a phone number: {', '.join(bad)} (use digits with an optional +, "
            "6 to 15 of them, e.g. +8613800138000)"
        )


def schedule_time(text: str, now: datetime) -> int:
    """Unix seconds for ``+10m``-style offsets or ISO-8601 times, inside the
    service's window: at least 3 minutes and at most 30 days ahead."""
    given = text.strip()
    offset = duration(given[1:]) if given.startswith("+") else None
    if offset is not None:
        when = now.timestamp() + offset
    else:
        try:
            parsed = datetime.fromisoformat(given)
        except ValueError:
            raise InputError(
                f"--schedule-at {text!r}: expected an ISO-8601 time "
                "(2026-12-01T09:00:00+08:00) or an offset (+10m, +2h, +1d)"
            ) from None
        if parsed.tzinfo is None:
            raise InputError(f"--schedule-at {text!r}: give a timezone, e.g. +08:00 or Z")
        when = parsed.timestamp()
    ahead = when - now.timestamp()
    if not SCHEDULE_MIN <= ahead <= SCHEDULE_MAX:
        minutes = round(abs(ahead) / 60)
        span = plural(minutes, "minute")
        where = f"{span} in the past" if ahead < 0 else f"{span} ahead"
        raise InputError(
            f"--schedule-at {text!r} is {where}; the service accepts 3 minutes to 30 days ahead"
        )
    return int(when)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Prepared:
    template: RemoteTemplate
    text: str
    analysis: Analysis
    recipients: int

    def describe(self) -> list[str]:
        segments = self.analysis.segments * self.recipients
        return [
            *(f"  │ {line}" for line in self.text.split("\n")),
            f"  {self.analysis.summary()} × {plural(self.recipients, 'recipient')}"
            f" = {plural(segments, 'segment')}",
        ]


def prepare(
    template: RemoteTemplate,
    params: Mapping[str, str],
    recipients: int,
    syntax: Syntax,
    signatures: Mapping[int, str],
    allow_missing: bool,
) -> Prepared:
    """What will be sent; refuses templates that are not approved and
    params that leave a variable to be sent literally."""
    if template.status is not ApprovalStatus.APPROVED:
        reason = f" ({template.status_message})" if template.status_message else ""
        raise InputError(
            f"template {template.name!r} [{template.id}] is {template.status.value}{reason}: "
            "only approved templates can be sent"
        )
    missing = [name for name in variables(template.content, syntax) if name not in params]
    if missing and not allow_missing:
        placeholders = ", ".join(syntax.placeholder(name) for name in missing)
        raise InputError(
            f"no value for {placeholders}: it would be sent literally "
            "(give --param NAME=VALUE, or --allow-missing)"
        )
    text = signed(template.signature, render(template.content, params, syntax), signatures)
    return Prepared(template, text, analyse(text), recipients)


@dataclass(frozen=True)
class SendRequest:
    name: str | None
    template_id: str | None
    to: tuple[str, ...]
    params: tuple[str, ...]
    sample: int | None
    plan_name: str | None
    schedule_at: str | None
    custom_args: tuple[str, ...]
    allow_missing: bool
    allow_invalid: bool
    dry_run: bool


def run_send(options: Options, flags: AccountFlags, request: SendRequest) -> int:
    """Every check (arguments, numbers, time, template, params) before the send call."""
    if (request.name is None) == (request.template_id is None):
        raise UsageError("give a template NAME or --template-id, not both")
    check_numbers(request.to)
    when = schedule_time(request.schedule_at, now_utc()) if request.schedule_at else None
    config = flags.load_config(options)
    values = {**sample_params(config, request), **parse_pairs(request.params, "--param")}
    if request.name is not None and not request.allow_invalid:
        check_declared(declared_template(config, request.name), values)
    console = options.console
    with flags.connect(options, config, send=True) as account:
        remote = resolve(account, request)
        if request.name is None and not request.allow_invalid:
            check_declared(declared_template(config, remote.name), values)
        prepared = prepare(
            remote, values, len(request.to), config.syntax, config.signatures, request.allow_missing
        )
        console.say(printable(f"{remote.name} [{remote.id}] to {', '.join(request.to)}"))
        console.say("\n".join(printable(line) for line in prepared.describe()))
        if request.dry_run:
            if console.json:
                console.show(dry_run_json(prepared.text, prepared.analysis))
            console.say("dry run: nothing was sent")
            return ExitCode.OK
        assert account.sms is not None
        custom_args = parse_pairs(request.custom_args, "--custom-arg")
        result = account.sms.sms(
            request.to, remote.id, values, request.plan_name, when, custom_args
        )
    console.show(result_json(result) if console.json else "\n".join(sent_lines(request.to, result)))
    return ExitCode.OK if result.code is None else ExitCode.API_FAILURE


def sample_params(config: Config, request: SendRequest) -> dict[str, str]:
    """The params of --sample N of the template file, if given."""
    if request.sample is None:
        return {}
    if request.name is None:
        raise UsageError("--sample takes the params of a template file: give its NAME")
    declared = {t.name: t for t in declared_templates(config)}
    if request.name not in declared:
        raise InputError(f"--sample {request.sample}: no template file declares {request.name!r}")
    template = declared[request.name]
    if request.sample > len(template.samples):
        raise InputError(
            f"--sample {request.sample}: {request.name!r} has "
            f"{plural(len(template.samples), 'sample')} ({template.position})"
        )
    return dict(template.samples[request.sample - 1].params)


def declared_template(config: Config, name: str) -> Template | None:
    """The template file's ``name``, for its declarations; None outside a
    project (no ``tplsync.yaml``) or when no file declares it."""
    if config.source is None:
        return None
    return {template.name: template for template in declared_templates(config)}.get(name)


def check_declared(template: Template | None, params: Mapping[str, str]) -> None:
    """Refuse params that break the template file's declarations."""
    if template is None:
        return
    found = check_params(template.variables, params)
    if found:
        reasons = "; ".join(f"{v.rule}: {v.message}" for v in found)
        raise InputError(
            f"--param breaks the declaration in {template.position.path}: {reasons} "
            "(give --allow-invalid to send anyway)"
        )


def resolve(account: Account, request: SendRequest) -> RemoteTemplate:
    """The remote template to send, by name or by id."""
    if request.name is not None:
        remote = account.client.find(request.name)
    else:
        remote = account.client.get(request.template_id or "")
    if remote is None:
        raise InputError(f"no template {request.name or request.template_id!r} in the account")
    return remote


def run_otp_send(
    options: Options,
    flags: AccountFlags,
    template_id: str,
    to: str,
    language: str,
    params: Sequence[str],
) -> int:
    config = flags.load_config(options)
    with flags.connect(options, config, send=True, templates=False) as account:
        assert account.otp is not None
        result = account.otp.otp(to, template_id, language, parse_pairs(params, "--param"))
    console = options.console
    console.show(otp_sent_json(result) if console.json else otp_sent_text(result))
    return ExitCode.OK
