"""The ``templates`` dialect reads its own error envelope, not the transport."""

from __future__ import annotations

from typing import Any

import pytest

from tplsync.adapters.engagelab_v1 import decode
from tplsync.http import ApiError, Reply


@pytest.mark.parametrize(
    ("status", "body", "refusal"),
    [
        (200, {"code": 0, "result": []}, None),
        (200, {"result": []}, None),
        (200, {"code": "33001", "result": []}, None),  # only an integer code refuses
        (200, {"code": 33001, "message": "template not exist"}, (33001, "template not exist")),
        (400, {"code": 30001, "message": "bad"}, (30001, "bad")),
        (404, {"message": "gone"}, (None, "gone")),
        (403, {}, (None, "request refused")),
        (200, None, (None, "the answer is not a JSON object")),
        (200, [1, 2], (None, "the answer is not a JSON object")),
    ],
)
def test_decode(status: int, body: Any, refusal: tuple[int | None, str] | None) -> None:
    if refusal is None:
        assert decode(Reply(status, body), "list templates") == body
        return
    with pytest.raises(ApiError) as caught:
        decode(Reply(status, body), "list templates")
    assert (caught.value.status, caught.value.code, caught.value.message) == (status, *refusal)
    assert str(caught.value).startswith("list templates: ")
