"""SMS and OTP sends: fields, validation, error codes, recorded messages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.sandbox import SEND_AUTH, Api, Clock


@pytest.fixture
def approved(api: Api) -> int:
    template = api.add("order", "Hi {{name}}, order {{order}} shipped.")
    api.admin("POST", f"templates/{template['template_id']}/approve")
    return int(template["template_id"])


def send(api: Api, body: Any, path: str = "/v1/messages") -> tuple[int, dict[str, Any]]:
    response = api.call("POST", path, auth=SEND_AUTH, json=body)
    return response.status_code, response.json()


def test_single_send_renders_and_records(api: Api, approved: int) -> None:
    status, answer = send(
        api, {"to": ["+8613800138000"], "template": {"id": approved, "params": {"name": "Bob"}}}
    )
    assert status == 200
    assert set(answer) == {"plan_id", "total_count", "accepted_count", "message_id"}
    assert (answer["total_count"], answer["accepted_count"]) == (1, 1)
    assert len(answer["plan_id"]) == 19
    [message] = api.admin("GET", "messages")["messages"]
    assert message["text"] == "Hi Bob, order {{order}} shipped."
    assert (message["to"], message["message_id"], message["plan_name"]) == (
        "+8613800138000",
        answer["message_id"],
        "-",
    )


def test_multiple_targets_and_string_ids(api: Api, approved: int) -> None:
    status, answer = send(
        api,
        {
            "to": ["8613800138000", "8613800138001"],
            "plan_name": "smoke",
            "template": {"id": str(approved), "params": {}},
            "custom_args": {"k": "v"},
        },
    )
    assert status == 200
    assert "message_id" not in answer
    assert answer["accepted_count"] == 2
    assert len(api.admin("GET", "messages")["messages"]) == 2


def test_partly_invalid_targets_answer_200_with_a_code(api: Api, approved: int) -> None:
    status, answer = send(
        api,
        {"to": ["8613800138000", "not-a-number"], "template": {"id": approved, "params": {}}},
    )
    assert status == 200
    assert (answer["code"], answer["total_count"], answer["accepted_count"]) == (3003, 2, 1)


def test_scheduled_send_window_and_task(api: Api, approved: int, clock: Clock) -> None:
    base = {"to": ["8613800138000"], "template": {"id": approved, "params": {}}}
    for offset in (179, 30 * 24 * 3600 + 1):
        status, answer = send(api, {**base, "schedule_time": int(clock.now) + offset})
        assert (status, answer["code"]) == (400, 3003)
    assert send(api, {**base, "schedule_time": "soon"})[1]["code"] == 3002
    status, answer = send(api, {**base, "schedule_time": int(clock.now) + 600})
    assert status == 200
    assert set(answer) == {"plan_id", "total_count", "accepted_count", "schedule_info"}
    assert isinstance(answer["schedule_info"]["task_id"], int)
    in_use = api.call("DELETE", f"/v1/templates/{approved}").json()
    assert (in_use["code"], in_use["message"]) == (
        30002,
        "template is used by pending or running send plans",
    )
    clock.now += 601
    assert api.call("DELETE", f"/v1/templates/{approved}").status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"to": [], "template": {"id": 1001, "params": {}}}, 400, 3002),
        ({"to": "8613800138000", "template": {}}, 400, 3002),
        ({"to": ["8613800138000"], "template": {"id": 1001}}, 400, 3002),
        ({"to": ["8613800138000"], "template": {"id": 1001, "params": [1]}}, 400, 3002),
        ({"to": ["8613800138000"], "template": {"id": 999, "params": {}}}, 400, 4001),
        ({"to": ["8613800138000"], "template": {"id": "nope", "params": {}}}, 400, 4001),
        ({"to": ["8613800138000"], "template": {"id": 1002, "params": {}}}, 400, 3003),
        ({"to": ["abc"], "template": {"id": 1001, "params": {}}}, 400, 3003),
        ([1], 400, 3001),
    ],
)
def test_sms_send_errors(api: Api, approved: int, body: Any, status: int, code: int) -> None:
    api.add("draft")  # 1002, never approved
    assert send(api, body)[:1] == (status,)
    assert send(api, body)[1]["code"] == code
    assert api.admin("GET", "messages")["messages"] == []


def test_invalid_json_is_3001(api: Api) -> None:
    response = api.call(
        "POST",
        "/v1/messages",
        auth=SEND_AUTH,
        data=b"{",
        headers={"Content-Type": "application/json"},
    )
    assert (response.status_code, response.json()["code"]) == (400, 3001)


@pytest.fixture
def otp_template(api: Api) -> str:
    templates = [{"id": "login-code", "content": "Hi {{name}}, your code is {{code}}."}]
    assert api.admin("POST", "otp-templates", json={"templates": templates}) == {"added": 1}
    return "login-code"


def test_otp_send_channels_and_frequency_limit(api: Api, otp_template: str, clock: Clock) -> None:
    body = {"to": "+8613800138000", "template": {"id": otp_template, "params": {"name": "A"}}}
    status, answer = send(api, body, "/otp/v1/messages")
    assert (status, answer["send_channel"]) == (200, "sms")
    assert set(answer) == {"message_id", "send_channel"}
    status, again = send(api, body, "/otp/v1/messages")
    assert (status, again["code"]) == (400, 3004)
    other = {"to": "ops@acme.example", "template": {"id": otp_template, "language": "en"}}
    assert send(api, other, "/otp/v1/messages")[1]["send_channel"] == "email"
    clock.now += 60
    assert send(api, body, "/otp/v1/messages")[0] == 200
    otp = [m for m in api.admin("GET", "messages")["messages"] if m["api"] == "otp"]
    assert [m["language"] for m in otp] == ["default", "en", "default"]
    assert otp[0]["text"] == "Hi A, your code is {{code}}."


def test_otp_templates_are_not_sms_templates(api: Api, approved: int, otp_template: str) -> None:
    by_sms_id = {"to": "+8613800138000", "template": {"id": str(approved)}}
    assert send(api, by_sms_id, "/otp/v1/messages") == (
        400,
        {"code": 4001, "message": "template does not exist"},
    )
    by_sms_name = {"to": "+8613800138000", "template": {"id": "order"}}
    assert send(api, by_sms_name, "/otp/v1/messages")[1]["code"] == 4001
    sms_by_otp_id = {"to": ["8613800138000"], "template": {"id": otp_template, "params": {}}}
    assert send(api, sms_by_otp_id)[1]["code"] == 4001
    assert api.call("GET", "/v1/templates").json()["total"] == 1
    duplicate = api.session.post(
        api.url + "/_sandbox/otp-templates",
        json={"templates": [{"id": otp_template, "content": "x"}]},
        timeout=10,
    )
    assert duplicate.status_code == 400


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"to": "x", "template": {"id": "login-code"}}, 3002),
        ({"to": "+8613800138000", "template": {"id": "login-code", "language": 5}}, 3002),
        ({"to": "+8613800138000", "template": {"id": "77"}}, 4001),
    ],
)
def test_otp_errors(api: Api, otp_template: str, body: Any, code: int) -> None:
    assert send(api, body, "/otp/v1/messages")[1]["code"] == code
