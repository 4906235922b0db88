"""Signatures as code: ``signatures.yaml`` → changes, and what waits on review.

In the template-configs dialect a template names its signature, and the
service lets a template use only an approved one. The project's
``signatures.yaml`` (beside ``tplsync.yaml``) declares them; when it exists,
every signature of the account is managed like an owned template: created,
renamed (``renamed_from``), deleted with ``prune`` (never a ``protect`` one).
A template change whose signature is not approved yet *waits for review*.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tplsync.changes import SIGNATURE, Action, Change, FieldChange
from tplsync.config import SIGNATURES_NAME as SIGNATURES_NAME
from tplsync.errors import InputError
from tplsync.files import read_text
from tplsync.model import ApprovalStatus, DeclaredSignature, RemoteSignature, Template
from tplsync.order import ordered
from tplsync.plan import Notice, Plan, duplicate_reason
from tplsync.pull import visible_yaml
from tplsync.schemas import SIGNATURES_SCHEMA, schema_comment, validate
from tplsync.yamlsource import YamlError, load_documents


def load_signatures(root: Path) -> list[DeclaredSignature] | None:
    """The signatures ``root/signatures.yaml`` declares; None without the file."""
    path = root / SIGNATURES_NAME
    if not path.is_file():
        return None
    text = read_text(path, SIGNATURES_NAME)
    try:
        documents = list(load_documents(text, SIGNATURES_NAME))
    except YamlError as error:
        raise InputError(str(error)) from None
    if len(documents) != 1:
        raise InputError(f"{SIGNATURES_NAME}: expected one YAML document, a list of signatures")
    document = documents[0]
    for position, message in validate(document, SIGNATURES_SCHEMA):
        raise InputError(f"{position}: {message}")
    declared: list[DeclaredSignature] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(document.data):
        position = document.position((index,))
        if item["name"] in seen:
            raise InputError(
                f"{position}: signature {item['name']!r} is declared twice "
                f"(first at line {seen[item['name']]})"
            )
        seen[item["name"]] = position.line
        declared.append(
            DeclaredSignature(item["name"], tuple(item.get("renamed_from", ())), position)
        )
    return declared


@dataclass(frozen=True)
class SignaturePlan:
    """The declared and the remote signatures, and what apply does to them."""

    declared: tuple[DeclaredSignature, ...]
    remote: tuple[RemoteSignature, ...]
    changes: tuple[Change, ...]
    notices: tuple[Notice, ...]

    @property
    def waiting(self) -> dict[str, str]:
        return unusable(self.declared, self.remote, self.changes)

    def joined(self, plan: Plan) -> Plan:
        """``plan`` with these changes: creates and renames first, deletes last
        (after every template change, so none still uses them)."""
        steps = ordered(self.changes, rename_keeps_review=False)  # a rename is reviewed
        first = tuple(c for c in steps if c.action is not Action.DELETE)
        last = tuple(c for c in steps if c.action is Action.DELETE)
        return Plan(
            (*first, *plan.changes, *last),
            (*plan.notices, *self.notices),
            plan.owned + len(self.remote),
            plan.unchanged,
            self.remote,
            self.unchanged,
        )

    @property
    def unchanged(self) -> int:
        """Declared signatures the account holds as they are."""
        changed = {c.template_id for c in self.changes}
        declared = {s.name for s in self.declared}
        return sum(1 for s in self.remote if s.name in declared and s.id not in changed)

    def status(self) -> list[tuple[str, str, str, str, str]]:
        """(name, id, review, message, drift) of each signature, then those to create."""
        by_id = {c.template_id: c for c in self.changes if c.template_id}
        declared = {s.name for s in self.declared}
        shared = duplicates(self.remote)
        rows = []
        for signature in sorted(self.remote, key=lambda s: s.name):
            change = by_id.get(signature.id)
            if signature.name in shared:
                drift = "duplicate name"
            elif change is not None:
                drift = change.action.value
            else:
                drift = "in sync" if signature.name in declared else "not declared"
            rows.append(
                (
                    signature.name,
                    signature.id,
                    signature.status.value,
                    signature.status_message,
                    drift,
                )
            )
        rows.extend(
            (c.name, "-", "-", "", "to create") for c in self.changes if c.action is Action.CREATE
        )
        return rows


def plan_signatures(
    declared: Sequence[DeclaredSignature],
    remote: Sequence[RemoteSignature],
    prune: bool,
    protect: Sequence[str],
) -> SignaturePlan:
    """The signature changes (subject ``signature``) and notices; signatures
    that share a name on the account are blocked steps, and left alone."""
    shared = duplicates(remote)
    by_name = {s.name: s for s in remote if s.name not in shared}
    declared_names = {s.name for s in declared}
    matched = set(shared)
    changes = [
        Change(
            Action.BLOCKED,
            s.name,
            s.id,
            reason=duplicate_reason("signatures", s.name, shared[s.name]) + ", then plan again",
            subject=SIGNATURE,
        )
        for s in remote
        if s.name in shared
    ]
    notices: list[Notice] = []
    for signature in declared:
        if signature.name in shared:
            continue
        current = by_name.get(signature.name)
        if current is None:
            old = next(
                (n for n in signature.renamed_from if n in by_name and n not in declared_names),
                None,
            )
            current = by_name.get(old) if old else None
        if current is None:
            changes.append(Change(Action.CREATE, signature.name, subject=SIGNATURE))
            continue
        matched.add(current.name)
        if current.name != signature.name:
            fields = (FieldChange("name", current.name, signature.name),)
            pending = current.status is ApprovalStatus.PENDING
            changes.append(
                Change(
                    Action.BLOCKED if pending else Action.RENAME,
                    signature.name,
                    current.id,
                    fields=fields,
                    resets_approval=current.status is ApprovalStatus.APPROVED,
                    reason="under review: the service refuses changes until it ends"
                    if pending
                    else f"renamed from {current.name}",
                    old_name=current.name,
                    subject=SIGNATURE,
                )
            )
        elif current.status is ApprovalStatus.REJECTED:
            reason = current.status_message or "no reason given"
            notices.append(Notice(signature.name, f"signature rejected: {reason}"))
    for current in remote:
        if current.name in matched:
            continue
        if not prune:
            notices.append(Notice(current.name, "signature not declared (--prune deletes it)"))
        elif any(fnmatch.fnmatchcase(current.name, glob) for glob in protect):
            notices.append(
                Notice(current.name, "signature not declared, but protected: never deleted")
            )
        else:
            changes.append(Change(Action.DELETE, current.name, current.id, subject=SIGNATURE))
    return SignaturePlan(tuple(declared), tuple(remote), tuple(changes), tuple(notices))


def unusable(
    declared: Sequence[DeclaredSignature],
    remote: Sequence[RemoteSignature],
    changes: Sequence[Change],
) -> dict[str, str]:
    """Signature name → why a template cannot use it yet (approved ones are absent)."""
    by_name = {s.name: s for s in remote}
    shared = duplicates(remote)
    moving = {c.name for c in changes if c.action not in (Action.DELETE, Action.BLOCKED)}
    waiting: dict[str, str] = {}
    for signature in declared:
        current = by_name.get(signature.name)
        if signature.name in shared:
            waiting[signature.name] = f"{len(shared[signature.name])} signatures share its name"
        elif signature.name in moving:
            waiting[signature.name] = "to be reviewed after this apply"
        elif current is None:
            waiting[signature.name] = "does not exist"
        elif current.status is ApprovalStatus.PENDING:
            waiting[signature.name] = "under review"
        elif current.status is ApprovalStatus.REJECTED:
            waiting[signature.name] = f"rejected: {current.status_message or 'no reason given'}"
    return waiting


def check_references(
    templates: Sequence[Template], declared: Sequence[DeclaredSignature] | None
) -> None:
    """Every signature a template names is declared in ``signatures.yaml``."""
    names = {s.name for s in declared or ()}
    for template in templates:
        signature = template.signature
        if signature is not None and signature.name is not None and signature.name not in names:
            raise InputError(
                f"{template.position_of('signature')}: signature {signature.name!r} is not "
                f"declared in {SIGNATURES_NAME}"
            )


def duplicates(remote: Sequence[RemoteSignature]) -> dict[str, list[str]]:
    """Name → ids of the signatures that share a name on the account."""
    ids: dict[str, list[str]] = {}
    for signature in remote:
        ids.setdefault(signature.name, []).append(signature.id)
    return {name: group for name, group in ids.items() if len(group) > 1}


def signatures_document(remote: Sequence[RemoteSignature]) -> str:
    """``signatures.yaml`` declaring the account's signatures (``pull``),
    but none whose name several share. Names are written by the YAML
    emitter, which escapes what would read back otherwise (line breaks
    such as U+2028, characters YAML does not allow)."""
    shared = duplicates(remote)
    names = [s.name for s in remote if s.name not in shared]
    lines = [f"# pulled: {len(names)} signature(s) of the account"]
    lines.extend(f"- name: {_quoted(name)}" for name in names)
    return schema_comment(SIGNATURES_SCHEMA) + "\n".join(lines if names else [*lines, "[]"]) + "\n"


def _quoted(name: str) -> str:
    """``name`` as a YAML double-quoted scalar on one line, with control and
    bidi characters as escapes (``\\e``, ``\\u202e``) that read back as they were."""
    return visible_yaml(name, default_style='"', width=1 << 30).strip()
