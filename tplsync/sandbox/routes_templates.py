"""The seed template API, ``/v1/templates``: its fields, codes and rules.

Translates requests into the state store's records and back; everything
this API's pages say (or the sandbox chose where they are silent, see
docs/sandbox.md) lives here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from tplsync.sandbox import errors as codes
from tplsync.sandbox.errors import bad_request
from tplsync.sandbox.routing import Api, Route
from tplsync.sandbox.state import Draft, Kind, Position, Review, Store, Template

NAME_LIMIT, CONTENT_LIMIT = 64, 512
SERVICE_TIME = timezone(timedelta(hours=8))
_FORBIDDEN = re.compile(r"[\[\]【】]|测试|(?<![A-Za-z0-9_])test(?![A-Za-z0-9_])", re.IGNORECASE)
_KINDS = {0: Kind.VERIFICATION, 1: Kind.NOTIFICATION, 2: Kind.MARKETING}
_KIND_CODES = {kind: code for code, kind in _KINDS.items()}
_REVIEWS = {
    Review.PENDING: 0,
    Review.APPROVED: 1,
    Review.REJECTED: -1,
    Review.NOT_SUBMITTED: -2,
}


def to_api(template: Template, with_sign_id: bool = True) -> dict[str, Any]:
    """The fields the page's response tables list: never ``sign_pos``, and
    no ``sign_id`` in the single-template answer."""
    answer: dict[str, Any] = {
        "template_id": template.id,
        "template_name": template.name,
        "msg_type": 2,
        "template_type": _KIND_CODES[template.kind],
        "template_content": template.content,
        "approval_status": _REVIEWS[template.review],
        "approval_message": template.review_message,
        "create_time": _service_time(template.created),
        "update_time": _service_time(template.updated),
    }
    if with_sign_id:
        answer["sign_id"] = template.signature_id
    return answer


def _service_time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, SERVICE_TIME).strftime("%Y-%m-%dT%H:%M:%S%z")


def integer(value: Any, field_name: str, code: int = codes.INVALID_PARAMETER) -> int:
    """An int given as a JSON number or a decimal string (the pages use both)."""
    if isinstance(value, bool):
        raise bad_request(code, f"invalid {field_name}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    raise bad_request(code, f"invalid {field_name}")


def template(store: Store, template_id: Any) -> Template:
    """The template of a path or body id, or the service's "does not exist"."""
    found = store.find(integer(template_id, "template_id", codes.TEMPLATE_MISSING))
    if found is None:
        raise bad_request(codes.TEMPLATE_MISSING, "The template does not exist")
    return found


# ------------------------------------------------------------------ routes
def list_page(store: Store, query: Mapping[str, str]) -> bytes:
    """:func:`list_templates`, encoded; a page is read often and changes seldom."""
    return store.remembered(
        ("list", *sorted(query.items())),
        lambda: json.dumps(list_templates(store, query), ensure_ascii=False).encode(),
    )


def list_templates(store: Store, query: Mapping[str, str]) -> dict[str, Any]:
    offset = _paging(query.get("offset", "0"), "offset", 0, None)
    limit = _paging(query.get("limit", "100"), "limit", 0, 100)
    found = store.templates()
    if query.get("template_ids"):
        wanted = {part.strip() for part in query["template_ids"].split(",") if part.strip()}
        found = [t for t in found if str(t.id) in wanted]
    if query.get("approval_status", "") != "":
        status = integer(query["approval_status"], "approval_status")
        found = [t for t in found if _REVIEWS[t.review] == status]
    if query.get("template_name"):
        needle = query["template_name"].casefold()
        found = [t for t in found if needle in t.name.casefold()]
    page = found[offset : offset + limit]
    return {"result": [to_api(t) for t in page], "count": len(page), "total": len(found)}


def get_template(store: Store, template_id: str) -> dict[str, Any]:
    return {"result": to_api(template(store, template_id), with_sign_id=False)}


def add_template(store: Store, body: Any) -> dict[str, Any]:
    body = _required(_object(body))
    with store.transaction():
        fields = _validated(store, body, None)
        created = store.create(Draft(**fields), submit=body.get("submit") is True)
        return {"result": to_api(created)}


def modify_template(store: Store, template_id: str, body: Any) -> dict[str, Any]:
    body = _object(body)
    with store.transaction():
        current = template(store, template_id)
        if current.review is Review.PENDING:
            raise bad_request(codes.INVALID_PARAMETER, "can not update pending status template")
        _refuse_in_use(store, current)
        fields = _validated(store, body, current)
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        now = store.clock()
        updated = replace(current, **changed, updated=now) if changed else current
        if set(changed) - {"name"}:
            updated = replace(
                updated, review=Review.NOT_SUBMITTED, review_message="", submitted_at=None
            )
        if body.get("submit") is True and updated.review in (Review.NOT_SUBMITTED, Review.REJECTED):
            updated = updated.submitted(now)
        store.put(updated)
        return {"count": 1}


def submit_template(store: Store, template_id: str) -> dict[str, Any]:
    with store.transaction():
        current = template(store, template_id)
        if current.review not in (Review.NOT_SUBMITTED, Review.REJECTED):
            state = "pending review" if current.review is Review.PENDING else "approved"
            raise bad_request(codes.INVALID_PARAMETER, f"template is already {state}")
        now = store.clock()
        store.put(replace(current.submitted(now), updated=now))
        store.find(current.id)  # a review with no delay is decided now
        return {}


def delete_template(store: Store, template_id: str) -> dict[str, Any]:
    with store.transaction():
        current = template(store, template_id)
        _refuse_in_use(store, current)
        store.delete(current.id)
        return {"count": 1}


def _refuse_in_use(store: Store, current: Template) -> None:
    if store.used_by_schedule(current.id):
        raise bad_request(
            codes.INVALID_PARAMETER, "template is used by pending or running send plans"
        )


def _validated(store: Store, body: Mapping[str, Any], current: Template | None) -> dict[str, Any]:
    """The body's fields as the state's ``Template`` names them, checked in turn."""
    fields: dict[str, Any] = {}
    if "template_name" in body:
        fields["name"] = _name(store, body["template_name"], current)
    if "template_content" in body:
        fields["content"] = _content(body["template_content"])
    if "template_type" in body:
        kind = integer(body["template_type"], "template_type", codes.INVALID_PARAMETER)
        if kind not in _KINDS:
            raise bad_request(codes.INVALID_PARAMETER, "invalid template_type")
        fields["kind"] = _KINDS[kind]
    if "msg_type" in body and integer(body["msg_type"], "msg_type") != 2:
        raise bad_request(codes.INVALID_PARAMETER, "invalid msg_type: only 2 (international)")
    if body.get("sign_id") is not None:
        fields["signature_id"] = integer(body["sign_id"], "sign_id")
    if "sign_pos" in body:
        position = integer(body["sign_pos"], "sign_pos")
        if position not in (0, 1):
            raise bad_request(codes.INVALID_PARAMETER, "invalid sign_pos")
        fields["signature_position"] = Position.SUFFIX if position == 1 else Position.PREFIX
    if "submit" in body and not isinstance(body["submit"], bool):
        raise bad_request(codes.INVALID_PARAMETER, "invalid submit: must be a boolean")
    return fields


def _name(store: Store, name: Any, current: Template | None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise bad_request(codes.INVALID_PARAMETER, "invalid template_name")
    if len(name) > NAME_LIMIT:
        raise bad_request(codes.NAME_TOO_LONG, "Template name only supports 64 characters")
    if store.name_taken(name, current.id if current is not None else None):
        raise bad_request(codes.INVALID_PARAMETER, "template name already exists")
    return name


def _content(content: Any) -> str:
    if not isinstance(content, str) or not content:
        raise bad_request(codes.INVALID_PARAMETER, "invalid template_content")
    if len(content) > CONTENT_LIMIT:
        raise bad_request(codes.INVALID_PARAMETER, "Template content only supports 512 characters")
    forbidden = _FORBIDDEN.search(content)
    if forbidden:
        raise bad_request(
            codes.INVALID_PARAMETER, f"template content can not contain {forbidden.group(0)!r}"
        )
    return content


def _required(body: dict[str, Any]) -> dict[str, Any]:
    for required in ("template_name", "template_content", "template_type"):
        if required not in body:
            raise bad_request(codes.INVALID_PARAMETER, f"{required} is required")
    return body


def _paging(raw: str, name: str, minimum: int, maximum: int | None) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(codes.INVALID_PARAMETER, f"invalid {name}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise bad_request(codes.INVALID_PARAMETER, f"invalid {name}")
    return value


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request(codes.INVALID_PARAMETER, "the request body must be a JSON object")
    return body


# ----------------------------------------------------------- admin and seeds
def decide(store: Store, template_id: str, reject_message: str | None) -> dict[str, Any]:
    """Approve (``reject_message`` None) or reject, whatever the status."""
    with store.transaction():
        return {"result": to_api(store.decide(template(store, template_id), reject_message))}


def seed(store: Store, templates: Sequence[Mapping[str, Any]]) -> int:
    """Add templates in the list format of ``GET /v1/templates``, statuses kept."""
    with store.transaction():
        for item in templates:
            fields = _validated(store, _required(_object(item)), None)
            status = integer(item.get("approval_status", 1), "approval_status")
            review = next((r for r, code in _REVIEWS.items() if code == status), None)
            if review is None:
                raise bad_request(codes.INVALID_PARAMETER, "invalid approval_status")
            identifier = item.get("template_id")
            template_id = (
                integer(identifier, "template_id") if identifier is not None else store.next_id()
            )
            if store.find(template_id) is not None:
                raise bad_request(codes.INVALID_PARAMETER, f"template_id {template_id} exists")
            now = store.clock()
            store.put(
                Template(
                    template_id,
                    review=review,
                    review_message=str(item.get("approval_message") or ""),
                    created=now,
                    updated=now,
                    submitted_at=now if review is Review.PENDING else None,
                    **fields,
                )
            )
        return len(templates)


def seed_drafts(store: Store, drafts: Sequence[Draft]) -> int:
    """Add templates approved, checked by this API's rules as an add would be."""
    with store.transaction():
        for draft in drafts:
            _name(store, draft.name, None)
            _content(draft.content)
            store.put(replace(store.create(draft), review=Review.APPROVED))
        return len(drafts)


API = Api(
    key_pair="sms",
    auth_failed=codes.AUTH_FAILED,
    bad_json=codes.INVALID_PARAMETER,
    rate_limited=codes.SEND_FREQUENCY,
    routes=(
        Route("GET", "/v1/templates", lambda s, q, b, m: list_page(s, q)),
        Route("GET", "/v1/templates/{id}", lambda s, q, b, m: get_template(s, m[1])),
        Route("POST", "/v1/templates", lambda s, q, b, m: add_template(s, b)),
        Route("PUT", "/v1/templates/{id}", lambda s, q, b, m: modify_template(s, m[1], b)),
        Route("POST", "/v1/templates/{id}/submit", lambda s, q, b, m: submit_template(s, m[1])),
        Route("DELETE", "/v1/templates/{id}", lambda s, q, b, m: delete_template(s, m[1])),
    ),
)
