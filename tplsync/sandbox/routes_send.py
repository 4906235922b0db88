"""The SMS send API (``POST /v1/messages``) and the OTP API: fields, codes, rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tplsync.sandbox import errors as codes
from tplsync.sandbox.errors import bad_request
from tplsync.sandbox.routing import Api, Route
from tplsync.sandbox.state import Review, Store, Template, is_email, is_phone, render
from tplsync.words import plural

SCHEDULE_MIN, SCHEDULE_MAX = 180, 30 * 24 * 3600


def send_sms(store: Store, body: Any) -> dict[str, Any]:
    body = _send_object(body)
    targets = body.get("to")
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
        raise bad_request(codes.SEND_BAD_PARAMETER, "to must be a non-empty list of numbers")
    template_id, params = _template_reference(body, params_required=True)
    plan_name = body.get("plan_name", "-")
    if not isinstance(plan_name, str):
        raise bad_request(codes.SEND_BAD_PARAMETER, "plan_name must be a string")
    custom_args = body.get("custom_args", {})
    if not isinstance(custom_args, dict):
        raise bad_request(codes.SEND_BAD_PARAMETER, "custom_args must be an object")
    schedule = body.get("schedule_time")
    with store.transaction():
        now = store.clock()
        if schedule is not None:
            if isinstance(schedule, bool) or not isinstance(schedule, int):
                raise bad_request(codes.SEND_BAD_PARAMETER, "schedule_time must be an integer")
            if not now + SCHEDULE_MIN <= schedule <= now + SCHEDULE_MAX:
                raise bad_request(
                    codes.SEND_BUSINESS,
                    "schedule_time must be at least 3 minutes and at most 30 days ahead",
                )
        template = _approved(store, template_id)
        accepted = [t for t in targets if is_phone(t)]
        if not accepted:
            raise bad_request(codes.SEND_BUSINESS, "no valid target phone number")
        text = render(template.content, params)
        plan_id = store.serial()
        answer: dict[str, Any] = {
            "plan_id": plan_id,
            "total_count": len(targets),
            "accepted_count": len(accepted),
        }
        status = "sent" if schedule is None else "scheduled"
        if schedule is not None:
            task_id = int(store.serial())
            answer["schedule_info"] = {"task_id": task_id}
            store.schedule(task_id, template.id, schedule)
        message_ids = []
        for target in accepted:
            message_id = store.serial()
            message_ids.append(message_id)
            store.record(
                {
                    "api": "sms",
                    "message_id": message_id,
                    "plan_id": plan_id,
                    "to": target,
                    "template_id": template.id,
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
                message=plural(len(targets) - len(accepted), "invalid target"),
            )
        return answer


def send_otp(store: Store, body: Any) -> dict[str, Any]:
    body = _send_object(body)
    target = body.get("to")
    if not isinstance(target, str) or not (is_phone(target) or is_email(target)):
        raise bad_request(codes.SEND_BAD_PARAMETER, "to must be a phone number or an email")
    template_id, params = _template_reference(body)
    language = body["template"].get("language", "default")
    if not isinstance(language, str):
        raise bad_request(codes.SEND_BAD_PARAMETER, "template.language must be a string")
    with store.transaction():
        now = store.clock()
        template = store.find_otp(str(template_id))
        if template is None:
            raise bad_request(codes.SEND_NO_RESOURCE, "template does not exist")
        for message in store.sent_within(store.settings.otp_validity):
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
        message_id = store.serial()
        store.record(
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
        return {"message_id": message_id, "send_channel": channel}


def _approved(store: Store, template_id: Any) -> Template:
    """The template a send names, by id or by name; it must be approved."""
    template: Template | None
    if isinstance(template_id, str) and not re.fullmatch(r"[0-9]+", template_id):
        template = store.find_by_name(template_id)
    elif isinstance(template_id, int) and not isinstance(template_id, bool):
        template = store.find(template_id)
    else:
        template = store.find(int(template_id)) if isinstance(template_id, str) else None
    if template is None:
        raise bad_request(codes.SEND_NO_RESOURCE, "template does not exist")
    if template.review is not Review.APPROVED:
        raise bad_request(codes.SEND_BUSINESS, "template is not approved")
    return template


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


API = Api(
    key_pair="dev",
    auth_failed=(401, codes.SEND_AUTH_FAILED, "Authentication failed, incorrect token"),
    bad_json=codes.SEND_BAD_JSON,
    rate_limited=codes.SEND_FREQUENCY,
    routes=(
        Route("POST", "/v1/messages", lambda s, q, b, m: send_sms(s, b)),
        Route("POST", "/otp/v1/messages", lambda s, q, b, m: send_otp(s, b)),
    ),
)
