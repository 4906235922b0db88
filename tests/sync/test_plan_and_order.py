"""The planner and the dependency order, on values (no HTTP)."""

from __future__ import annotations

from tplsync.changes import SIGNATURE, TEMPORARY_PREFIX, Action, Change
from tplsync.model import (
    ApprovalStatus,
    RemoteTemplate,
    Signature,
    SignaturePosition,
    Template,
    TemplateType,
)
from tplsync.order import dependencies
from tplsync.plan import Plan, PlanOptions, make_plan
from tplsync.planoutput import plan_markdown, summary

N = TemplateType.NOTIFICATION


def declared(
    name: str,
    content: str = "Hi",
    renamed_from: tuple[str, ...] = (),
    submit: bool | None = None,
    signature: Signature | None = None,
) -> Template:
    return Template(name, N, content, signature=signature, submit=submit, renamed_from=renamed_from)


def remote(
    identifier: int,
    name: str,
    content: str = "Hi",
    status: ApprovalStatus = ApprovalStatus.APPROVED,
    message: str = "",
) -> RemoteTemplate:
    return RemoteTemplate(str(identifier), name, N, content, None, status, message)


def steps(changes: tuple[Change, ...]) -> list[tuple[str, str, str | None]]:
    return [(c.action.value, c.name, c.old_name) for c in changes]


def assert_respects_dependencies(changes: tuple[Change, ...]) -> None:
    for index, waits in enumerate(dependencies(changes)):
        assert all(w < index for w in waits), (index, waits)


def test_no_changes_when_declared_matches_remote() -> None:
    plan = make_plan([declared("a")], [remote(1, "a")], PlanOptions())
    assert (plan.changes, plan.unchanged, plan.owned) == ((), 1, 1)


def test_each_action() -> None:
    plan = make_plan(
        [
            declared("new"),
            declared("edited", "Hello there"),
            declared("renamed", renamed_from=("old-name",)),
            declared("draft"),
            declared("reviewing", "Changed"),
        ],
        [
            remote(1, "edited"),
            remote(2, "old-name"),
            remote(3, "draft", status=ApprovalStatus.NOT_SUBMITTED),
            remote(4, "reviewing", status=ApprovalStatus.PENDING),
            remote(5, "gone"),
        ],
        PlanOptions(prune=True),
    )
    by_name = {c.name: c for c in plan.changes}
    assert by_name["new"].action is Action.CREATE and by_name["new"].submit
    edited = by_name["edited"]
    assert (edited.action, edited.resets_approval, edited.template_id) == (Action.UPDATE, True, "1")
    assert [(f.field, f.old, f.new) for f in edited.fields] == [("content", "Hi", "Hello there")]
    assert (by_name["renamed"].action, by_name["renamed"].old_name) == (Action.RENAME, "old-name")
    assert not by_name["renamed"].resets_approval
    assert by_name["draft"].action is Action.SUBMIT
    assert by_name["reviewing"].action is Action.BLOCKED
    assert "under carrier review" in by_name["reviewing"].reason
    assert (by_name["gone"].action, by_name["gone"].template_id) == (Action.DELETE, "5")
    assert plan.changes[-1].action is Action.DELETE  # deletes last otherwise


def test_scope_prune_and_protect() -> None:
    remotes = [remote(1, "app-a"), remote(2, "app-b"), remote(3, "other"), remote(4, "app-keep")]
    options = PlanOptions(include=("app-*",), protect=("*-keep",))
    plan = make_plan([declared("app-a")], remotes, options)
    assert plan.changes == ()
    assert plan.owned == 3  # "other" is invisible
    assert {n.name for n in plan.notices} == {"app-b", "app-keep"}
    pruned = make_plan(
        [declared("app-a")],
        remotes,
        PlanOptions(include=("app-*",), prune=True, protect=("*-keep",)),
    )
    assert steps(pruned.changes) == [("delete", "app-b", None)]
    assert "protected" in next(n.message for n in pruned.notices if n.name == "app-keep")


def test_rejected_templates_show_their_reason_and_resubmit_on_request() -> None:
    rejected = [remote(1, "a", status=ApprovalStatus.REJECTED, message="unclear sender")]
    plan = make_plan([declared("a")], rejected, PlanOptions())
    assert plan.changes == ()
    assert "unclear sender" in plan.notices[0].message
    again = make_plan([declared("a")], rejected, PlanOptions(resubmit=True))
    assert [(c.action, c.reason) for c in again.changes] == [
        (Action.SUBMIT, "resubmit: unclear sender")
    ]


def test_fields_the_service_adds_are_not_drift() -> None:
    signed = Signature(7, SignaturePosition.SUFFIX)
    server_side = RemoteTemplate(
        "1", "a", N, "Hi", signed, ApprovalStatus.APPROVED, "", "2022-08-25T14:35:48+0800"
    )
    assert make_plan([declared("a", signature=signed)], [server_side], PlanOptions()).changes == ()
    moved = make_plan([declared("a", signature=Signature(7))], [server_side], PlanOptions())
    assert [f.field for f in moved.changes[0].fields] == ["signature"]


def test_submit_false_creates_without_review() -> None:
    plan = make_plan([declared("a", submit=False)], [], PlanOptions())
    assert not plan.changes[0].submit
    unsubmitted = [remote(1, "a", status=ApprovalStatus.NOT_SUBMITTED)]
    assert make_plan([declared("a", submit=False)], unsubmitted, PlanOptions()).changes == ()


def test_content_change_reports_encoding_and_segments() -> None:
    old = "Your order has shipped. " * 6
    plan = make_plan(
        [declared("a", old.replace("Your", "Your’", 1))], [remote(1, "a", old)], PlanOptions()
    )
    assert plan.changes[0].notes == ("GSM-7 → UCS-2 (’ at col 5), 1 → 3 segments",)


def test_swapping_two_names_goes_through_a_temporary_name() -> None:
    plan = make_plan(
        [declared("b", renamed_from=("a",)), declared("a", renamed_from=("b",))],
        [remote(1, "a"), remote(2, "b")],
        PlanOptions(),
    )
    # both names exist remotely with the declared contents: nothing to rename
    assert plan.changes == ()
    swapped = make_plan(
        [declared("b", "first", renamed_from=("a",)), declared("a", "second", ("b",))],
        [remote(1, "a", "first"), remote(2, "b", "second")],
        PlanOptions(),
    )
    # same names exist remotely with other contents: matched by name, two updates
    assert {c.action for c in swapped.changes} == {Action.UPDATE}


def test_rename_cycle_is_broken_with_a_temporary_name() -> None:
    changes = [
        Change(Action.RENAME, "b", "1", old_name="a"),
        Change(Action.RENAME, "a", "2", old_name="b"),
    ]
    from tplsync.order import ordered

    result = ordered(changes)
    assert steps(result) == [
        ("rename", f"{TEMPORARY_PREFIX}1", "a"),
        ("rename", "a", "b"),
        ("rename", "b", f"{TEMPORARY_PREFIX}1"),
    ]
    assert_respects_dependencies(result)


def test_three_way_rename_cycle() -> None:
    from tplsync.order import ordered

    result = ordered(
        [
            Change(Action.RENAME, "b", "1", old_name="a"),
            Change(Action.RENAME, "c", "2", old_name="b"),
            Change(Action.RENAME, "a", "3", old_name="c"),
        ]
    )
    assert len(result) == 4
    assert_respects_dependencies(result)
    final = {c.template_id: c.name for c in result}
    assert final == {"1": "b", "2": "c", "3": "a"}


def test_rename_away_runs_before_a_create_of_the_freed_name() -> None:
    plan = make_plan(
        [declared("a"), declared("b", "Old text", renamed_from=("a",))],
        [remote(1, "a", "Old text")],
        PlanOptions(),
    )
    # "a" still exists remotely, so it matches by name; "b" is created.
    assert steps(plan.changes) == [("update", "a", "a"), ("create", "b", None)]
    plan = make_plan(
        [declared("new-a", "x"), declared("b", "Old text", renamed_from=("a",))],
        [remote(1, "a", "Old text")],
        PlanOptions(),
    )
    assert steps(plan.changes) == [("create", "new-a", None), ("rename", "b", "a")]
    moved = make_plan(
        [declared("b", "Old text", renamed_from=("a",)), declared("a", "new text")],
        [remote(1, "a", "Old text")],
        PlanOptions(),
    )
    # renamed_from naming a declared template is a lint error; plan keeps both apart
    assert steps(moved.changes) == [("create", "b", None), ("update", "a", "a")]


def test_rename_a_to_b_while_a_new_a_is_created() -> None:
    from tplsync.order import ordered

    result = ordered(
        [
            Change(Action.CREATE, "a"),
            Change(Action.RENAME, "b", "1", old_name="a"),
        ]
    )
    assert steps(result) == [("rename", "b", "a"), ("create", "a", None)]


def test_delete_x_then_rename_y_to_x() -> None:
    plan = make_plan(
        [declared("x", "Y text", renamed_from=("y",))],
        [remote(1, "x", "X text"), remote(2, "y", "Y text")],
        PlanOptions(prune=True),
    )
    # x exists: matched by name (an update); y is pruned.
    assert steps(plan.changes) == [("update", "x", "x"), ("delete", "y", None)]
    from tplsync.order import ordered

    result = ordered(
        [
            Change(Action.RENAME, "x", "2", old_name="y"),
            Change(Action.DELETE, "x", "1"),
        ]
    )
    assert steps(result) == [("delete", "x", None), ("rename", "x", "y")]


def test_creates_follow_the_deletes_that_free_their_names() -> None:
    from tplsync.order import ordered

    result = ordered(
        [
            Change(Action.CREATE, "a"),
            Change(Action.DELETE, "a", "1"),
            Change(Action.DELETE, "unrelated", "2"),
            Change(Action.CREATE, "b"),
        ]
    )
    assert steps(result) == [
        ("delete", "a", None),
        ("create", "b", None),
        ("create", "a", None),
        ("delete", "unrelated", None),
    ]
    assert_respects_dependencies(result)


def test_markdown_is_summary_first_collapsible_and_clipped() -> None:
    plan = make_plan(
        [declared(f"t-{i:03}", "new " * 100) for i in range(300)],
        [remote(i, f"t-{i:03}", "old " * 100) for i in range(300)],
        PlanOptions(),
    )
    text = plan_markdown(plan)
    assert text.startswith(
        "### tplsync plan: 300 to update; 300 back to carrier review.\n\n| action | templates |"
    )
    assert len(text) < 65_536
    assert text.count("<details>") < 300
    assert text.rstrip().endswith("Run `tplsync plan` for the full plan._")
    shown = text.count("<details>")
    assert f"_{300 - shown} more sections not shown" in text
    small = plan_markdown(make_plan([declared("a <b>")], [], PlanOptions()))
    assert "<summary>+ create a &lt;b&gt; — submitted for review</summary>" in small
    assert "not shown" not in small


def test_a_template_left_under_a_temporary_name_is_never_pruned() -> None:
    leftover = remote(9, f"{TEMPORARY_PREFIX}9", "first")
    plan = make_plan(
        [declared("b", "first", renamed_from=("a",))], [leftover], PlanOptions(prune=True)
    )
    assert [c.action for c in plan.changes] == [Action.CREATE]
    assert "interrupted rename" in plan.notices[0].message
    resumed = make_plan(
        [declared("b", "first", renamed_from=("a", f"{TEMPORARY_PREFIX}9"))],
        [leftover],
        PlanOptions(prune=True),
    )
    assert steps(resumed.changes) == [("rename", "b", f"{TEMPORARY_PREFIX}9")]


def test_an_empty_plan_counts_its_templates_in_words() -> None:
    assert summary(Plan(changes=(), unchanged=1)) == (
        "No changes. 1 template in the account matches the files."
    )
    assert summary(Plan(changes=(), unchanged=0)) == (
        "No changes. 0 templates in the account match the files."
    )


def test_a_blocked_step_holds_back_only_signature_deletes() -> None:
    changes = (
        Change(Action.BLOCKED, "welcome", "1", reason="under review"),
        Change(Action.UPDATE, "order-shipped", "2"),
        Change(Action.DELETE, "old-promo", "3"),
        Change(Action.DELETE, "Acme", "9", subject=SIGNATURE),
    )
    assert dependencies(changes) == [set(), set(), {1}, {0, 1}]
