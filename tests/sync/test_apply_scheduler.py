"""The scheduler's contract, with a stand-in client: order, bounds, failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection

from tplsync.adapters.base import CallStats, Capabilities
from tplsync.apply import Status, apply_plan
from tplsync.changes import Action, Change
from tplsync.http import ApiError
from tplsync.model import ApprovalStatus, RemoteTemplate, Template, TemplateType
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
        self.capabilities = Capabilities(
            separate_submit=True, drafts=True, can_clear_signature=False, unique_names=True
        )

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

    def stats(self) -> CallStats:
        return CallStats(len(self.calls), 0)

    def list(self, ids: Collection[str] | None = None) -> list[RemoteTemplate]:
        return []

    def find(self, name: str) -> RemoteTemplate | None:
        return None

    def get(self, template_id: str) -> RemoteTemplate | None:
        return None

    def create(self, template: Template, submit: bool) -> RemoteTemplate:
        self._call(f"create {template.name}")
        status = ApprovalStatus.NOT_SUBMITTED
        return RemoteTemplate("9", template.name, template.type, template.content, None, status)

    def update(self, template_id: str, template: Template, submit: bool) -> None:
        self._call(f"update {template.name}")

    def rename(self, template_id: str, name: str) -> None:
        self._call(f"rename {name}")

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
    client = StandIn(failing={"rename b"})
    report = apply_plan(Plan(changes), client, parallelism=3)
    status = {o.change.name: (o.status, o.message) for o in report.outcomes}
    assert status["b"][0] is Status.FAILED and "code 33006" in status["b"][1]
    assert status["a"] == (Status.NOT_ATTEMPTED, "waits for rename b")
    assert status["d"] == (Status.BLOCKED, "under review")
    assert all(status[f"c{i}"][0] is Status.APPLIED for i in range(12))
    assert "create a" not in client.calls
    assert 2 <= client.most <= 3  # in parallel, never beyond the bound
    assert report.count(Status.APPLIED) == 12
