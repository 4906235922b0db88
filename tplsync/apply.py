"""Carry a plan out: parallel within dependency order, failures contained."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import Enum

from tplsync.adapters.engagelab_v1 import TemplateClient, template_fields
from tplsync.errors import TplsyncError
from tplsync.order import dependencies
from tplsync.plan import Action, Change, Plan


class Status(Enum):
    APPLIED = "applied"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Outcome:
    change: Change
    status: Status
    message: str = ""
    code: int | None = None
    template_id: str | None = None


@dataclass(frozen=True)
class ApplyReport:
    outcomes: tuple[Outcome, ...]
    seconds: float
    calls: int
    retries: int

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status is status)

    @property
    def ok(self) -> bool:
        return not self.count(Status.FAILED)


def run_change(client: TemplateClient, change: Change) -> str | None:
    """Perform one change; the template id it concerns."""
    if change.action is Action.CREATE:
        assert change.declared is not None
        return client.create(change.declared, change.submit).id
    assert change.template_id is not None
    if change.action is Action.UPDATE:
        assert change.declared is not None
        fields = {**template_fields(change.declared), "template_name": change.name}
        client.modify(change.template_id, fields, change.submit)
    elif change.action is Action.RENAME:
        client.modify(change.template_id, {"template_name": change.name}, submit=False)
    elif change.action is Action.SUBMIT:
        client.submit(change.template_id)
    elif change.action is Action.DELETE:
        client.delete(change.template_id)
    return change.template_id


def apply_plan(
    plan: Plan,
    client: TemplateClient,
    parallelism: int = 4,
    fail_fast: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> ApplyReport:
    """Run every change whose dependencies succeeded, at most ``parallelism``
    at a time. A failed or blocked change leaves its dependents not
    attempted; independent changes go on unless ``fail_fast``."""
    started = time.monotonic()
    changes = plan.changes
    waits = dependencies(changes)
    outcomes: dict[int, Outcome] = {}
    lock = threading.Lock()

    def record(index: int, outcome: Outcome) -> None:
        with lock:
            outcomes[index] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    def work(index: int) -> Outcome:
        change = changes[index]
        try:
            template_id = run_change(client, change)
        except TplsyncError as error:
            code = getattr(error, "code", None)
            return Outcome(change, Status.FAILED, str(error), code, change.template_id)
        return Outcome(change, Status.APPLIED, template_id=template_id)

    for index, change in enumerate(changes):
        if change.action is Action.BLOCKED:
            record(index, Outcome(change, Status.BLOCKED, change.reason, None, change.template_id))
    stopping = False
    running: dict[Future[Outcome], int] = {}
    with ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool:
        while True:
            for index in range(len(changes)):
                if index in outcomes or index in running.values():
                    continue
                failed = [
                    w
                    for w in waits[index]
                    if w in outcomes and outcomes[w].status is not Status.APPLIED
                ]
                if failed:
                    blocker = changes[failed[0]]
                    record(
                        index,
                        Outcome(
                            changes[index],
                            Status.NOT_ATTEMPTED,
                            f"waits for {blocker.action.value} {blocker.name}",
                        ),
                    )
                elif stopping:
                    record(
                        index,
                        Outcome(
                            changes[index],
                            Status.NOT_ATTEMPTED,
                            "stopped after a failure (--fail-fast)",
                        ),
                    )
                elif all(w in outcomes for w in waits[index]):
                    running[pool.submit(work, index)] = index
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                outcome = future.result()
                record(running.pop(future), outcome)
                if outcome.status is Status.FAILED and fail_fast:
                    stopping = True
    ordered = tuple(outcomes[index] for index in range(len(changes)))
    stats = client.http.stats
    return ApplyReport(ordered, time.monotonic() - started, stats.calls, stats.retries)
