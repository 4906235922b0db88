"""The ``template-configs`` dialect: ``/v1/template-configs`` and
``/v1/sign-configs``, EngageLab's current template and signature API.

Bare JSON answers, string ids (never turned into numbers), no paging, no
submit call (every create and update files for review), a PUT replaces
every field, errors ``{"code": 400, "message": ...}``. Signatures are
referred to by name in the model; this module alone turns names into ids.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from tplsync.adapters.base import CallStats, Capabilities
from tplsync.http import ApiError, MalformedAnswer, Reply, Transport, identifier
from tplsync.model import (
    ApprovalStatus,
    RemoteSignature,
    RemoteTemplate,
    Signature,
    SignaturePosition,
    Template,
    TemplateType,
)

TYPE_NAMES = {
    TemplateType.VERIFICATION: "authentication",
    TemplateType.NOTIFICATION: "utility",
    TemplateType.MARKETING: "marketing",
}
_TYPES = {**{name: kind for kind, name in TYPE_NAMES.items()}, "otp": TemplateType.VERIFICATION}
STATUS_CODES = {1: ApprovalStatus.PENDING, 2: ApprovalStatus.APPROVED, 3: ApprovalStatus.REJECTED}
POSITION_CODES = {SignaturePosition.PREFIX: 1, SignaturePosition.SUFFIX: 2}
T = TypeVar("T")
Signatures = list[RemoteSignature]  # (the client's own ``list`` hides the builtin)
Templates = list[RemoteTemplate]

CAPABILITIES = Capabilities(
    separate_submit=False,
    drafts=False,
    can_clear_signature=True,
    unique_names=False,
    rename_keeps_review=False,
    signatures=True,
)


def decode(reply: Reply, what: str) -> Any:
    """The answer's body (an object or a bare array); ApiError for a 4xx, or
    for an object whose integer ``code`` is not 0."""
    body = reply.body
    code = body.get("code") if isinstance(body, dict) else None
    if reply.status >= 400 or (isinstance(code, int) and code != 0):
        message = body.get("message") if isinstance(body, dict) else None
        raise ApiError(
            reply.status,
            code if isinstance(code, int) else None,
            str(message or "request refused"),
            what,
        )
    if body is None:
        raise ApiError(reply.status, None, "the answer is not JSON", what)
    return body


def _parsed(parse: Callable[[Mapping[str, Any]], T], data: Any, what: str) -> T:
    """``parse(data)``; MalformedAnswer for anything but a well-formed ``what``."""
    if not isinstance(data, Mapping):
        raise MalformedAnswer(f"the answer holds {type(data).__name__} where a {what} belongs")
    try:
        return parse(data)
    except (KeyError, ValueError, TypeError, OverflowError) as error:
        raise MalformedAnswer(f"the answer holds a malformed {what}: {error!r}") from None


def parse_template(data: Any) -> RemoteTemplate:
    return _parsed(_parse_template, data, "template")


def _parse_template(data: Mapping[str, Any]) -> RemoteTemplate:
    kind = _TYPES.get(str(data.get("template_type")))
    if kind is None:
        raise ApiError(200, None, f"unknown template_type {data.get('template_type')!r}")
    signature = None
    position = data.get("sign_position")
    if data.get("sign_id") not in (None, "") and position in (1, 2):
        signature = Signature(
            id=identifier(data["sign_id"], "sign_id"),
            name=str(data.get("sign_name") or ""),
            position=SignaturePosition.PREFIX if position == 1 else SignaturePosition.SUFFIX,
        )
    codes = str(data.get("country_codes") or "")
    return RemoteTemplate(
        id=identifier(data["template_id"], "template_id"),
        name=str(data["template_name"]),
        type=kind,
        content=str(data.get("template_content") or ""),
        signature=signature,
        status=STATUS_CODES.get(int(data.get("status") or 1), ApprovalStatus.PENDING),
        status_message=str(data.get("audit_remark") or ""),
        updated=str(data.get("updated_time") or ""),
        # the pages show upper case but do not promise it back: ISO codes are caseless
        country_codes=tuple(c.strip().upper() for c in codes.split(",") if c.strip()),
    )


def parse_signature(data: Any) -> RemoteSignature:
    return _parsed(_parse_signature, data, "signature")


def _parse_signature(data: Mapping[str, Any]) -> RemoteSignature:
    return RemoteSignature(
        id=identifier(data["sign_id"], "sign_id"),
        name=str(data["sign_name"]),
        status=STATUS_CODES.get(int(data.get("status") or 1), ApprovalStatus.PENDING),
        status_message=str(data.get("audit_remark") or ""),
        templates=int(data.get("related_template_count") or 0),
    )


class TemplateConfigsClient:
    """Templates and signatures of one account, every write safe to retry:
    after an ambiguous failure it looks at the account first (names are not
    unique here, so a create that took effect is found by name instead of
    being made twice)."""

    def __init__(self, transport: Transport, read_parallelism: int = 1) -> None:
        self.http = transport

    @property
    def capabilities(self) -> Capabilities:
        return CAPABILITIES

    def stats(self) -> CallStats:
        return CallStats(self.http.stats.calls, self.http.stats.retries)

    def _call(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        return decode(self.http.call(method, path, **kwargs), what)

    def _read(self, path: str, what: str) -> list[Any]:
        body = self.http.retry(lambda first: self._call("GET", path, what), what)
        if not isinstance(body, list):
            raise ApiError(200, None, "the answer is not a JSON array", what)
        return body

    # ------------------------------------------------------------ templates
    def list(self, ids: Collection[str] | None = None) -> list[RemoteTemplate]:
        found = [parse_template(t) for t in self._read("/v1/template-configs", "list templates")]
        return self._named(found if ids is None else [t for t in found if t.id in set(ids)])

    def _named(self, templates: Templates) -> Templates:
        """``sign_name`` is optional in a template's answer: a signature
        answered by id alone takes its name from the signature listing."""
        if all(t.signature is None or t.signature.name for t in templates):
            return templates
        names = {s.id: s.name for s in self.signatures()}
        return [
            t
            if t.signature is None or t.signature.name
            else replace(t, signature=replace(t.signature, name=names.get(str(t.signature.id), "")))
            for t in templates
        ]

    def find(self, name: str) -> RemoteTemplate | None:
        return next((t for t in self.list() if t.name == name), None)

    def get(self, template_id: str) -> RemoteTemplate | None:
        return next(iter(self.list([template_id])), None)

    def create(self, template: Template, submit: bool) -> RemoteTemplate:
        what = f"create {template.name}"
        body = self._body(template.name, template.type, template.content, template)

        def attempt(first: bool) -> RemoteTemplate:
            if not first:
                existing = self.find(template.name)
                if existing is not None:
                    return existing
            answer = self._call("POST", "/v1/template-configs", what, json=body)
            return RemoteTemplate(
                identifier(answer.get("template_id"), "template_id"),
                template.name,
                template.type,
                template.content,
                None,
                ApprovalStatus.PENDING,
            )

        return self.http.retry(attempt, what)

    def update(self, template_id: str, template: Template, submit: bool) -> None:
        body = self._body(template.name, template.type, template.content, template)
        self._put(template_id, body)

    def rename(self, template_id: str, name: str) -> None:
        """A PUT of every field (this API has no partial update): back to review."""
        current = self._current(template_id)
        self._put(template_id, {**self._remote_body(current), "template_name": name})

    def submit(self, template_id: str) -> None:
        """Review again: a PUT of the template as it is (there is no submit call)."""
        self._put(template_id, self._remote_body(self._current(template_id)), resubmit=True)

    def delete(self, template_id: str) -> None:
        what = f"delete template {template_id}"

        def attempt(first: bool) -> None:
            if not first and self.get(template_id) is None:
                return
            self._call("DELETE", f"/v1/template-configs/{template_id}", what)

        self.http.retry(attempt, what)

    def _current(self, template_id: str) -> RemoteTemplate:
        current = self.get(template_id)
        if current is None:
            raise ApiError(400, None, "template config not exist", f"template {template_id}")
        return current

    def _put(self, template_id: str, body: Mapping[str, Any], resubmit: bool = False) -> None:
        """PUT ``body``; a retry first looks whether the lost one took effect:
        the fields show, and a resubmitted template is no longer rejected (a
        second PUT would be refused while it is pending)."""
        what = f"update template {template_id}"

        def attempt(first: bool) -> None:
            if not first:
                current = self.get(template_id)
                if (
                    current is not None
                    and self._remote_body(current) == body
                    and not (resubmit and current.status is ApprovalStatus.REJECTED)
                ):
                    return
            self._call("PUT", f"/v1/template-configs/{template_id}", what, json=body)

        self.http.retry(attempt, what)

    def _body(
        self, name: str, kind: TemplateType, content: str, source: Template | RemoteTemplate
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "template_name": name,
            "template_type": TYPE_NAMES[kind],
            "template_content": content,
            "country_codes": ",".join(source.country_codes),
            "add_signature": source.signature is not None,
        }
        signature = source.signature
        if signature is not None:
            sign_id = signature.id if isinstance(signature.id, str) else None
            if sign_id is None:
                sign_id = self._signature_id(str(signature.name))
            body["sign_id"] = sign_id
            body["sign_position"] = POSITION_CODES[signature.position or SignaturePosition.PREFIX]
        return body

    def _remote_body(self, remote: RemoteTemplate) -> dict[str, Any]:
        return self._body(remote.name, remote.type, remote.content, remote)

    # ----------------------------------------------------------- signatures
    def signatures(self) -> Signatures:
        return [parse_signature(s) for s in self._read("/v1/sign-configs", "list signatures")]

    def _signature(self, name: str) -> RemoteSignature | None:
        return next((s for s in self.signatures() if s.name == name), None)

    def _signature_id(self, name: str) -> str:
        found = self._signature(name)
        if found is None:
            raise ApiError(400, None, f"signature {name!r} does not exist", "find signature")
        return found.id

    def create_signature(self, name: str) -> RemoteSignature:
        what = f"create signature {name}"

        def attempt(first: bool) -> RemoteSignature:
            if not first:
                existing = self._signature(name)
                if existing is not None:
                    return existing
            answer = self._call("POST", "/v1/sign-configs", what, json={"sign_name": name})
            return RemoteSignature(
                identifier(answer.get("sign_id"), "sign_id"), name, ApprovalStatus.PENDING
            )

        return self.http.retry(attempt, what)

    def rename_signature(self, signature_id: str, name: str) -> None:
        what = f"rename signature {signature_id}"

        def attempt(first: bool) -> None:
            if not first:
                current = next((s for s in self.signatures() if s.id == signature_id), None)
                if current is not None and current.name == name:
                    return
            body = {"sign_name": name}
            self._call("PUT", f"/v1/sign-configs/{signature_id}", what, json=body)

        self.http.retry(attempt, what)

    def delete_signature(self, signature_id: str) -> None:
        what = f"delete signature {signature_id}"

        def attempt(first: bool) -> None:
            if not first and all(s.id != signature_id for s in self.signatures()):
                return
            self._call("DELETE", f"/v1/sign-configs/{signature_id}", what)

        self.http.retry(attempt, what)
