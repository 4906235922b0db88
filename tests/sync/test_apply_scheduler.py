"""The scheduler's contract, with a stand-in client: order, bounds, failures."""

from __future__ import annotations

import threading
import time
from typing import Any

from tplsync.apply import Status, apply_plan
from tplsync.changes import Action, Change
from tplsync.http import ApiError, RetryStats
from tplsync.model import Template, TemplateType
from tplsync.order import ordered
from tplsync.plan import Plan


class StandIn:
    """Records calls, fails the names it is told to, and measures concurrency."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.calls: list[str] = []
        self.active = 0
        self.most = 0
        self.lock = threading.Lock()
        self.http = type("Http", (), {"stats": RetryStats()})()

    def _call(self, what: str) -> None:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
            self.calls.append(what)
        time.sleep(0.01)
        with self.lock:
            self.active -= 1
        if what in self.failing:
            raise ApiError(400, 33006, f"{what} refused")

    def create(self, template: Template, submit: bool) -> Any:
        self._call(f"create {template.name}")
        return type("Remote", (), {"id": "9"})()

    def modify(self, template_id: str, fields: Any, submit: bool) -> None:
        self._call(f"modify {fields['template_name']}")

    def submit(self, template_id: str) -> None:
        self._call(f"submit {template_id}")

    def delete(self, template_id: str) -> None:
        self._call(f"delete {template_id}")


def create(name: str) -> Change:
    return Change(Action.CREATE, name, declared=Template(name, TemplateType.MARKETING, "Hi"))


def test_failures_stop_their_dependents_only_and_parallelism_is_bounded() -> None:
    changes = ordered(
        [
            Change(Action.RENAME, "b", "1", old_name="a"),
            create("a"),  # waits for the rename that frees "a"
            *(create(f"c{i}") for i in range(12)),
            Change(Action.BLOCKED, "d", "2", reason="under review"),
        ]
    )
    client = StandIn(failing={"modify b"})
    report = apply_plan(Plan(changes), client, parallelism=3)  # type: ignore[arg-type]
    status = {o.change.name: (o.status, o.message) for o in report.outcomes}
    assert status["b"][0] is Status.FAILED and "code 33006" in status["b"][1]
    assert status["a"] == (Status.NOT_ATTEMPTED, "waits for rename b")
    assert status["d"] == (Status.BLOCKED, "under review")
    assert all(status[f"c{i}"][0] is Status.APPLIED for i in range(12))
    assert "create a" not in client.calls
    assert 2 <= client.most <= 3  # in parallel, never beyond the bound
    assert report.count(Status.APPLIED) == 12
