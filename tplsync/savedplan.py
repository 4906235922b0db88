"""Saved plans (SPEC §4.5): what was reviewed is exactly what is applied, or nothing.

``plan --out`` writes the changes with, per touched template, a digest of
the remote state they were computed from (and, where the project manages
signatures, a digest of each of the account's signatures), the endpoint, a
non-secret account fingerprint and the time, authenticated by an HMAC whose
key is derived from the account's secret (never written). ``apply --plan``
refuses, with exit code 5, a file that is not a plan, was edited,
truncated or signed by someone without the credentials, belongs to another
endpoint or account, is too old, or whose preconditions no longer hold.

Version 2 carries what the template-configs dialect needs (country codes,
signatures by name, signature changes); version 1 files are still read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from tplsync.changes import TEMPLATE, Action, Change, FieldChange
from tplsync.errors import ExitCode, InputError, TplsyncError
from tplsync.model import (
    RemoteSignature,
    RemoteTemplate,
    Signature,
    SignaturePosition,
    Template,
    TemplateType,
)
from tplsync.plan import Plan
from tplsync.words import plural

FORMAT = "tplsync-plan"
# What plan --out writes and apply --plan reads: about 900 bytes a change,
# so some 70,000 changes.
MAX_BYTES = 64 * 1024 * 1024
VERSION = 2
READS = (1, VERSION)
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
    state: list[Any] = [
        template.id,
        template.name,
        template.type.value,
        template.content,
        signature,
        template.status.value,
    ]
    if template.country_codes:  # only then: digests of version 1 plans still match
        state.append(sorted(template.country_codes))
    return hashlib.sha256(json.dumps(state, ensure_ascii=False).encode()).hexdigest()


def signature_digests(signatures: Sequence[RemoteSignature]) -> dict[str, str]:
    """Signature id → digest of its name and review state."""
    return {
        s.id: hashlib.sha256(json.dumps([s.id, s.name, s.status.value]).encode()).hexdigest()
        for s in signatures
    }


@dataclass(frozen=True)
class Preconditions:
    """What a saved plan expects of the account: per change index, the digest
    of the remote template (None: covered by another step, or a signature
    change); and the digest of every signature (None: not managed)."""

    templates: Mapping[int, str | None]
    signatures: Mapping[str, str] | None = None


def _canonical(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _template_json(template: Template | None) -> dict[str, Any] | None:
    if template is None:
        return None
    signature = None
    if template.signature is not None:
        position = template.signature.position
        signature = {
            "id": template.signature.id,
            "position": position and position.value,
            "name": template.signature.name,
        }
    return {
        "name": template.name,
        "type": template.type.value,
        "content": template.content,
        "signature": signature,
        "country_codes": list(template.country_codes),
    }


def _template_from(data: Mapping[str, Any] | None) -> Template | None:
    if data is None:
        return None
    signature = None
    if data["signature"] is not None:
        position = data["signature"]["position"]
        signature = Signature(
            data["signature"]["id"],  # as written: a number, a string id, or none (a name)
            None if position is None else SignaturePosition(position),
            data["signature"].get("name"),
        )
    return Template(
        str(data["name"]),
        TemplateType(data["type"]),
        str(data["content"]),
        signature=signature,
        country_codes=tuple(data.get("country_codes", ())),
    )


def _precondition(change: Change, freed: set[str]) -> str | None:
    """Digest of the remote template this change was computed from; None for a
    create whose name another step frees (that step's precondition covers it)
    and for a signature change (the signatures' digests cover it)."""
    if change.subject != TEMPLATE or (change.action is Action.CREATE and change.name in freed):
        return None
    return remote_digest(change.remote)


def dump(plan: Plan, endpoint: str, account: str, key: bytes, now: datetime) -> str:
    freed = {change.frees for change in plan.changes if change.frees}
    signatures = None if plan.signatures is None else signature_digests(plan.signatures)
    body = {
        "format": FORMAT,
        "version": VERSION,
        "created": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "endpoint": endpoint,
        "account": account,
        "owned": plan.owned,
        "unchanged": plan.unchanged,
        "signatures": signatures,
        "changes": [
            {
                "subject": change.subject,
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
) -> tuple[Plan, Preconditions]:
    """The plan and what it expects of the account."""
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise StalePlanError("the plan file is not JSON (truncated or not a plan)") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise StalePlanError("the file is not a tplsync plan")
    if body.get("version") not in READS:
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
                subject=item.get("subject", TEMPLATE),
            )
        )
        preconditions[index] = item["precondition"]
    plan = Plan(tuple(changes), (), body["owned"], body["unchanged"])
    return plan, Preconditions(preconditions, body.get("signatures"))


def _duration(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if abs(seconds) >= 2 * size:
            return plural(round(seconds / size), unit)
    return plural(round(seconds), "second")


def moved(
    plan: Plan,
    preconditions: Preconditions,
    remote: Sequence[RemoteTemplate],
    signatures: Sequence[RemoteSignature] = (),
) -> list[str]:
    """What changed in the account since the plan was made (empty: nothing)."""
    by_id = {template.id: template for template in remote}
    by_name = {template.name: template for template in remote}
    problems = []
    seen: set[str] = set()
    for index, change in enumerate(plan.changes):
        if change.subject != TEMPLATE:
            continue
        if change.template_id is None:
            current = by_name.get(change.name)
        else:
            current = by_id.get(change.template_id)
        key = change.template_id or f"name:{change.name}"
        expected = preconditions.templates[index]
        if key in seen or expected is None:
            continue  # a later step of a rename through a temporary name, or covered
        seen.add(key)
        if remote_digest(current) != expected:
            if change.template_id is None:
                problems.append(f"{change.name} now exists")
            else:
                problems.append(f"{change.name} [{change.template_id}] changed")
    if preconditions.signatures is not None:
        problems.extend(_signatures_moved(preconditions.signatures, signatures))
    return problems


def _signatures_moved(
    expected: Mapping[str, str], signatures: Sequence[RemoteSignature]
) -> list[str]:
    current = signature_digests(signatures)
    problems = [
        f"signature {s.name} [{s.id}] " + ("now exists" if s.id not in expected else "changed")
        for s in signatures
        if expected.get(s.id) != current[s.id]
    ]
    gone = sorted(set(expected) - set(current))
    problems.extend(f"signature [{signature_id}] is gone" for signature_id in gone)
    return problems
