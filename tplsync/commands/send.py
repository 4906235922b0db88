"""``tplsync send`` and ``tplsync otp send``: checks made before any call."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from tplsync.adapters.engagelab_send import SmsResult
from tplsync.config import Config
from tplsync.errors import InputError
from tplsync.model import ApprovalStatus, RemoteTemplate, Template
from tplsync.placeholders import Syntax, render, variables
from tplsync.preview import signed
from tplsync.segments import Analysis, analyse
from tplsync.templates import discover, load_templates
from tplsync.variables import check_params
from tplsync.words import plural

PHONE = re.compile(r"^\+?[0-9]{6,15}$")
SCHEDULE_MIN, SCHEDULE_MAX = 180, 30 * 24 * 3600
_RELATIVE = re.compile(r"^\+(\d+)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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
    relative = _RELATIVE.match(text.strip())
    if relative:
        when = now.timestamp() + int(relative.group(1)) * _UNITS[relative.group(2)]
    else:
        try:
            parsed = datetime.fromisoformat(text.strip())
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
        raise InputError(
            f"--schedule-at {text!r} is {ahead / 60:.0f} minutes ahead; the service accepts "
            "3 minutes to 30 days ahead"
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


def sent_lines(to: Sequence[str], result: SmsResult) -> list[str]:
    """The result of a send; for a partly accepted one, what went out, under
    which plan, and what was refused and why."""
    ids = "".join(
        f", {label} {value}"
        for label, value in (("message_id", result.message_id), ("task_id", result.task_id))
        if value
    )
    if result.code is None:
        return [
            f"sent: plan_id {result.plan_id}, {result.accepted} of {result.total} "
            f"targets accepted{ids}"
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
    return lines


def declared_template(config: Config, name: str) -> Template | None:
    """The template file's ``name``, for its declarations; None outside a
    project (no ``tplsync.yaml``) or when no file declares it."""
    if config.source is None:
        return None
    templates = load_templates(discover(config.templates, config.root), config.root)
    return {template.name: template for template in templates}.get(name)  # as --sample


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
