"""The emulated account: templates, review, sends, with the service's rules.

Every public method takes the decoded request (query or JSON body) and
returns the JSON answer, or raises :class:`ServiceError`. One lock makes the
store safe under the server's threads. Review is resolved lazily from the
clock (a submitted template is approved or rejected ``review_delay``
seconds after submission, when next read), so no background thread is
needed and the outcome does not depend on timing.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tplsync.files import write_atomic
from tplsync.sandbox import errors as codes
from tplsync.sandbox.errors import ServiceError, bad_request

PENDING, APPROVED, REJECTED, NOT_SUBMITTED = 0, 1, -1, -2
NAME_LIMIT, CONTENT_LIMIT = 64, 512
SCHEDULE_MIN, SCHEDULE_MAX = 180, 30 * 24 * 3600
SERVICE_TIME = timezone(timedelta(hours=8))
_FORBIDDEN = re.compile(r"[\[\]【】]|测试|(?<![A-Za-z0-9_])test(?![A-Za-z0-9_])", re.IGNORECASE)
_VARIABLE = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class StoredTemplate:
    template_id: int
    template_name: str
    template_type: int
    template_content: str
    msg_type: int = 2
    sign_id: int | None = None
    sign_pos: int = 0
    approval_status: int = NOT_SUBMITTED
    approval_message: str = ""
    create_time: float = 0.0
    update_time: float = 0.0
    submitted_at: float | None = None

    def to_api(self, with_sign_id: bool = True) -> dict[str, Any]:
        """The fields the page's response tables list: never ``sign_pos``, and
        no ``sign_id`` in the single-template answer."""
        answer: dict[str, Any] = {
            "template_id": self.template_id,
            "template_name": self.template_name,
            "msg_type": self.msg_type,
            "template_type": self.template_type,
            "template_content": self.template_content,
            "approval_status": self.approval_status,
            "approval_message": self.approval_message,
            "create_time": _service_time(self.create_time),
            "update_time": _service_time(self.update_time),
        }
        if with_sign_id:
            answer["sign_id"] = self.sign_id
        return answer


@dataclass(frozen=True)
class OtpTemplate:
    """An OTP template: an object of the OTP service with its own string id,
    apart from the SMS templates (added through the admin endpoint)."""

    id: str
    content: str


@dataclass(frozen=True)
class ReviewRule:
    """Submitted content matching ``pattern`` is rejected with ``message``."""

    pattern: str
    message: str


@dataclass
class Settings:
    review_delay: float = 5.0
    reject: Sequence[ReviewRule] = ()
    otp_validity: float = 60.0


@dataclass
class _State:
    templates: dict[int, StoredTemplate] = field(default_factory=dict)
    otp_templates: dict[str, OtpTemplate] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    scheduled: list[dict[str, Any]] = field(default_factory=list)
    next_template_id: int = 1001
    next_serial: int = 1


def _service_time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, SERVICE_TIME).strftime("%Y-%m-%dT%H:%M:%S%z")


def _integer(value: Any, field_name: str, code: int = codes.INVALID_PARAMETER) -> int:
    """An int given as a JSON number or a decimal string (the pages use both)."""
    if isinstance(value, bool):
        raise bad_request(code, f"invalid {field_name}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    raise bad_request(code, f"invalid {field_name}")


class Store:
    def __init__(
        self,
        settings: Settings | None = None,
        path: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings or Settings()
        self.path = path
        self.clock = clock
        self._lock = threading.RLock()
        self._state = _State()
        self._dirty = False
        if path is not None and path.exists():
            self._load(path)

    # ----------------------------------------------------------- persistence
    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self._state = _State(
                templates={t["template_id"]: StoredTemplate(**t) for t in data["templates"]},
                otp_templates={t["id"]: OtpTemplate(**t) for t in data.get("otp_templates", [])},
                messages=data["messages"],
                scheduled=data["scheduled"],
                next_template_id=data["next_template_id"],
                next_serial=data["next_serial"],
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: not a sandbox state file ({error})") from None

    def flush(self) -> None:
        """Write the state file (atomically) if anything changed."""
        with self._lock:
            if self.path is None or not self._dirty:
                return
            state = self._state
            text = json.dumps(
                {
                    "templates": [asdict(t) for t in state.templates.values()],
                    "otp_templates": [asdict(t) for t in state.otp_templates.values()],
                    "messages": state.messages,
                    "scheduled": state.scheduled,
                    "next_template_id": state.next_template_id,
                    "next_serial": state.next_serial,
                },
                ensure_ascii=False,
            )
            self._dirty = False
        write_atomic(self.path, text)

    def _changed(self) -> None:
        self._dirty = True

    def _serial(self) -> str:
        """A service-like 19-digit id for plans, messages and tasks."""
        self._state.next_serial += 1
        return str(1972484198153367552 + self._state.next_serial)

    # ---------------------------------------------------------------- review
    def _reviewed(self, template: StoredTemplate) -> StoredTemplate:
        """Resolve a pending review whose delay has passed."""
        if template.approval_status != PENDING or template.submitted_at is None:
            return template
        if self.clock() < template.submitted_at + self.settings.review_delay:
            return template
        return self._decide(template, None)

    def _decide(self, template: StoredTemplate, reject_message: str | None) -> StoredTemplate:
        if reject_message is None:
            for rule in self.settings.reject:
                if re.search(rule.pattern, template.template_content):
                    reject_message = rule.message
                    break
        status = APPROVED if reject_message is None else REJECTED
        decided = replace(template, approval_status=status, approval_message=reject_message or "")
        self._state.templates[template.template_id] = decided
        self._changed()
        return decided

    def _template(self, template_id: Any) -> StoredTemplate:
        identifier = _integer(template_id, "template_id", codes.TEMPLATE_MISSING)
        template = self._state.templates.get(identifier)
        if template is None:
            raise bad_request(codes.TEMPLATE_MISSING, "The template does not exist")
        return self._reviewed(template)

    # ------------------------------------------------------------- templates
    def list_templates(self, query: Mapping[str, str]) -> dict[str, Any]:
        offset = _paging(query.get("offset", "0"), "offset", 0, None)
        limit = _paging(query.get("limit", "100"), "limit", 0, 100)
        with self._lock:
            found = [self._reviewed(t) for t in self._state.templates.values()]
        if query.get("template_ids"):
            wanted = {part.strip() for part in query["template_ids"].split(",") if part.strip()}
            found = [t for t in found if str(t.template_id) in wanted]
        if query.get("approval_status", "") != "":
            status = _integer(query["approval_status"], "approval_status")
            found = [t for t in found if t.approval_status == status]
        if query.get("template_name"):
            needle = query["template_name"].casefold()
            found = [t for t in found if needle in t.template_name.casefold()]
        found.sort(key=lambda t: t.template_id)
        page = found[offset : offset + limit]
        return {"result": [t.to_api() for t in page], "count": len(page), "total": len(found)}

    def get_template(self, template_id: str) -> dict[str, Any]:
        with self._lock:
            return {"result": self._template(template_id).to_api(with_sign_id=False)}

    def add_template(self, body: Any) -> dict[str, Any]:
        body = _object(body)
        for required in ("template_name", "template_content", "template_type"):
            if required not in body:
                raise bad_request(codes.INVALID_PARAMETER, f"{required} is required")
        with self._lock:
            fields = self._validated(body, None)
            now = self.clock()
            template = StoredTemplate(
                template_id=self._state.next_template_id,
                create_time=now,
                update_time=now,
                **fields,
            )
            self._state.next_template_id += 1
            if body.get("submit") is True:
                template = replace(template, approval_status=PENDING, submitted_at=now)
            self._state.templates[template.template_id] = template
            self._changed()
            return {"result": self._reviewed(template).to_api()}

    def modify_template(self, template_id: str, body: Any) -> dict[str, Any]:
        body = _object(body)
        with self._lock:
            template = self._template(template_id)
            if template.approval_status == PENDING:
                raise bad_request(codes.INVALID_PARAMETER, "can not update pending status template")
            self._refuse_in_use(template)
            fields = self._validated(body, template)
            changed = {k: v for k, v in fields.items() if getattr(template, k) != v}
            now = self.clock()
            updated = replace(template, **changed, update_time=now) if changed else template
            if set(changed) - {"template_name"}:
                updated = replace(
                    updated, approval_status=NOT_SUBMITTED, approval_message="", submitted_at=None
                )
            if body.get("submit") is True and updated.approval_status in (NOT_SUBMITTED, REJECTED):
                updated = replace(
                    updated, approval_status=PENDING, approval_message="", submitted_at=now
                )
            self._state.templates[template.template_id] = updated
            self._changed()
            return {"count": 1}

    def submit_template(self, template_id: str) -> dict[str, Any]:
        with self._lock:
            template = self._template(template_id)
            if template.approval_status not in (NOT_SUBMITTED, REJECTED):
                state = "pending review" if template.approval_status == PENDING else "approved"
                raise bad_request(codes.INVALID_PARAMETER, f"template is already {state}")
            now = self.clock()
            submitted = replace(
                template,
                approval_status=PENDING,
                approval_message="",
                submitted_at=now,
                update_time=now,
            )
            self._state.templates[template.template_id] = submitted
            self._reviewed(submitted)
            self._changed()
            return {}

    def delete_template(self, template_id: str) -> dict[str, Any]:
        with self._lock:
            template = self._template(template_id)
            self._refuse_in_use(template)
            del self._state.templates[template.template_id]
            self._changed()
            return {"count": 1}

    def _refuse_in_use(self, template: StoredTemplate) -> None:
        now = self.clock()
        if any(
            plan["template_id"] == template.template_id and plan["schedule_time"] > now
            for plan in self._state.scheduled
        ):
            raise bad_request(
                codes.INVALID_PARAMETER, "template is used by pending or running send plans"
            )

    def _validated(self, body: Mapping[str, Any], current: StoredTemplate | None) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "template_name" in body:
            name = body["template_name"]
            if not isinstance(name, str) or not name.strip():
                raise bad_request(codes.INVALID_PARAMETER, "invalid template_name")
            if len(name) > NAME_LIMIT:
                raise bad_request(codes.NAME_TOO_LONG, "Template name only supports 64 characters")
            own_id = current.template_id if current is not None else None
            if any(
                t.template_name == name and t.template_id != own_id
                for t in self._state.templates.values()
            ):
                raise bad_request(codes.INVALID_PARAMETER, "template name already exists")
            fields["template_name"] = name
        if "template_content" in body:
            content = body["template_content"]
            if not isinstance(content, str) or not content:
                raise bad_request(codes.INVALID_PARAMETER, "invalid template_content")
            if len(content) > CONTENT_LIMIT:
                raise bad_request(
                    codes.INVALID_PARAMETER, "Template content only supports 512 characters"
                )
            forbidden = _FORBIDDEN.search(content)
            if forbidden:
                raise bad_request(
                    codes.INVALID_PARAMETER,
                    f"template content can not contain {forbidden.group(0)!r}",
                )
            fields["template_content"] = content
        if "template_type" in body:
            kind = _integer(body["template_type"], "template_type", codes.INVALID_PARAMETER)
            if kind not in (0, 1, 2):
                raise bad_request(codes.INVALID_PARAMETER, "invalid template_type")
            fields["template_type"] = kind
        if "msg_type" in body and _integer(body["msg_type"], "msg_type") != 2:
            raise bad_request(codes.INVALID_PARAMETER, "invalid msg_type: only 2 (international)")
        if body.get("sign_id") is not None:
            fields["sign_id"] = _integer(body["sign_id"], "sign_id")
        if "sign_pos" in body:
            position = _integer(body["sign_pos"], "sign_pos")
            if position not in (0, 1):
                raise bad_request(codes.INVALID_PARAMETER, "invalid sign_pos")
            fields["sign_pos"] = position
        if "submit" in body and not isinstance(body["submit"], bool):
            raise bad_request(codes.INVALID_PARAMETER, "invalid submit: must be a boolean")
        return fields

    # ----------------------------------------------------------------- sends
    def send_sms(self, body: Any) -> dict[str, Any]:
        body = _send_object(body)
        targets = body.get("to")
        if isinstance(targets, str):
            targets = [targets]
        if (
            not isinstance(targets, list)
            or not targets
            or not all(isinstance(t, str) for t in targets)
        ):
            raise bad_request(codes.SEND_BAD_PARAMETER, "to must be a non-empty list of numbers")
        template_id, params = _template_reference(body, params_required=True)
        plan_name = body.get("plan_name", "-")
        if not isinstance(plan_name, str):
            raise bad_request(codes.SEND_BAD_PARAMETER, "plan_name must be a string")
        custom_args = body.get("custom_args", {})
        if not isinstance(custom_args, dict):
            raise bad_request(codes.SEND_BAD_PARAMETER, "custom_args must be an object")
        schedule = body.get("schedule_time")
        with self._lock:
            now = self.clock()
            if schedule is not None:
                if isinstance(schedule, bool) or not isinstance(schedule, int):
                    raise bad_request(codes.SEND_BAD_PARAMETER, "schedule_time must be an integer")
                if not now + SCHEDULE_MIN <= schedule <= now + SCHEDULE_MAX:
                    raise bad_request(
                        codes.SEND_BUSINESS,
                        "schedule_time must be at least 3 minutes and at most 30 days ahead",
                    )
            template = self._approved(template_id)
            accepted = [t for t in targets if _PHONE.match(t)]
            if not accepted:
                raise bad_request(codes.SEND_BUSINESS, "no valid target phone number")
            text = render(template.template_content, params)
            plan_id = self._serial()
            answer: dict[str, Any] = {
                "plan_id": plan_id,
                "total_count": len(targets),
                "accepted_count": len(accepted),
            }
            status = "sent" if schedule is None else "scheduled"
            if schedule is not None:
                task_id = int(self._serial())
                answer["schedule_info"] = {"task_id": task_id}
                self._state.scheduled.append(
                    {
                        "task_id": task_id,
                        "template_id": template.template_id,
                        "schedule_time": schedule,
                    }
                )
            message_ids = []
            for target in accepted:
                message_id = self._serial()
                message_ids.append(message_id)
                self._state.messages.append(
                    {
                        "api": "sms",
                        "message_id": message_id,
                        "plan_id": plan_id,
                        "to": target,
                        "template_id": template.template_id,
                        "params": params,
                        "text": text,
                        "plan_name": plan_name,
                        "custom_args": custom_args,
                        "status": status,
                        "schedule_time": schedule,
                        "time": now,
                    }
                )
            if len(targets) == 1 and schedule is None:
                answer["message_id"] = message_ids[0]
            if len(accepted) < len(targets):
                # As the service does for a partly refused send: HTTP 200 with a code.
                answer.update(
                    code=codes.SEND_BUSINESS,
                    message=f"{len(targets) - len(accepted)} invalid target(s)",
                )
            self._changed()
            return answer

    def send_otp(self, body: Any) -> dict[str, Any]:
        body = _send_object(body)
        target = body.get("to")
        if not isinstance(target, str) or not (_PHONE.match(target) or _EMAIL.match(target)):
            raise bad_request(codes.SEND_BAD_PARAMETER, "to must be a phone number or an email")
        template_id, params = _template_reference(body)
        language = body["template"].get("language", "default")
        if not isinstance(language, str):
            raise bad_request(codes.SEND_BAD_PARAMETER, "template.language must be a string")
        with self._lock:
            now = self.clock()
            template = self._state.otp_templates.get(str(template_id))
            if template is None:
                raise bad_request(codes.SEND_NO_RESOURCE, "template does not exist")
            for message in reversed(self._state.messages):
                if now - message["time"] >= self.settings.otp_validity:
                    break
                if (
                    message["api"] == "otp"
                    and message["to"] == target
                    and message["template_id"] == template.id
                ):
                    raise bad_request(
                        codes.SEND_FREQUENCY,
                        "exceeded frequency limit: the code sent to this target is still valid",
                    )
            channel = "email" if "@" in target else "sms"
            message_id = self._serial()
            self._state.messages.append(
                {
                    "api": "otp",
                    "message_id": message_id,
                    "to": target,
                    "template_id": template.id,
                    "language": language,
                    "params": params,
                    "text": render(template.content, params),
                    "channel": channel,
                    "status": "sent",
                    "time": now,
                }
            )
            self._changed()
            return {"message_id": message_id, "send_channel": channel}

    def _approved(self, template_id: Any) -> StoredTemplate:
        if isinstance(template_id, str) and not re.fullmatch(r"[0-9]+", template_id):
            matches = [t for t in self._state.templates.values() if t.template_name == template_id]
            if not matches:
                raise bad_request(codes.SEND_NO_RESOURCE, "template does not exist")
            template = self._reviewed(matches[0])
        else:
            try:
                template = self._template(template_id)
            except ServiceError:
                raise bad_request(codes.SEND_NO_RESOURCE, "template does not exist") from None
        if template.approval_status != APPROVED:
            raise bad_request(codes.SEND_BUSINESS, "template is not approved")
        return template

    # ----------------------------------------------------------------- admin
    def decide(self, template_id: str, reject_message: str | None) -> dict[str, Any]:
        """Approve (``reject_message`` None) or reject, whatever the status."""
        with self._lock:
            template = self._template(template_id)
            return {"result": self._decide(template, reject_message).to_api()}

    def reset(self) -> None:
        with self._lock:
            self._state = _State()
            self._changed()

    def seed(self, templates: Sequence[Mapping[str, Any]]) -> int:
        """Add templates in the list format of ``GET /v1/templates``."""
        with self._lock:
            for item in templates:
                fields = self._validated(item, None)
                status = _integer(item.get("approval_status", APPROVED), "approval_status")
                now = self.clock()
                identifier = item.get("template_id")
                template_id = (
                    _integer(identifier, "template_id")
                    if identifier is not None
                    else self._state.next_template_id
                )
                if template_id in self._state.templates:
                    raise bad_request(codes.INVALID_PARAMETER, f"template_id {template_id} exists")
                self._state.templates[template_id] = StoredTemplate(
                    template_id=template_id,
                    approval_status=status,
                    approval_message=str(item.get("approval_message") or ""),
                    create_time=now,
                    update_time=now,
                    submitted_at=now if status == PENDING else None,
                    **fields,
                )
                self._state.next_template_id = max(self._state.next_template_id, template_id + 1)
            self._changed()
            return len(templates)

    def add_otp_templates(self, templates: Sequence[Any]) -> int:
        """Add OTP templates: ``{"id": "login-code", "content": "Code {{code}}"}``."""
        with self._lock:
            for item in templates:
                if not isinstance(item, dict) or set(item) != {"id", "content"}:
                    raise ValueError('an OTP template is {"id": "...", "content": "..."}')
                identifier, content = item["id"], item["content"]
                if (
                    not isinstance(identifier, str)
                    or not identifier
                    or not isinstance(content, str)
                ):
                    raise ValueError("an OTP template's id and content are non-empty strings")
                if identifier in self._state.otp_templates:
                    raise ValueError(f"OTP template {identifier!r} exists")
                self._state.otp_templates[identifier] = OtpTemplate(identifier, content)
            self._changed()
            return len(templates)

    def messages(self) -> dict[str, Any]:
        with self._lock:
            return {"messages": list(self._state.messages)}


def render(content: str, params: Mapping[str, Any]) -> str:
    """As the send APIs do: ``{{var}}`` takes its param; without one it stays."""

    def substitute(match: re.Match[str]) -> str:
        value = params.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return _VARIABLE.sub(substitute, content)


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


def _send_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request(codes.SEND_BAD_JSON, "the request body must be a JSON object")
    return body


def _template_reference(
    body: Mapping[str, Any], params_required: bool = False
) -> tuple[Any, dict[str, Any]]:
    template = body.get("template")
    if not isinstance(template, dict) or template.get("id") in (None, ""):
        raise bad_request(codes.SEND_BAD_PARAMETER, "template.id is required")
    if params_required and "params" not in template:
        raise bad_request(codes.SEND_BAD_PARAMETER, "template.params is required")
    params = template.get("params", {})
    if not isinstance(params, dict):
        raise bad_request(codes.SEND_BAD_PARAMETER, "template.params must be an object")
    return template["id"], params
