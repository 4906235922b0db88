"""signatures.yaml: loading with positions, and the changes it plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from tplsync.changes import Action
from tplsync.errors import InputError
from tplsync.model import ApprovalStatus, DeclaredSignature, RemoteSignature
from tplsync.plan import Notice
from tplsync.signatures import load_signatures, plan_signatures

APPROVED, PENDING = ApprovalStatus.APPROVED, ApprovalStatus.PENDING


def test_no_file_means_signatures_are_not_managed(tmp_path: Path) -> None:
    assert load_signatures(tmp_path) is None


def test_a_file_declares_names_and_earlier_names(tmp_path: Path) -> None:
    (tmp_path / "signatures.yaml").write_text(
        "- name: Acme\n- name: Acme Shop\n  renamed_from: [AcmeShop]\n", encoding="utf-8"
    )
    declared = load_signatures(tmp_path)
    assert declared == [
        DeclaredSignature("Acme"),
        DeclaredSignature("Acme Shop", ("AcmeShop",)),
    ]
    assert declared is not None and declared[1].position.line == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- name: A\n", "signatures.yaml:1:"),
        ("- name: Acme\n- name: Acme\n", "declared twice (first at line 1)"),
        ("- name: 【Acme】\n", "signatures.yaml:1:"),
        ("name: Acme\n", "signatures.yaml:1:"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "signatures.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_signatures(tmp_path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_create_rename_delete_and_protect() -> None:
    declared = [DeclaredSignature("New"), DeclaredSignature("Renamed", ("Old",))]
    remote = [
        RemoteSignature("1", "Old", APPROVED),
        RemoteSignature("2", "Gone", APPROVED),
        RemoteSignature("3", "Kept", APPROVED),
    ]
    planned = plan_signatures(declared, remote, prune=True, protect=["Kept"])
    changes = planned.changes
    assert [(c.action, c.name, c.template_id) for c in changes] == [
        (Action.CREATE, "New", None),
        (Action.RENAME, "Renamed", "1"),
        (Action.DELETE, "Gone", "2"),
    ]
    assert changes[1].resets_approval
    assert planned.notices == (
        Notice("Kept", "signature not declared, but protected: never deleted"),
    )
    unpruned = plan_signatures(declared, remote, prune=False, protect=[])
    assert Action.DELETE not in [c.action for c in unpruned.changes]
    assert [notice.name for notice in unpruned.notices] == ["Gone", "Kept"]


def test_a_pending_signature_cannot_be_renamed() -> None:
    declared = [DeclaredSignature("Renamed", ("Old",))]
    planned = plan_signatures(declared, [RemoteSignature("1", "Old", PENDING)], False, [])
    assert [c.action for c in planned.changes] == [Action.BLOCKED]


def test_only_an_approved_unchanged_signature_is_usable() -> None:
    declared = [
        DeclaredSignature("Ready"),
        DeclaredSignature("Waiting"),
        DeclaredSignature("New"),
        DeclaredSignature("Refused"),
    ]
    remote = [
        RemoteSignature("1", "Ready", APPROVED),
        RemoteSignature("2", "Waiting", PENDING),
        RemoteSignature("3", "Refused", ApprovalStatus.REJECTED, "brand unclear"),
    ]
    assert plan_signatures(declared, remote, False, []).waiting == {
        "Waiting": "under review",
        "New": "to be reviewed after this apply",
        "Refused": "rejected: brand unclear",
    }
