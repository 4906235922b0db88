"""Every template endpoint and its documented error codes (30002, with a
message of its own, where the page is silent)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.sandbox import Api, Clock


def error(response: Any) -> tuple[int, int]:
    return response.status_code, response.json()["code"]


def refusal(response: Any) -> tuple[int, int, str]:
    return response.status_code, response.json()["code"], response.json()["message"]


def test_add_answers_the_template_with_service_fields(api: Api) -> None:
    created = api.add("order-shipped", "Hi {{name}}", "1", sign_id=1235, sign_pos="1")
    assert created["template_id"] == 1001
    assert created["template_name"] == "order-shipped"
    assert (created["template_type"], created["msg_type"]) == (1, 2)
    assert created["sign_id"] == 1235
    assert "sign_pos" not in created
    assert created["approval_status"] == -2
    assert created["create_time"].endswith("+0800")
    alone = {key: value for key, value in created.items() if key != "sign_id"}
    assert api.template(1001) == alone  # the single-template answer lists no sign_id
    assert api.template("1001") == alone  # ids as strings too


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"template_name": "n" * 65}, 33006, "Template name only supports 64 characters"),
        ({"template_name": "taken"}, 30002, "template name already exists"),
        ({"template_content": "x" * 513}, 30002, "Template content only supports 512 characters"),
        ({"template_content": "Order [1]"}, 30002, "template content can not contain '['"),
        ({"template_content": "【Acme】 hi"}, 30002, "template content can not contain '【'"),
        ({"template_content": "a TEST message"}, 30002, "template content can not contain 'TEST'"),
        ({"template_content": "这是测试"}, 30002, "template content can not contain '测试'"),
        ({"template_type": "3"}, 30002, "invalid template_type"),
        ({"template_type": "verification"}, 30002, "invalid template_type"),
        ({"submit": "yes"}, 30002, "invalid submit: must be a boolean"),
        ({"msg_type": "1"}, 30002, "invalid msg_type: only 2 (international)"),
        ({"sign_pos": "2"}, 30002, "invalid sign_pos"),
        ({"template_name": ""}, 30002, "invalid template_name"),
    ],
)
def test_add_validation(api: Api, body: dict[str, Any], code: int, message: str) -> None:
    api.add("taken")
    full = {"template_name": "new", "template_content": "Hi", "template_type": "1", **body}
    assert refusal(api.call("POST", "/v1/templates", json=full)) == (400, code, message)
    assert api.call("GET", "/v1/templates").json()["total"] == 1


def test_add_accepts_limits_and_words_inside_words(api: Api) -> None:
    api.add("n" * 64, "x" * 512, 0)
    api.add("latest", "Our latest offers and contests", "2")
    assert api.call("GET", "/v1/templates").json()["total"] == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "the request body is not valid JSON"),
        (b"[1, 2]", "the request body must be a JSON object"),
        (b'{"template_name": "x"}', "template_content is required"),
    ],
)
def test_add_with_a_broken_body(api: Api, data: bytes, message: str) -> None:
    response = api.call(
        "POST", "/v1/templates", data=data, headers={"Content-Type": "application/json"}
    )
    assert refusal(response) == (400, 30002, message)


def test_list_pages_filters_and_limits(api: Api) -> None:
    for index in range(7):
        api.add(f"promo-{index}" if index % 2 else f"Notice-{index}")
    page = api.call("GET", "/v1/templates", params={"offset": 2, "limit": 3}).json()
    assert [t["template_id"] for t in page["result"]] == [1003, 1004, 1005]
    assert (page["count"], page["total"]) == (3, 7)
    assert api.call("GET", "/v1/templates", params={"limit": 0}).json() == {
        "result": [],
        "count": 0,
        "total": 7,
    }
    names = api.call("GET", "/v1/templates", params={"template_name": "NOTICE"}).json()
    assert [t["template_name"] for t in names["result"]] == [
        "Notice-0",
        "Notice-2",
        "Notice-4",
        "Notice-6",
    ]
    ids = api.call("GET", "/v1/templates", params={"template_ids": "1002, 1007,99"}).json()
    assert [t["template_id"] for t in ids["result"]] == [1002, 1007]
    api.call("POST", "/v1/templates/1003/submit")
    pending = api.call("GET", "/v1/templates", params={"approval_status": "0"}).json()
    assert [t["template_id"] for t in pending["result"]] == [1003]
    for bad in ({"limit": 101}, {"limit": -1}, {"limit": "ten"}, {"offset": -1}):
        response = api.call("GET", "/v1/templates", params=bad)
        assert error(response) == (400, 30002)
    assert api.call("GET", "/v1/templates", params={"limit": 101}).json()["message"] == (
        "invalid limit"
    )


def test_get_missing(api: Api) -> None:
    assert error(api.call("GET", "/v1/templates/42")) == (400, 33001)
    assert error(api.call("GET", "/v1/templates/abc")) == (400, 33001)
    assert api.call("GET", "/v1/templates/42").json()["message"] == "The template does not exist"


def test_modify_name_only_keeps_approval_anything_else_resets_it(api: Api) -> None:
    template = api.add("welcome")
    api.admin("POST", f"templates/{template['template_id']}/approve")
    response = api.call("PUT", "/v1/templates/1001", json={"template_name": "hello"})
    assert (response.status_code, response.json()) == (200, {"count": 1})
    assert (api.template(1001)["template_name"], api.template(1001)["approval_status"]) == (
        "hello",
        1,
    )
    api.call("PUT", "/v1/templates/1001", json={"template_content": "Hi {{name}}"})  # unchanged
    assert api.template(1001)["approval_status"] == 1
    api.call("PUT", "/v1/templates/1001", json={"template_content": "Hello {{name}}"})
    assert api.template(1001)["approval_status"] == -2
    api.call("PUT", "/v1/templates/1001", json={"template_type": 2, "submit": True})
    assert api.template(1001)["approval_status"] == 0


def test_modify_refusals(api: Api) -> None:
    api.add("a")
    api.add("b", submit=True)
    taken = api.call("PUT", "/v1/templates/1001", json={"template_name": "b"})
    assert refusal(taken) == (400, 30002, "template name already exists")
    pending = api.call("PUT", "/v1/templates/1002", json={"template_content": "x"})
    assert refusal(pending) == (400, 30002, "can not update pending status template")
    assert error(api.call("PUT", "/v1/templates/9", json={})) == (400, 33001)
    forbidden = api.call("PUT", "/v1/templates/1001", json={"template_content": "test"})
    assert refusal(forbidden) == (400, 30002, "template content can not contain 'test'")


def test_submit_and_review(api: Api, clock: Clock) -> None:
    api.add("a")
    api.add("b", "Win at the casino")
    assert api.call("POST", "/v1/templates/1001/submit").json() == {}
    api.call("POST", "/v1/templates/1002/submit")
    assert api.template(1001)["approval_status"] == 0
    again = api.call("POST", "/v1/templates/1001/submit")
    assert refusal(again) == (400, 30002, "template is already pending review")
    clock.now += 10
    assert api.template(1001)["approval_status"] == 1
    rejected = api.template(1002)
    assert (rejected["approval_status"], rejected["approval_message"]) == (-1, "gambling content")
    approved = api.call("POST", "/v1/templates/1001/submit")
    assert refusal(approved) == (400, 30002, "template is already approved")
    api.call("PUT", "/v1/templates/1002", json={"template_content": "Visit our shop"})
    assert api.call("POST", "/v1/templates/1002/submit").status_code == 200
    clock.now += 10
    assert api.template(1002)["approval_status"] == 1


def test_a_list_answer_follows_every_change_and_a_review_the_clock_settles(
    api: Api, clock: Clock
) -> None:
    def listed() -> list[tuple[str, int]]:
        page = api.call("GET", "/v1/templates", params={"limit": 10}).json()["result"]
        return [(t["template_name"], t["approval_status"]) for t in page]

    api.add("a")
    assert listed() == listed() == [("a", -2)]
    api.add("b", submit=True)
    assert listed() == listed() == [("a", -2), ("b", 0)]
    clock.now += 10  # no request in between: only the clock moved
    assert listed() == [("a", -2), ("b", 1)]
    api.call("DELETE", "/v1/templates/1001")
    assert listed() == [("b", 1)]
    api.admin("POST", "templates/1002/reject", json={"message": "wording"})
    assert listed() == [("b", -1)]


def test_admin_approve_and_reject(api: Api) -> None:
    api.add("a", submit=True)
    api.admin("POST", "templates/1001/reject", json={"message": "wording"})
    assert (api.template(1001)["approval_status"], api.template(1001)["approval_message"]) == (
        -1,
        "wording",
    )
    api.admin("POST", "templates/1001/approve")
    assert api.template(1001)["approval_status"] == 1


def test_delete(api: Api) -> None:
    api.add("a")
    assert api.call("DELETE", "/v1/templates/1001").json() == {"count": 1}
    assert error(api.call("GET", "/v1/templates/1001")) == (400, 33001)
    assert error(api.call("DELETE", "/v1/templates/1001")) == (400, 33001)


def test_authentication_uses_the_right_key_pair_per_api(api: Api) -> None:
    for auth in [("sandbox-user", "wrong"), ("sandbox-dev-key", "sandbox-dev-secret")]:
        response = api.call("GET", "/v1/templates", auth=auth)
        assert (response.status_code, response.json()) == (
            401,
            {"code": 30000, "message": "Authentication failed"},
        )
    assert api.session.get(api.url + "/v1/templates").status_code == 401
    send = api.call("POST", "/v1/messages", json={}, auth=("sandbox-user", "sandbox-key"))
    assert error(send) == (401, 2001)


def test_unknown_routes_answer_json_and_are_counted(api: Api) -> None:
    assert error(api.call("GET", "/v2/things")) == (404, 4001)
    assert error(api.call("PATCH", "/v1/templates/1")) == (404, 4001)
    assert api.counts() == {"GET (unknown)": 1, "PATCH (unknown)": 1}


def test_a_name_is_free_again_once_renamed_or_deleted_and_taken_once_seeded(api: Api) -> None:
    api.add("a")
    api.add("b")
    assert api.call("PUT", "/v1/templates/1001", json={"template_name": "c"}).status_code == 200
    assert api.add("a")["template_id"] == 1003
    api.call("DELETE", "/v1/templates/1002")
    assert api.add("b")["template_id"] == 1004
    assert refusal(api.call("PUT", "/v1/templates/1003", json={"template_name": "c"}))[2] == (
        "template name already exists"
    )
    seeded = {"template_name": "d", "template_content": "Hi", "template_type": "1"}
    refused = api.session.post(api.url + "/_sandbox/seed", json={"result": [seeded, seeded]})
    assert refused.status_code == 400 and "name already exists" in refused.text
