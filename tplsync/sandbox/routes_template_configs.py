"""The current template API, ``/v1/template-configs`` and ``/v1/sign-configs``.

Written from EngageLab's pages only: bare JSON answers, string ids, status
1 pending / 2 approved / 3 rejected, errors ``{"code": 400, "message": ...}``
with HTTP 400, no submit call (a create or an update files for review),
pending items refuse updates, a template may use only an approved
signature. Where the pages are silent, docs/sandbox.md says what was chosen.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tplsync.sandbox.errors import ServiceError
from tplsync.sandbox.routing import Api, Route
from tplsync.sandbox.state import Draft, Kind, Position, Review, SignatureRecord, Store, Template

NAME_LIMIT = 255
SIGN_NAME_LIMITS = (2, 60)
BAD_REQUEST = 400
IN_USE = "there are pending or running plans using current template, can not update"
_FORBIDDEN = re.compile(r"[\[\]【】、]|测试|test", re.IGNORECASE)
_SIGN_FORBIDDEN = re.compile(r"[\[\]【】]")
_KINDS = {
    "authentication": Kind.VERIFICATION,
    "otp": Kind.VERIFICATION,
    "utility": Kind.NOTIFICATION,
    "marketing": Kind.MARKETING,
}
_KIND_NAMES = {Kind.VERIFICATION: "authentication", Kind.NOTIFICATION: "utility"}
_STATUS = {
    Review.NOT_SUBMITTED: 1,  # a seed-API draft seen through this API: not usable yet
    Review.PENDING: 1,
    Review.APPROVED: 2,
    Review.REJECTED: 3,
}
_POSITIONS = {1: Position.PREFIX, 2: Position.SUFFIX}
_DIGITS = re.compile(r"[0-9]{1,19}")


def refused(message: str) -> ServiceError:
    return ServiceError(400, BAD_REQUEST, message)


SUCCESS = {"code": 0, "message": "success"}


# ----------------------------------------------------------------- templates
def template_to_api(store: Store, template: Template) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "template_id": str(template.id),
        "template_name": template.name,
        "template_type": _KIND_NAMES.get(template.kind, template.kind.value),
        "template_content": template.content,
        "country_codes": ",".join(template.country_codes),
        "status": _STATUS[template.review],
        "sign_position": 0,
        "audit_remark": template.review_message,
        "created_time": int(template.created),
        "updated_time": int(template.updated),
    }
    signature = (
        store.find_signature(template.signature_id) if template.signature_id is not None else None
    )
    if signature is not None:
        answer.update(
            sign_id=str(signature.id),
            sign_name=signature.name,
            sign_position=2 if template.signature_position is Position.SUFFIX else 1,
            sign_status=_STATUS[signature.review],
        )
    return answer


def _template(store: Store, raw: str) -> Template:
    if not _DIGITS.fullmatch(raw):
        raise refused("invalid templateId")
    found = store.find(int(raw))
    if found is None:
        raise refused("template config not exist")
    return found


def list_templates(store: Store) -> list[dict[str, Any]]:
    with store.transaction():
        found = sorted(store.templates(), key=lambda t: t.id)
        return [template_to_api(store, t) for t in found]


def get_template(store: Store, raw: str) -> dict[str, Any]:
    with store.transaction():
        return template_to_api(store, _template(store, raw))


def create_template(store: Store, body: Any) -> dict[str, str]:
    with store.transaction():
        draft, codes = _draft(store, body)
        created = store.create(draft, submit=True)
        store.put(replace(created, country_codes=codes))
        return {"template_id": str(created.id)}


def update_template(store: Store, raw: str, body: Any) -> dict[str, Any]:
    with store.transaction():
        current = _template(store, raw)
        if current.review is Review.PENDING:
            raise refused("can not update pending status template")
        if store.used_by_schedule(current.id):
            raise refused(IN_USE)
        draft, codes = _draft(store, body)
        now = store.clock()
        store.put(
            replace(
                current,
                name=draft.name,
                kind=draft.kind,
                content=draft.content,
                signature_id=draft.signature_id,
                signature_position=draft.signature_position,
                country_codes=codes,
                updated=now,
            ).submitted(now)
        )
        store.find(current.id)  # a review with no delay is decided now
        return SUCCESS


def delete_template(store: Store, raw: str) -> dict[str, Any]:
    with store.transaction():
        current = _template(store, raw)
        if store.used_by_schedule(current.id):
            raise refused(IN_USE)
        store.delete(current.id)
        return SUCCESS


def _draft(store: Store, body: Any) -> tuple[Draft, tuple[str, ...]]:
    """A create or update body (every field, as a PUT replaces them all)."""
    if not isinstance(body, dict):
        raise refused("the request body must be a JSON object")
    name = body.get("template_name")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LIMIT:
        raise refused("invalid template_name")
    kind = _KINDS.get(body.get("template_type"))  # type: ignore[arg-type]
    if kind is None:
        raise refused("invalid template_type")
    content = body.get("template_content")
    if not isinstance(content, str) or not content:
        raise refused("invalid template_content")
    forbidden = _FORBIDDEN.search(content)
    if forbidden:
        raise refused(f"template_content can not contain {forbidden.group(0)!r}")
    codes = body.get("country_codes")
    parts = tuple(p.strip() for p in codes.split(",")) if isinstance(codes, str) else ()
    if not parts or not all(parts):
        raise refused("invalid country_codes")
    add = body.get("add_signature", False)
    if not isinstance(add, bool):
        raise refused("invalid add_signature")
    if not add:
        return Draft(name, kind, content), parts
    sign_id, position = body.get("sign_id"), body.get("sign_position")
    if not isinstance(sign_id, str) or not _DIGITS.fullmatch(sign_id):
        raise refused("invalid sign_id")
    if isinstance(position, bool) or position not in _POSITIONS:
        raise refused("invalid sign_position")
    signature = store.find_signature(int(sign_id))
    if signature is None:
        raise refused("sign config not exist")
    if signature.review is not Review.APPROVED:
        raise refused("sign status is not approved, can not use")
    return Draft(name, kind, content, signature.id, _POSITIONS[position]), parts


# ---------------------------------------------------------------- signatures
def signature_to_api(store: Store, signature: SignatureRecord) -> dict[str, Any]:
    return {
        "sign_id": str(signature.id),
        "sign_name": signature.name,
        "status": _STATUS[signature.review],
        "related_template_count": sum(
            1 for t in store.templates() if t.signature_id == signature.id
        ),
        "audit_remark": signature.review_message,
        "created_time": int(signature.created),
        "updated_time": int(signature.updated),
    }


def _signature(store: Store, raw: str) -> SignatureRecord:
    if not _DIGITS.fullmatch(raw):
        raise refused("invalid signId")
    found = store.find_signature(int(raw))
    if found is None:
        raise refused("sign config not exist")
    return found


def _sign_name(store: Store, body: Any, own_id: int | None) -> str:
    name = body.get("sign_name") if isinstance(body, dict) else None
    low, high = SIGN_NAME_LIMITS
    if not isinstance(name, str) or not low <= len(name) <= high or _SIGN_FORBIDDEN.search(name):
        raise refused("invalid sign_name")
    if any(s.name == name and s.id != own_id for s in store.signatures()):
        raise refused("sign_name already exist")
    return name


def list_signatures(store: Store) -> list[dict[str, Any]]:
    with store.transaction():
        found = sorted(store.signatures(), key=lambda s: s.id)
        return [signature_to_api(store, s) for s in found]


def get_signature(store: Store, raw: str) -> dict[str, Any]:
    with store.transaction():
        return signature_to_api(store, _signature(store, raw))


def create_signature(store: Store, body: Any) -> dict[str, str]:
    with store.transaction():
        return {"sign_id": str(store.create_signature(_sign_name(store, body, None)).id)}


def update_signature(store: Store, raw: str, body: Any) -> dict[str, Any]:
    with store.transaction():
        current = _signature(store, raw)
        if current.review is Review.PENDING:
            raise refused("can not update pending status sign")
        name = _sign_name(store, body, current.id)
        now = store.clock()
        store.put_signature(replace(current, name=name, updated=now).submitted(now))
        store.find_signature(current.id)  # a review with no delay is decided now
        return SUCCESS


def delete_signature(store: Store, raw: str) -> dict[str, Any]:
    with store.transaction():
        store.delete_signature(_signature(store, raw).id)
        return SUCCESS


def decide_signature(store: Store, raw: str, reject_message: str | None) -> dict[str, Any]:
    """Approve (``reject_message`` None) or reject, whatever the status."""
    with store.transaction():
        decided = store.decide_signature(_signature(store, raw), reject_message)
        return signature_to_api(store, decided)


def _routes() -> tuple[Route, ...]:
    def get(path: str, handler: Any) -> Route:
        return Route("GET", path, handler)

    return (
        get("/v1/template-configs", lambda s, q, b, m: list_templates(s)),
        get("/v1/template-configs/{id}", lambda s, q, b, m: get_template(s, m[1])),
        Route("POST", "/v1/template-configs", lambda s, q, b, m: create_template(s, b)),
        Route("PUT", "/v1/template-configs/{id}", lambda s, q, b, m: update_template(s, m[1], b)),
        Route("DELETE", "/v1/template-configs/{id}", lambda s, q, b, m: delete_template(s, m[1])),
        get("/v1/sign-configs", lambda s, q, b, m: list_signatures(s)),
        get("/v1/sign-configs/{id}", lambda s, q, b, m: get_signature(s, m[1])),
        Route("POST", "/v1/sign-configs", lambda s, q, b, m: create_signature(s, b)),
        Route("PUT", "/v1/sign-configs/{id}", lambda s, q, b, m: update_signature(s, m[1], b)),
        Route("DELETE", "/v1/sign-configs/{id}", lambda s, q, b, m: delete_signature(s, m[1])),
    )


API = Api(
    key_pair="dev",
    auth_failed=(401, 401, "invalid dev_key or dev_secret"),
    bad_json=BAD_REQUEST,
    rate_limited=429,
    routes=_routes(),
)
