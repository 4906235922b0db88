"""The core runs on any :class:`TemplateApi`: here a second, in-memory dialect."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable
from dataclasses import replace

from tplsync.adapters.base import CallStats, Capabilities, TemplateApi
from tplsync.apply import Status, apply_plan, submitted, wait_for_review
from tplsync.changes import Action, Change
from tplsync.http import ApiError
from tplsync.model import ApprovalStatus, RemoteTemplate, Template, TemplateType
from tplsync.order import ordered
from tplsync.plan import Plan, PlanOptions, make_plan

N = TemplateType.NOTIFICATION
APPROVED = ApprovalStatus.APPROVED


class Memory:
    """Templates in a dict. Like the service, it refuses a name another
    template has, so a step run before the one that frees its name fails."""

    def __init__(self, templates: Iterable[RemoteTemplate] = ()) -> None:
        self.templates = {t.id: t for t in templates}
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.next_id = 100

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            separate_submit=True, drafts=True, can_clear_signature=True, unique_names=True
        )

    def stats(self) -> CallStats:
        return CallStats(len(self.log), 0)

    def list(self, ids: Collection[str] | None = None) -> list[RemoteTemplate]:
        with self.lock:
            return [t for t in self.templates.values() if ids is None or t.id in ids]

    def find(self, name: str) -> RemoteTemplate | None:
        return next((t for t in self.list() if t.name == name), None)

    def get(self, template_id: str) -> RemoteTemplate | None:
        return self.templates.get(template_id)

    def _store(self, step: str, template: RemoteTemplate) -> None:
        with self.lock:
            if any(
                t.name == template.name and t.id != template.id for t in self.templates.values()
            ):
                raise ApiError(400, None, f"{step}: the name {template.name} is taken")
            self.templates[template.id] = template
            self.log.append(step)

    def create(self, template: Template, submit: bool) -> RemoteTemplate:
        with self.lock:
            self.next_id += 1
            template_id = str(self.next_id)
        status = ApprovalStatus.PENDING if submit else ApprovalStatus.NOT_SUBMITTED
        made = RemoteTemplate(
            template_id, template.name, template.type, template.content, template.signature, status
        )
        self._store(f"create {template.name}", made)
        return made

    def update(self, template_id: str, template: Template, submit: bool) -> None:
        status = ApprovalStatus.PENDING if submit else ApprovalStatus.NOT_SUBMITTED
        current = self.templates[template_id]
        changed = replace(
            current,
            name=template.name,
            type=template.type,
            content=template.content,
            signature=template.signature,
            status=status,
        )
        self._store(f"update {template.name}", changed)

    def rename(self, template_id: str, name: str) -> None:
        current = self.templates[template_id]
        self._store(f"rename {current.name} to {name}", replace(current, name=name))

    def submit(self, template_id: str) -> None:
        current = self.templates[template_id]
        self._store(f"submit {current.name}", replace(current, status=ApprovalStatus.PENDING))

    def delete(self, template_id: str) -> None:
        with self.lock:
            gone = self.templates.pop(template_id)
            self.log.append(f"delete {gone.name}")

    def decide(self, status: ApprovalStatus) -> None:
        """The carrier ends every review."""
        for key, template in self.templates.items():
            if template.status is ApprovalStatus.PENDING:
                self.templates[key] = replace(template, status=status, status_message="no")


def remote(
    identifier: int, name: str, content: str = "Hi", status: ApprovalStatus = APPROVED
) -> RemoteTemplate:
    return RemoteTemplate(str(identifier), name, N, content, None, status)


def test_apply_converges_on_another_dialect_in_dependency_order() -> None:
    api = Memory(
        [
            remote(1, "old-name"),
            remote(2, "edited"),
            remote(3, "draft", status=ApprovalStatus.NOT_SUBMITTED),
            remote(4, "gone"),
        ]
    )
    declared = [
        Template("new-name", N, "Hi", renamed_from=("old-name",)),
        Template("edited", N, "Hello there"),
        Template("draft", N, "Hi"),
        Template("brand-new", N, "Welcome", submit=False),
    ]
    client: TemplateApi = api
    options = PlanOptions(prune=True)
    plan = make_plan(declared, client.list(), options)
    assert {c.action for c in plan.changes} == {
        Action.RENAME,
        Action.CREATE,
        Action.UPDATE,
        Action.SUBMIT,
        Action.DELETE,
    }

    report = apply_plan(plan, client, parallelism=3)

    assert report.ok and report.count(Status.APPLIED) == len(plan.changes) == 5
    assert (report.calls, report.retries) == (5, 0)
    assert api.log[-1] == "delete gone"  # deletes wait for every other step
    names = {t.name: t for t in client.list()}
    assert sorted(names) == ["brand-new", "draft", "edited", "new-name"]
    assert names["new-name"].id == "1" and names["new-name"].status is APPROVED  # kept
    assert names["brand-new"].status is ApprovalStatus.NOT_SUBMITTED
    assert make_plan(declared, client.list(), options).changes == ()

    targets = submitted(report)
    assert sorted(name for name, _ in targets) == ["draft", "edited"]
    api.decide(ApprovalStatus.REJECTED)
    reviews = wait_for_review(client, targets, timeout=1.0, sleep=lambda seconds: None)
    assert {(r.name, r.approved, r.message) for r in reviews} == {
        (name, False, "rejected: no") for name in ("draft", "edited")
    }


def test_a_rename_cycle_runs_through_the_temporary_name() -> None:
    api = Memory([remote(1, "a"), remote(2, "b"), remote(3, "c")])
    changes = ordered(
        [
            Change(Action.RENAME, "b", "1", old_name="a"),
            Change(Action.RENAME, "c", "2", old_name="b"),
            Change(Action.RENAME, "a", "3", old_name="c"),
        ]
    )
    report = apply_plan(Plan(changes), api, parallelism=4)
    assert report.ok, [o.message for o in report.outcomes]
    assert {t.id: t.name for t in api.list()} == {"1": "b", "2": "c", "3": "a"}


def test_a_name_is_taken_only_after_the_step_that_frees_it() -> None:
    api = Memory([remote(1, "a"), remote(2, "gone")])
    changes = [
        Change(Action.DELETE, "gone", "2"),
        Change(Action.CREATE, "a", declared=Template("a", N, "New")),
        Change(Action.RENAME, "b", "1", old_name="a"),
    ]
    report = apply_plan(Plan(ordered(changes)), api, parallelism=4)
    assert report.ok, [o.message for o in report.outcomes]
    assert api.log == ["rename a to b", "create a", "delete gone"]


def test_a_refused_step_leaves_its_dependents_and_the_deletes_alone() -> None:
    api = Memory([remote(1, "a"), remote(2, "kept"), remote(3, "gone")])
    declared = [
        Template("b", N, "Hi", renamed_from=("a",)),
        Template("kept", N, "Hi"),
        Template("other", N, "Hi"),
    ]
    plan = make_plan(declared, api.list(), PlanOptions(prune=True))
    api.templates["9"] = remote(9, "b")  # another template takes "b" before the apply
    report = apply_plan(plan, api, parallelism=1)
    status = {(o.change.action, o.change.name): o.status for o in report.outcomes}
    assert status == {
        (Action.RENAME, "b"): Status.FAILED,
        (Action.CREATE, "other"): Status.APPLIED,
        (Action.DELETE, "gone"): Status.NOT_ATTEMPTED,
    }
    assert api.log == ["create other"]
