"""Dependency order of a plan's changes (SPEC §4.3).

A step that takes a name waits for the step that frees it (a rename away
from it, or a delete). Deletes that free no wanted name wait for every
other step, so nothing is deleted before the rest has been tried; a
blocked step is never tried in this run, so only a signature's delete waits
for one (a blocked template may still use the signature). Renames
that chase each other in a cycle (A→B while B→A) are broken by moving one
template to a temporary name first, where a rename leaves the review
standing; where it does not (a renamed item is under review, and the
service renames nothing under review), the cycle's renames are blocked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tplsync.changes import SIGNATURE, TEMPORARY_PREFIX, Action, Change, FieldChange


def dependencies(changes: Sequence[Change]) -> list[set[int]]:
    """For each change, the indexes of the changes it must wait for.

    A step that takes a name waits for another template's step that frees
    it; a step of one template that moves on from a name waits for that
    template's step that took it (a rename via a temporary name).
    """
    frees = {change.frees: index for index, change in enumerate(changes) if change.frees}
    took = {(c.template_id, c.takes): i for i, c in enumerate(changes) if c.takes}
    needed = {change.takes for change in changes if change.takes}
    writes = [i for i, c in enumerate(changes) if c.action is not Action.DELETE]
    tried = [i for i in writes if changes[i].action is not Action.BLOCKED]
    result: list[set[int]] = []
    for index, change in enumerate(changes):
        waits: set[int] = set()
        freer = frees.get(change.takes) if change.takes else None
        if (
            freer is not None
            and freer != index
            and (change.template_id is None or changes[freer].template_id != change.template_id)
        ):
            waits.add(freer)
        if change.template_id is not None and change.frees is not None:
            previous = took.get((change.template_id, change.frees))
            if previous is not None and previous != index:
                waits.add(previous)
        if change.action is Action.DELETE and change.frees not in needed:
            waits.update(writes if change.subject == SIGNATURE else tried)
        result.append(waits)
    return result


def ordered(changes: Sequence[Change], rename_keeps_review: bool = True) -> tuple[Change, ...]:
    """The changes, cycles broken (or, unless ``rename_keeps_review``,
    blocked), in an order that respects every dependency."""
    steps = list(changes)
    while True:
        cycle = _find_cycle(steps, dependencies(steps))
        if cycle is None:
            break
        steps = _break(steps, cycle[0]) if rename_keeps_review else _block(steps, cycle)
    waits = dependencies(steps)
    done: list[int] = []
    remaining = set(range(len(steps)))
    while remaining:
        ready = [i for i in sorted(remaining) if waits[i] <= set(done)]
        if not ready:  # pragma: no cover - cycles were broken above
            raise RuntimeError("unordered plan: a dependency cycle remains")
        done.extend(ready)
        remaining.difference_update(ready)
    return tuple(steps[i] for i in done)


def _find_cycle(steps: Sequence[Change], waits: list[set[int]]) -> list[int] | None:
    state = [0] * len(steps)  # 0 new, 1 on the path, 2 finished
    for start in range(len(steps)):
        path: list[int] = []
        stack = [(start, iter(sorted(waits[start])))]
        if state[start]:
            continue
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state[child] == 1:
                return path[path.index(child) :]
            elif state[child] == 0:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(waits[child]))))
    return None


def _break(steps: list[Change], index: int) -> list[Change]:
    """Split rename ``steps[index]`` in two: away to a temporary name, then on."""
    change = steps[index]
    assert change.old_name is not None and change.template_id is not None
    temporary = f"{TEMPORARY_PREFIX}{change.template_id}"
    away = Change(
        Action.RENAME,
        temporary,
        change.template_id,
        fields=(FieldChange("name", change.old_name, temporary),),
        reason=f"temporary name, so that {change.old_name!r} is free",
        old_name=change.old_name,
        remote=change.remote,
        subject=change.subject,
    )
    onward = replace(change, old_name=temporary)
    return [*steps[:index], away, onward, *steps[index + 1 :]]


def _block(steps: list[Change], cycle: Sequence[int]) -> list[Change]:
    """Block the renames of ``cycle``: the onward step after a temporary name
    would meet the item under review. Blocked, they neither free nor take a name."""
    reason = (
        "renames in a cycle: each rename goes back to review and nothing under review "
        "can be renamed, so no temporary name can break it in one apply; rename one "
        "to a new name first, and the others after its review"
    )
    blocked = {
        index: replace(
            steps[index], action=Action.BLOCKED, old_name=None, reason=reason, resets_approval=False
        )
        for index in cycle
    }
    return [blocked.get(index, step) for index, step in enumerate(steps)]
