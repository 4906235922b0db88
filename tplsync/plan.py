"""Declared templates + remote templates → a :class:`Plan` of changes (pure).

Identity is the name. Only owned remote templates (``manage`` globs) are
seen. ``renamed_from`` turns a delete and a create into a rename, which
keeps approval. Review state is respected: a template under review cannot be
modified (the change is *blocked*), and a change to an approved template's
content, type or signature sends it back to review (``resets_approval``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tplsync.changes import TEMPORARY_PREFIX, Action, Change, FieldChange
from tplsync.model import ApprovalStatus, RemoteSignature, RemoteTemplate, Signature, Template
from tplsync.order import ordered
from tplsync.placeholders import Syntax, render
from tplsync.preview import signature_text
from tplsync.segments import analyse
from tplsync.words import plural


@dataclass(frozen=True)
class Notice:
    """Something the plan shows without acting on it."""

    name: str
    message: str


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    notices: tuple[Notice, ...] = ()
    owned: int = 0
    unchanged: int = 0
    # the account's signatures the plan was made from, where the project manages them
    signatures: tuple[RemoteSignature, ...] | None = None
    unchanged_signatures: int = 0

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action is action)

    @property
    def actionable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action is not Action.BLOCKED)

    @property
    def resets(self) -> int:
        return sum(1 for change in self.changes if change.resets_approval)


@dataclass(frozen=True)
class PlanOptions:
    include: Sequence[str] = ("*",)
    exclude: Sequence[str] = ()
    prune: bool = False
    protect: Sequence[str] = ()
    submit: bool = True
    resubmit: bool = False
    signatures: Mapping[int, str] = field(default_factory=dict)
    # the dialect can clear a template's signature with an update; if not,
    # removing one takes a replace (delete and create)
    clears_signature: bool = False
    syntax: Syntax = Syntax.MUSTACHE
    # a rename alone keeps an approval (else it is a full update, back to review)
    rename_keeps_review: bool = True
    # signature name → why templates cannot use it yet (template-configs)
    waiting_signatures: Mapping[str, str] = field(default_factory=dict)


def owns(name: str, options: PlanOptions) -> bool:
    return any(fnmatch.fnmatchcase(name, g) for g in options.include) and not any(
        fnmatch.fnmatchcase(name, g) for g in options.exclude
    )


def in_scope(remote: Iterable[RemoteTemplate], options: PlanOptions) -> list[RemoteTemplate]:
    """The remote templates in tplsync's scope: the rest of the account is left alone."""
    return [template for template in remote if owns(template.name, options)]


def _signature_text(signature: Signature | None) -> str | None:
    if signature is None:
        return None
    label = signature.name if signature.name is not None else str(signature.id)
    if signature.position is None:
        return label
    return f"{label} ({signature.position.value})"


def _comparable(
    name: str, kind: Any, content: str, signature: Signature | None, countries: tuple[str, ...]
) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind.value,
        "content": content,
        "signature": _signature_text(signature),
        "country_codes": ",".join(sorted(countries)) or None,
    }


def unverified_position(remote: RemoteTemplate, declared: Template) -> bool:
    """Whether the declared signature's position cannot be checked against
    the account (which does not report it)."""
    return (
        declared.signature is not None
        and remote.signature is not None
        and remote.signature.position is None
    )


def _differences(remote: RemoteTemplate, declared: Template) -> tuple[FieldChange, ...]:
    signature = declared.signature
    if signature is not None and unverified_position(remote, declared):
        signature = replace(signature, position=None)  # unknown: never a difference
    before = _comparable(
        remote.name, remote.type, remote.content, remote.signature, remote.country_codes
    )
    after = _comparable(
        declared.name, declared.type, declared.content, signature, declared.country_codes
    )
    if before == after:
        return ()
    from deepdiff import DeepDiff  # 0.15 s to import: only once a template differs

    changed = DeepDiff(before, after).affected_root_keys
    return tuple(FieldChange(key, before[key], after[key]) for key in before if key in changed)


def encoding_note(old: str, new: str, signature: str = "") -> str | None:
    """ "GSM-7 → UCS-2 (’ at col 43), 1 → 2 segments", when either changes."""
    before, after = analyse(signature + old), analyse(signature + new)
    parts = []
    if before.encoding is not after.encoding:
        text = f"{before.encoding.value} → {after.encoding.value}"
        if after.forced:
            first = after.forced[0]
            text += f" ({first.char} at col {first.index + 1 - len(signature)})"
        parts.append(text)
    if before.segments != after.segments:
        parts.append(f"{before.segments} → {after.segments} segments")
    return ", ".join(parts) or None


def make_plan(
    declared: Sequence[Template], remote: Sequence[RemoteTemplate], options: PlanOptions
) -> Plan:
    named: dict[str, list[RemoteTemplate]] = {}
    for r in in_scope(remote, options):
        named.setdefault(r.name, []).append(r)
    owned = {name: group[0] for name, group in named.items() if len(group) == 1}
    declared_names = {t.name for t in declared}
    matched: set[str] = set()
    changes = _duplicates(named)
    notices: list[Notice] = []
    unverified: list[str] = []
    unchanged = 0
    for template in declared:
        if template.name in named and template.name not in owned:
            continue  # a duplicate name: blocked until one template is left
        current = owned.get(template.name)
        if current is None:
            old = next(
                (n for n in template.renamed_from if n in owned and n not in declared_names), None
            )
            current = owned.get(old) if old else None
        if current is None:
            create = Change(
                Action.CREATE,
                template.name,
                submit=_submit(template, options),
                notes=_content_notes(None, template, options),
                declared=template,
            )
            changes.append(_waiting(create, template, options))
            continue
        matched.add(current.name)
        if unverified_position(current, template):
            unverified.append(template.name)
        change = _compare(template, current, options)
        if change is None:
            unchanged += 1
            if current.status is ApprovalStatus.REJECTED:
                notices.append(
                    Notice(
                        template.name,
                        f"rejected: {current.status_message or 'no reason given'}"
                        " (change it, or use --resubmit)",
                    )
                )
        else:
            changes.append(_waiting(change, template, options))
    for name, current in owned.items():
        if name in matched:
            continue
        if name.startswith(TEMPORARY_PREFIX):
            notices.append(
                Notice(
                    name,
                    "left under a temporary name by an interrupted rename: "
                    "add it to renamed_from of the template it should be; "
                    "it is never pruned",
                )
            )
        elif not options.prune:
            notices.append(Notice(name, "not declared in any file (use --prune to delete it)"))
        elif any(fnmatch.fnmatchcase(name, g) for g in options.protect):
            notices.append(Notice(name, "not declared, but protected: it is never deleted"))
        else:
            changes.append(Change(Action.DELETE, name, current.id, remote=current))
    if unverified:
        notices.append(_unverified_notice(unverified))
    steps = ordered(changes, options.rename_keeps_review)
    return Plan(steps, tuple(notices), sum(map(len, named.values())), unchanged)


def _duplicates(named: Mapping[str, Sequence[RemoteTemplate]]) -> list[Change]:
    """A blocked step for each template whose name another one on the account
    shares: which one the files mean is unknown, so neither is touched."""
    blocked: list[Change] = []
    for name, group in named.items():
        if len(group) < 2:
            continue
        reason = duplicate_reason("templates", name, [r.id for r in group]) + ", then plan again"
        blocked.extend(Change(Action.BLOCKED, name, r.id, reason=reason, remote=r) for r in group)
    return blocked


def duplicate_reason(kind: str, name: str, ids: Sequence[str]) -> str:
    """Why ``kind`` (templates, signatures) sharing ``name`` are left alone."""
    listed = ", ".join(sorted(ids, key=lambda i: (len(i), i)))
    return (
        f"duplicate name: {len(ids)} {kind} on the account are named {name} "
        f"(ids {listed}); delete or rename all but one in the EngageLab console"
    )


def _unverified_notice(names: Sequence[str]) -> Notice:
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return Notice(
        shown,
        "the signature position cannot be verified: the account does not report it, "
        "so a change of position alone is never planned",
    )


def _submit(template: Template, options: PlanOptions) -> bool:
    return options.submit if template.submit is None else template.submit


def _content_notes(
    current: RemoteTemplate | None, template: Template, options: PlanOptions
) -> tuple[str, ...]:
    signature = signature_text(template.signature, options.signatures)
    if current is None:
        analysis = analyse(signature + _as_sent(template.content, template, options))
        return (f"{analysis.encoding.value}, {plural(analysis.segments, 'segment')}",)
    old, new = (_as_sent(text, template, options) for text in (current.content, template.content))
    note = encoding_note(old, new, signature)
    return (note,) if note else ()


def _as_sent(content: str, template: Template, options: PlanOptions) -> str:
    """``content`` as preview measures it: rendered with each sample's params
    (as written when there are none); the one with the most segments."""
    texts = [render(content, s.params, options.syntax) for s in template.samples] or [content]
    return max(texts, key=lambda text: analyse(text).segments)


def _compare(template: Template, current: RemoteTemplate, options: PlanOptions) -> Change | None:
    fields = _differences(current, template)
    submit = _submit(template, options)
    common: dict[str, Any] = {
        "name": template.name,
        "template_id": current.id,
        "old_name": current.name,
        "declared": template,
        "remote": current,
    }
    if not fields:
        if current.status is ApprovalStatus.NOT_SUBMITTED and submit:
            return Change(Action.SUBMIT, reason="declared unchanged, never submitted", **common)
        if current.status is ApprovalStatus.REJECTED and options.resubmit:
            return Change(Action.SUBMIT, reason=f"resubmit: {current.status_message}", **common)
        return None
    if current.status is ApprovalStatus.PENDING:
        return Change(
            Action.BLOCKED,
            fields=fields,
            reason="under carrier review: the service refuses changes until it ends",
            **common,
        )
    removes_signature = template.signature is None and current.signature is not None
    if removes_signature and not options.clears_signature:
        return _replace(template, current, fields, options, common)
    if [f.field for f in fields] == ["name"]:
        return Change(
            Action.RENAME,
            fields=fields,
            reason=f"renamed from {current.name}",
            resets_approval=current.status is ApprovalStatus.APPROVED
            and not options.rename_keeps_review,
            **common,
        )
    notes = (
        _content_notes(current, template, options)
        if any(f.field == "content" for f in fields)
        else ()
    )
    return Change(
        Action.UPDATE,
        fields=fields,
        resets_approval=current.status is ApprovalStatus.APPROVED,
        submit=submit,
        notes=notes,
        **common,
    )


def _waiting(change: Change, template: Template, options: PlanOptions) -> Change:
    """``change`` blocked while the signature it needs is not approved."""
    signature = template.signature
    if change.action is Action.BLOCKED or signature is None or signature.name is None:
        return change
    why = options.waiting_signatures.get(signature.name)
    if why is None:
        return change
    return replace(
        change,
        action=Action.BLOCKED,
        reason=f"waits for review of signature {signature.name} ({why})",
        resets_approval=False,
    )


def _replace(
    template: Template,
    current: RemoteTemplate,
    fields: tuple[FieldChange, ...],
    options: PlanOptions,
    common: dict[str, Any],
) -> Change:
    """Removing a signature where the service cannot clear one: delete the
    template and create it again under its name (a new id, and review)."""
    if any(fnmatch.fnmatchcase(current.name, g) for g in options.protect):
        return Change(
            Action.BLOCKED,
            fields=fields,
            reason="removing the signature needs a delete and a create, "
            "and the template is protected: it is never deleted",
            **common,
        )
    return Change(
        Action.REPLACE,
        fields=fields,
        resets_approval=current.status is ApprovalStatus.APPROVED,
        submit=_submit(template, options),
        reason="the service cannot clear a signature: delete and create again under the "
        "same name (a new id, back to review; apply needs --allow-replace)",
        notes=_content_notes(current, template, options),
        **common,
    )
