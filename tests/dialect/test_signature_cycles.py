"""Signatures renamed in a cycle (A→B while B→A), over HTTP to the sandbox.

A renamed signature goes back to review and the service renames nothing
under review, so the onward step after a temporary name would be refused and
leave a signature under the temporary name: the cycle is blocked instead."""

from __future__ import annotations

from tplsync.adapters import make_template_api
from tplsync.adapters.base import signature_api
from tplsync.apply import Status, apply_plan
from tplsync.changes import SIGNATURE, TEMPORARY_PREFIX, Action, Change, FieldChange
from tplsync.http import Transport
from tplsync.model import ApprovalStatus, RemoteSignature
from tplsync.order import ordered
from tplsync.plan import Plan
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Settings, Store
from tplsync.signatures import SignaturePlan


def rename(signature: RemoteSignature, name: str) -> Change:
    return Change(
        Action.RENAME,
        name,
        signature.id,
        fields=(FieldChange("name", signature.name, name),),
        old_name=signature.name,
        subject=SIGNATURE,
    )


def test_a_rename_cycle_of_signatures_is_blocked_and_nothing_is_sent() -> None:
    store = Store(Settings(review_delay=3600))  # reviews take an hour, as for real
    for name in ("Alpha", "Bravo", "Charlie"):
        store.decide_signature(store.create_signature(name), None)
    with SandboxServer(store) as server:
        transport = Transport(server.url, ("sandbox-dev-key", "sandbox-dev-secret"), timeout=10)
        api = make_template_api("template-configs", transport, 1)
        signatures = signature_api(api)
        assert signatures is not None
        remote = signatures.signatures()
        alpha, bravo, charlie = sorted(remote, key=lambda s: s.name)
        cycle = (rename(alpha, "Bravo"), rename(bravo, "Alpha"), rename(charlie, "Delta"))
        plan = SignaturePlan((), tuple(remote), cycle, ()).joined(Plan(()))
        steps = [(c.action, c.name) for c in plan.changes]
        assert sorted(steps, key=lambda s: s[1]) == [
            (Action.BLOCKED, "Alpha"),
            (Action.BLOCKED, "Bravo"),
            (Action.RENAME, "Delta"),  # not in the cycle: renamed as usual
        ]
        blocked = [c for c in plan.changes if c.action is Action.BLOCKED]
        assert all(c.reason.startswith("renames in a cycle: ") for c in blocked)
        report = apply_plan(plan, api, parallelism=2)
        assert {(o.change.name, o.status) for o in report.outcomes} == {
            ("Alpha", Status.BLOCKED),
            ("Bravo", Status.BLOCKED),
            ("Delta", Status.APPLIED),
        }
        after = {s.id: (s.name, s.status) for s in signatures.signatures()}
        assert after == {
            alpha.id: ("Alpha", ApprovalStatus.APPROVED),
            bravo.id: ("Bravo", ApprovalStatus.APPROVED),
            charlie.id: ("Delta", ApprovalStatus.PENDING),
        }
        transport.close()


def test_where_a_rename_keeps_the_review_a_cycle_still_takes_a_temporary_name() -> None:
    changes = [
        Change(Action.RENAME, "b", "1", old_name="a"),
        Change(Action.RENAME, "a", "2", old_name="b"),
    ]
    kept = ordered(changes)
    assert [c.name for c in kept] == [f"{TEMPORARY_PREFIX}1", "a", "b"]
    reviewed = ordered(changes, rename_keeps_review=False)
    assert [(c.action, c.name, c.old_name) for c in reviewed] == [
        (Action.BLOCKED, "b", None),
        (Action.BLOCKED, "a", None),
    ]
