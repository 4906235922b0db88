"""Safety gates (SPEC §4.4): thresholds that only --force passes."""

from __future__ import annotations

from tplsync.changes import Action
from tplsync.config import Safety
from tplsync.errors import SafetyError
from tplsync.plan import Plan
from tplsync.words import plural


def refusals(plan: Plan, safety: Safety) -> list[str]:
    """Why ``plan`` is unsafe to apply without --force (empty when it is safe)."""
    reasons = []
    deletes, owned = plan.count(Action.DELETE), plan.owned
    if safety.max_deletes is not None and deletes > safety.max_deletes:
        reasons.append(f"{deletes} deletes exceed safety.max_deletes ({safety.max_deletes})")
    if owned and deletes >= owned:
        reasons.append(
            f"every owned template ({owned}) would be deleted: do the files still declare them?"
        )
    elif owned >= safety.min_owned_for_fraction and deletes > safety.max_delete_fraction * owned:
        reasons.append(
            f"{deletes} of {owned} owned templates would be deleted, more than "
            f"safety.max_delete_fraction ({safety.max_delete_fraction:g})"
        )
    if safety.max_review_resets is not None and plan.resets > safety.max_review_resets:
        reasons.append(
            f"{plan.resets} approved templates would go back to carrier review, more than "
            f"safety.max_review_resets ({safety.max_review_resets})"
        )
    return reasons


def check(plan: Plan, safety: Safety, force: bool, allow_replace: bool = False) -> None:
    replaces = plan.count(Action.REPLACE)
    if replaces and not allow_replace:
        raise SafetyError(
            f"refusing to apply: {plural(replaces, 'template')} would be deleted and created again "
            "(a new id, back to carrier review); review the plan, then apply --allow-replace"
        )
    reasons = refusals(plan, safety)
    if reasons and not force:
        raise SafetyError("refusing to apply: " + "; ".join(reasons) + " (--force to override)")
