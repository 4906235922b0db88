"""Saved plans (SPEC §4.5): what was reviewed is exactly what is applied, or nothing.

``plan --out`` writes the changes with, per touched template, a digest of
the remote state they were computed from, the endpoint, a non-secret
account fingerprint and the time, authenticated by an HMAC whose key is
derived from the account's secret (never written). ``apply --plan``
refuses, with exit code 5, a file that is not a plan, was edited,
truncated or signed by someone without the credentials, belongs to another
endpoint or account, is too old, or whose preconditions no longer hold.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from tplsync.changes import TEMPLATE, Action, Change, FieldChange
from tplsync.errors import ExitCode, InputError, TplsyncError
from tplsync.model import RemoteTemplate, Signature, SignaturePosition, Template, TemplateType
from tplsync.plan import Plan

FORMAT = "tplsync-plan"
# What plan --out writes and apply --plan reads: about 900 bytes a change,
# so some 70,000 changes.
MAX_BYTES = 64 * 1024 * 1024
VERSION = 1
ABSENT = "absent"


class StalePlanError(TplsyncError):
    exit_code = ExitCode.STALE_PLAN


def signing_key(secret: str) -> bytes:
    """The HMAC key: derived from the account secret, useless for anything else."""
    return hashlib.sha256(b"tplsync saved plan\n" + secret.encode()).digest()


def remote_digest(template: RemoteTemplate | None) -> str:
    if template is None:
        return ABSENT
    signature = None
    if template.signature is not None:
        position = template.signature.position
        signature = [template.signature.id, None if position is None else position.value]
    state = [
        template.id,
        template.name,
        template.type.value,
        template.content,
        signature,
        template.status.value,
    ]
    return hashlib.sha256(json.dumps(state, ensure_ascii=False).encode()).hexdigest()


def _canonical(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _template_json(template: Template | None) -> dict[str, Any] | None:
    if template is None:
        return None
    signature = None
    if template.signature is not None:
        position = template.signature.position
        signature = {"id": template.signature.id, "position": position and position.value}
    return {
        "name": template.name,
        "type": template.type.value,
        "content": template.content,
        "signature": signature,
    }


def _template_from(data: Mapping[str, Any] | None) -> Template | None:
    if data is None:
        return None
    signature = None
    if data["signature"] is not None:
        position = data["signature"]["position"]
        signature = Signature(
            int(data["signature"]["id"]), None if position is None else SignaturePosition(position)
        )
    return Template(
        str(data["name"]), TemplateType(data["type"]), str(data["content"]), signature=signature
    )


def _precondition(change: Change, freed: set[str]) -> str | None:
    """Digest of the remote template this change was computed from; None for a
    create whose name another step frees (that step's precondition covers it)."""
    if change.action is Action.CREATE and change.name in freed:
        return None
    return remote_digest(change.remote)


def _configs_only(change: Change) -> bool:
    """Whether ``change`` needs what only the template-configs dialect has."""
    declared = change.declared
    return change.subject != TEMPLATE or (declared is not None and bool(declared.country_codes))


def dump(plan: Plan, endpoint: str, account: str, key: bytes, now: datetime) -> str:
    if any(_configs_only(change) for change in plan.changes):
        raise InputError("plan --out saves plans of the templates dialect only (api.dialect)")
    freed = {change.frees for change in plan.changes if change.frees}
    body = {
        "format": FORMAT,
        "version": VERSION,
        "created": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "endpoint": endpoint,
        "account": account,
        "owned": plan.owned,
        "unchanged": plan.unchanged,
        "changes": [
            {
                "action": change.action.value,
                "name": change.name,
                "template_id": change.template_id,
                "old_name": change.old_name,
                "fields": [[f.field, f.old, f.new] for f in change.fields],
                "resets_approval": change.resets_approval,
                "submit": change.submit,
                "reason": change.reason,
                "notes": list(change.notes),
                "declared": _template_json(change.declared),
                "precondition": _precondition(change, freed),
            }
            for change in plan.changes
        ],
    }
    signature = hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()
    text = json.dumps({**body, "hmac": signature}, indent=2, ensure_ascii=False) + "\n"
    if len(text.encode()) > MAX_BYTES:
        raise InputError(
            f"the saved plan would be over {MAX_BYTES:,} bytes, more than apply --plan reads: "
            "narrow it with manage globs, or apply without --out"
        )
    return text


def load(
    text: str, endpoint: str, account: str, key: bytes, now: datetime, max_age_seconds: float
) -> tuple[Plan, dict[int, str | None]]:
    """The plan and, per change index, the remote digest it expects."""
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise StalePlanError("the plan file is not JSON (truncated or not a plan)") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise StalePlanError("the file is not a tplsync plan")
    if body.get("version") != VERSION:
        raise StalePlanError(f"plan format version {body.get('version')!r} is not supported")
    signature = body.pop("hmac", None)
    expected = hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()
    if not isinstance(signature, str) or not hmac.compare_digest(signature, expected):
        raise StalePlanError(
            "the plan file was edited, or signed with other credentials: run plan again"
        )
    if body["endpoint"] != endpoint or body["account"] != account:
        raise StalePlanError(
            f"the plan was made for {body['endpoint']} (account {body['account']}), "
            f"not {endpoint} (account {account})"
        )
    created = datetime.fromisoformat(body["created"])
    age = (now - created).total_seconds()
    if not age <= max_age_seconds:
        raise StalePlanError(
            f"the plan is {_duration(age)} old, more than --max-plan-age allows "
            f"({_duration(max_age_seconds)})"
        )
    changes = []
    preconditions: dict[int, str | None] = {}
    for index, item in enumerate(body["changes"]):
        changes.append(
            Change(
                Action(item["action"]),
                item["name"],
                item["template_id"],
                fields=tuple(FieldChange(*f) for f in item["fields"]),
                resets_approval=item["resets_approval"],
                submit=item["submit"],
                reason=item["reason"],
                notes=tuple(item["notes"]),
                old_name=item["old_name"],
                declared=_template_from(item["declared"]),
            )
        )
        preconditions[index] = item["precondition"]
    return Plan(tuple(changes), (), body["owned"], body["unchanged"]), preconditions


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if abs(seconds) >= 2 * size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} seconds"


def moved(
    plan: Plan, preconditions: Mapping[int, str | None], remote: Sequence[RemoteTemplate]
) -> list[str]:
    """What changed in the account since the plan was made (empty: nothing)."""
    by_id = {template.id: template for template in remote}
    by_name = {template.name: template for template in remote}
    problems = []
    seen: set[str] = set()
    for index, change in enumerate(plan.changes):
        if change.template_id is None:
            current = by_name.get(change.name)
        else:
            current = by_id.get(change.template_id)
        key = change.template_id or f"name:{change.name}"
        if key in seen or preconditions[index] is None:
            continue  # a later step of a rename through a temporary name, or covered
        seen.add(key)
        if remote_digest(current) != preconditions[index]:
            if change.template_id is None:
                problems.append(f"{change.name} now exists")
            else:
                problems.append(f"{change.name} [{change.template_id}] changed")
    return problems
