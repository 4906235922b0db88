"""The sandbox answers only with fields EngageLab's pages document.

The allowed fields come from the pages themselves (``tests/data/engagelab``,
copies of the public API pages), never from the sandbox's code: per
endpoint, the rows of its response tables and the keys of its response
examples. Every answer of a tour through every endpoint, successes and
errors, must keep to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.sandbox import SEND_AUTH, Api, Clock

PAGES = Path(__file__).resolve().parent.parent / "data" / "engagelab"
_KEY = re.compile(r'"(\w+)"\s*:')


def _keys(text: str) -> set[str]:
    return set(_KEY.findall(text))


def template_page() -> dict[tuple[str, str], set[str]]:
    """(method, path) → fields, one entry per endpoint section of the page."""
    text = (PAGES / "sms-template-api.en.txt").read_text(encoding="utf-8")
    error_examples = [part.split("}")[0] for part in text.split("Response-error")[1:]]
    errors = set().union(*map(_keys, error_examples))
    sections = re.split(r"\nURL\n", text)[1:]
    allowed: dict[tuple[str, str], set[str]] = {}
    for section in sections:
        url, _, method = section.split("\n")[:3]
        path = re.sub(r"^https://[^/]+", "", url).replace("{template_id}", "{id}")
        answer = section.partition("Return Value Description")[2] or section
        table, _, examples = answer.partition("Returned Value Example")
        rows = re.findall(r"^(\w+) \| [^|\n]* \|$", table, re.MULTILINE)
        fields = (set(rows) - {"Parameter"}) | _keys(examples.split("Response-error")[0])
        allowed[(method, path)] = fields | errors
    return allowed


def send_page(name: str) -> set[str]:
    """The fields of a send page's response tables and response examples."""
    text = (PAGES / name).read_text(encoding="utf-8")
    answers = text[re.search(r"^Response", text, re.MULTILINE).start() :]  # type: ignore[union-attr]
    fields: set[str] = set()
    for table in re.findall(r"^Field Type .*\n((?:[a-z_]+ .*\n)+)", answers, re.MULTILINE):
        fields |= {row.split()[0] for row in table.splitlines()}
    return fields | _keys(answers)


def test_the_pages_are_read_as_intended() -> None:
    """The parsing above finds what a reader of the pages finds."""
    pages = template_page()
    assert set(pages) == {
        ("GET", "/v1/templates/{id}"),
        ("GET", "/v1/templates"),
        ("POST", "/v1/templates"),
        ("POST", "/v1/templates/{id}/submit"),
        ("PUT", "/v1/templates/{id}"),
        ("DELETE", "/v1/templates/{id}"),
    }
    assert "sign_id" in pages[("GET", "/v1/templates")]
    assert "sign_id" not in pages[("GET", "/v1/templates/{id}")]
    assert not any("sign_pos" in fields for fields in pages.values())
    assert {"result", "count", "total", "code", "message"} <= pages[("GET", "/v1/templates")]
    sms = send_page("sms-send-api.en.txt")
    assert {"plan_id", "accepted_count", "message_id", "schedule_info", "task_id"} <= sms
    assert "to" not in sms and "params" not in sms
    assert send_page("otp-send-api.en.txt") == {"message_id", "send_channel", "code", "message"}


def fields_of(answer: Any) -> Iterator[str]:
    """Every key of a JSON answer, nested ones too."""
    if isinstance(answer, dict):
        for key, value in answer.items():
            yield key
            yield from fields_of(value)
    elif isinstance(answer, list):
        for item in answer:
            yield from fields_of(item)


def tour(api: Api, clock: Clock) -> Iterator[tuple[str, str, Any]]:
    """(method, documented path, answer) for every endpoint, success and error."""

    def call(method: str, path: str, documented: str, **kwargs: Any) -> tuple[str, str, Any]:
        return method, documented, api.call(method, path, **kwargs).json()

    body = {"template_name": "n", "template_content": "Hi {{a}}", "template_type": "1"}
    created = call(
        "POST", "/v1/templates", "/v1/templates", json={**body, "sign_id": 7, "sign_pos": 1}
    )
    yield created
    template_id = created[2]["result"]["template_id"]
    one = f"/v1/templates/{template_id}"
    yield call("POST", "/v1/templates", "/v1/templates", json={**body, "template_name": "x" * 65})
    yield call("POST", "/v1/templates", "/v1/templates", json=body)  # name taken
    yield call("GET", "/v1/templates", "/v1/templates")
    yield call("GET", "/v1/templates?limit=101", "/v1/templates")
    yield call("GET", "/v1/templates", "/v1/templates", auth=("sandbox-user", "wrong"))
    yield call("GET", one, "/v1/templates/{id}")
    yield call("GET", "/v1/templates/9", "/v1/templates/{id}")
    yield call("PUT", one, "/v1/templates/{id}", json={"submit": True})
    yield call("PUT", one, "/v1/templates/{id}", json={"template_name": "m"})
    yield call("POST", f"{one}/submit", "/v1/templates/{id}/submit")
    clock.now += 10
    sms: dict[str, Any] = {"to": ["8613800138000"], "template": {"id": template_id, "params": {}}}
    sends = [
        sms,
        {**sms, "to": ["8613800138000", "8613800138001"]},
        {**sms, "to": ["8613800138000", "nope"]},
        {**sms, "schedule_time": int(clock.now) + 600},
        {**sms, "template": {"id": template_id}},
        {**sms, "template": {"id": 999, "params": {}}},
    ]
    for send in sends:
        yield call("POST", "/v1/messages", "sms", auth=SEND_AUTH, json=send)
    api.admin("POST", "otp-templates", json={"templates": [{"id": "otp", "content": "{{c}}"}]})
    otp = {"to": "+8613800138000", "template": {"id": "otp"}}
    for send in (otp, otp, {**otp, "template": {"id": "none"}}):
        yield call("POST", "/otp/v1/messages", "otp", auth=SEND_AUTH, json=send)
    clock.now += 1000  # the scheduled send is done: the template may go
    yield call("DELETE", one, "/v1/templates/{id}")
    yield call("DELETE", one, "/v1/templates/{id}")


def documented_codes() -> dict[str, set[int]]:
    """The codes in the template page's examples and the send pages' tables."""
    template = (PAGES / "sms-template-api.en.txt").read_text(encoding="utf-8")
    codes = {"template": {int(code) for code in re.findall(r'"code": (\d+)', template)}}
    for api, name in (("sms", "sms-send-api.en.txt"), ("otp", "otp-send-api.en.txt")):
        text = (PAGES / name).read_text(encoding="utf-8")
        codes[api] = {int(code) for code in re.findall(r"^(\d{4}) \d{3} ", text, re.MULTILINE)}
    return codes


@pytest.fixture
def documented() -> dict[tuple[str, str], set[str]]:
    allowed = template_page()
    allowed[("POST", "sms")] = send_page("sms-send-api.en.txt")
    allowed[("POST", "otp")] = send_page("otp-send-api.en.txt")
    return allowed


def test_every_answer_keeps_to_the_documented_fields(
    api: Api, clock: Clock, documented: dict[tuple[str, str], set[str]]
) -> None:
    codes = documented_codes()
    assert codes["template"] == {30000, 30002, 33001, 33006}
    seen = 0
    for method, path, answer in tour(api, clock):
        extra = set(fields_of(answer)) - documented[(method, path)]
        assert not extra, f"{method} {path} answered undocumented {sorted(extra)}: {answer}"
        if "code" in answer:
            assert answer["code"] in codes.get(path, codes["template"]), (method, path, answer)
        seen += 1
    assert seen == 22
