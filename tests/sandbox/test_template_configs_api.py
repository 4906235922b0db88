"""The sandbox's /v1/template-configs and /v1/sign-configs, as EngageLab's
pages describe them: bare answers, string ids, status 1/2/3, HTTP 400
``{"code": 400, "message"}`` refusals, no submit call, and a template may
use only an approved signature."""

from __future__ import annotations

from typing import Any

from tests.helpers.sandbox import SEND_AUTH, Api, Clock

# every field the list and get pages document (engagelab-current-api.md)
TEMPLATE_FIELDS = {
    "template_id",
    "template_name",
    "template_type",
    "template_content",
    "country_codes",
    "status",
    "sign_id",
    "sign_name",
    "sign_position",
    "sign_status",
    "audit_remark",
    "created_time",
    "updated_time",
}
SIGN_FIELDS = {
    "sign_id",
    "sign_name",
    "status",
    "related_template_count",
    "audit_remark",
    "created_time",
    "updated_time",
}


def call(api: Api, method: str, path: str, **kwargs: Any) -> Any:
    return api.call(method, path, auth=SEND_AUTH, **kwargs)


def body(**fields: Any) -> dict[str, Any]:
    return {
        "template_name": "welcome",
        "template_type": "utility",
        "template_content": "Welcome, {{name}}.",
        "country_codes": "US,GB",
        **fields,
    }


def refused(api: Api, method: str, path: str, message: str, **kwargs: Any) -> None:
    answer = call(api, method, path, **kwargs)
    assert (answer.status_code, answer.json()) == (400, {"code": 400, "message": message})


def test_templates_are_filed_for_review_and_answered_as_documented(api: Api, clock: Clock) -> None:
    created = call(api, "POST", "/v1/template-configs", json=body()).json()
    assert set(created) == {"template_id"} and isinstance(created["template_id"], str)
    template_id = created["template_id"]
    listed = call(api, "GET", "/v1/template-configs").json()
    assert isinstance(listed, list) and set(listed[0]) <= TEMPLATE_FIELDS
    one = call(api, "GET", f"/v1/template-configs/{template_id}").json()
    assert (one["status"], one["sign_position"], one["country_codes"]) == (1, 0, "US,GB")
    refused(
        api,
        "PUT",
        f"/v1/template-configs/{template_id}",
        "can not update pending status template",
        json=body(template_content="Hello."),
    )
    clock.now += 10
    assert call(api, "GET", f"/v1/template-configs/{template_id}").json()["status"] == 2
    updated = call(api, "PUT", f"/v1/template-configs/{template_id}", json=body(template_name="w2"))
    assert updated.json() == {"code": 0, "message": "success"}
    assert call(api, "GET", f"/v1/template-configs/{template_id}").json()["status"] == 1
    deleted = call(api, "DELETE", f"/v1/template-configs/{template_id}")
    assert deleted.json() == {"code": 0, "message": "success"}
    refused(api, "GET", f"/v1/template-configs/{template_id}", "template config not exist")
    refused(api, "GET", "/v1/template-configs/abc", "invalid templateId")


def test_names_are_not_unique_and_the_rules_of_the_create_page_hold(api: Api) -> None:
    for _ in range(2):
        assert call(api, "POST", "/v1/template-configs", json=body()).status_code == 200
    assert len(call(api, "GET", "/v1/template-configs").json()) == 2
    refused(
        api, "POST", "/v1/template-configs", "invalid country_codes", json=body(country_codes="")
    )
    refused(
        api, "POST", "/v1/template-configs", "invalid template_type", json=body(template_type="1")
    )
    refused(
        api,
        "POST",
        "/v1/template-configs",
        "template_content can not contain '、'",
        json=body(template_content="a、b"),
    )
    assert (
        call(api, "POST", "/v1/template-configs", json=body(template_name="n" * 255)).status_code
        == 200
    )
    refused(
        api,
        "POST",
        "/v1/template-configs",
        "invalid template_name",
        json=body(template_name="n" * 256),
    )


def test_a_template_uses_only_an_approved_signature(api: Api, clock: Clock) -> None:
    sign = call(api, "POST", "/v1/sign-configs", json={"sign_name": "Acme"}).json()
    assert set(sign) == {"sign_id"} and isinstance(sign["sign_id"], str)
    signed = body(add_signature=True, sign_id=sign["sign_id"], sign_position=2)
    refused(
        api, "POST", "/v1/template-configs", "sign status is not approved, can not use", json=signed
    )
    refused(
        api,
        "POST",
        "/v1/template-configs",
        "sign config not exist",
        json={**signed, "sign_id": "999999"},
    )
    refused(api, "POST", "/v1/sign-configs", "sign_name already exist", json={"sign_name": "Acme"})
    clock.now += 10
    template_id = call(api, "POST", "/v1/template-configs", json=signed).json()["template_id"]
    one = call(api, "GET", f"/v1/template-configs/{template_id}").json()
    assert (one["sign_id"], one["sign_name"], one["sign_position"], one["sign_status"]) == (
        sign["sign_id"],
        "Acme",
        2,
        2,
    )
    listed = call(api, "GET", "/v1/sign-configs").json()
    assert set(listed[0]) == SIGN_FIELDS and listed[0]["related_template_count"] == 1


def test_signatures_are_reviewed_renamed_and_deleted(api: Api, clock: Clock) -> None:
    sign_id = call(api, "POST", "/v1/sign-configs", json={"sign_name": "Acme"}).json()["sign_id"]
    path = f"/v1/sign-configs/{sign_id}"
    refused(api, "PUT", path, "can not update pending status sign", json={"sign_name": "Acme2"})
    api.admin("POST", f"signatures/{sign_id}/reject", json={"message": "brand unclear"})
    rejected = call(api, "GET", path).json()
    assert (rejected["status"], rejected["audit_remark"]) == (3, "brand unclear")
    assert call(api, "PUT", path, json={"sign_name": "Acme Shop"}).json()["code"] == 0
    assert call(api, "GET", path).json()["status"] == 1
    refused(api, "POST", "/v1/sign-configs", "invalid sign_name", json={"sign_name": "【A】"})
    assert call(api, "DELETE", path).json() == {"code": 0, "message": "success"}
    refused(api, "GET", path, "sign config not exist")
    refused(api, "GET", "/v1/sign-configs/x1", "invalid signId")


def test_the_dev_key_pair_is_required(api: Api) -> None:
    assert api.call("GET", "/v1/template-configs").status_code == 401  # the template pair
    assert call(api, "GET", "/v1/template-configs").status_code == 200
