"""Carry a plan out: parallel within dependency order, failures contained."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import Enum

from tplsync.adapters.base import TemplateApi, signature_api
from tplsync.changes import SIGNATURE, Action, Change
from tplsync.errors import TplsyncError
from tplsync.model import ApprovalStatus, RemoteSignature, RemoteTemplate
from tplsync.order import dependencies
from tplsync.plan import Plan


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


def run_change(client: TemplateApi, change: Change) -> str | None:
    """Perform one change; the template (or signature) id it concerns."""
    if change.subject == SIGNATURE:
        return _run_signature_change(client, change)
    if change.action is Action.CREATE:
        assert change.declared is not None
        return client.create(change.declared, change.submit).id
    assert change.template_id is not None
    if change.action is Action.REPLACE:
        assert change.declared is not None
        client.delete(change.template_id)
        return client.create(change.declared, change.submit).id
    if change.action is Action.UPDATE:
        assert change.declared is not None
        client.update(change.template_id, change.declared, change.submit)
    elif change.action is Action.RENAME:
        client.rename(change.template_id, change.name)
    elif change.action is Action.SUBMIT:
        client.submit(change.template_id)
    elif change.action is Action.DELETE:
        client.delete(change.template_id)
    return change.template_id


def _run_signature_change(client: TemplateApi, change: Change) -> str | None:
    signatures = signature_api(client)
    assert signatures is not None, "a signature change in a dialect without signatures"
    if change.action is Action.CREATE:
        return signatures.create_signature(change.name).id
    assert change.template_id is not None
    if change.action is Action.RENAME:
        signatures.rename_signature(change.template_id, change.name)
    elif change.action is Action.DELETE:
        signatures.delete_signature(change.template_id)
    return change.template_id


def apply_plan(
    plan: Plan,
    client: TemplateApi,
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

    dependents: list[list[int]] = [[] for _ in changes]
    for index, waited in enumerate(waits):
        for other in waited:
            dependents[other].append(index)
    unmet = [len(waited) for waited in waits]
    ready: deque[int] = deque()

    def settle(index: int, outcome: Outcome) -> None:
        """Record an outcome and pass it on: dependents of a change that did
        not apply are not attempted; the others may become ready."""
        record(index, outcome)
        for dependent in dependents[index]:
            if dependent in outcomes:
                continue
            if outcome.status is not Status.APPLIED:
                reason = f"waits for {outcome.change.action.value} {outcome.change.name}"
                settle(dependent, Outcome(changes[dependent], Status.NOT_ATTEMPTED, reason))
            else:
                unmet[dependent] -= 1
                if unmet[dependent] == 0:
                    ready.append(dependent)

    for index, change in enumerate(changes):
        if change.action is Action.BLOCKED:
            settle(index, Outcome(change, Status.BLOCKED, change.reason, None, change.template_id))
    ready.extend(i for i in range(len(changes)) if not waits[i] and i not in outcomes)
    stopping = False
    running: dict[Future[Outcome], int] = {}
    workers = max(1, parallelism)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while True:
            # queue no more than can run, so --fail-fast can stop the rest
            while ready and len(running) < workers and not stopping:
                index = ready.popleft()
                if index not in outcomes:
                    running[pool.submit(work, index)] = index
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                outcome = future.result()
                settle(running.pop(future), outcome)
                stopping = stopping or (outcome.status is Status.FAILED and fail_fast)
    for index, change in enumerate(changes):
        if index not in outcomes:
            reason = "stopped after a failure (--fail-fast)"
            record(index, Outcome(change, Status.NOT_ATTEMPTED, reason))
    ordered = tuple(outcomes[index] for index in range(len(changes)))
    stats = client.stats()
    return ApplyReport(ordered, time.monotonic() - started, stats.calls, stats.retries)


def merged(reports: Sequence[ApplyReport]) -> ApplyReport:
    """One report for applies run one after the other: a change blocked in
    one run and applied in a later one shows only how it ended."""
    last = reports[-1]
    earlier = [o for r in reports[:-1] for o in r.outcomes if o.status is not Status.BLOCKED]
    seconds = sum(r.seconds for r in reports)
    return ApplyReport((*earlier, *last.outcomes), seconds, last.calls, last.retries)


@dataclass(frozen=True)
class Review:
    name: str
    template_id: str
    approved: bool
    message: str


def submitted(report: ApplyReport) -> list[tuple[str, str]]:
    """(name, id) of every template the apply sent to review."""
    return [
        (o.change.name, o.template_id)
        for o in report.outcomes
        if o.status is Status.APPLIED
        and o.template_id is not None
        and (o.change.submit or o.change.action is Action.SUBMIT)
    ]


def wait_for_review(
    client: TemplateApi,
    targets: list[tuple[str, str]],
    timeout: float,
    poll: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    read: Callable[[Collection[str]], Sequence[RemoteTemplate | RemoteSignature]] | None = None,
) -> list[Review]:
    """Poll until each target is approved or rejected, or ``timeout`` passes;
    ``read`` lists the targets (default: the templates with those ids)."""
    deadline = time.monotonic() + timeout
    waiting = {template_id: name for name, template_id in targets}
    reviews: list[Review] = []
    while waiting:
        current = {t.id: t for t in (read or client.list)(list(waiting))}
        for template_id, name in list(waiting.items()):
            template = current.get(template_id)
            if template is None:
                reviews.append(Review(name, template_id, False, "deleted while under review"))
            elif template.status is ApprovalStatus.APPROVED:
                reviews.append(Review(name, template_id, True, ""))
            elif template.status is ApprovalStatus.REJECTED:
                reason = template.status_message or "no reason given"
                reviews.append(Review(name, template_id, False, f"rejected: {reason}"))
            elif template.status is ApprovalStatus.NOT_SUBMITTED:
                reviews.append(Review(name, template_id, False, "not submitted"))
            else:
                continue
            del waiting[template_id]
        if not waiting:
            break
        if time.monotonic() + poll > deadline:
            reviews.extend(
                Review(name, template_id, False, f"still under review after {timeout:g} s")
                for template_id, name in waiting.items()
            )
            break
        sleep(poll)
        poll = min(poll * 1.5, 10.0)
    return reviews
