"""pull writes only inside its directory, with deterministic names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import invoke
from tplsync.errors import InputError
from tplsync.model import ApprovalStatus, RemoteTemplate, TemplateType
from tplsync.placeholders import Syntax
from tplsync.pull import file_names, pull, slug
from tplsync.safetext import escape

HOSTILE = [
    "../../x",
    "/etc/passwd",
    "a/b",
    "CON",
    "con.txt",
    "Order",
    "order",
    "tab\tname\x07",
    "..",
    ".",
    "",
    "名" * 64,
    "nul",
]


def remote(identifier: int, name: str, content: str = "Hi {{name}}") -> RemoteTemplate:
    return RemoteTemplate(
        str(identifier), name, TemplateType.NOTIFICATION, content, None, ApprovalStatus.APPROVED
    )


@pytest.mark.parametrize("name", HOSTILE)
def test_slugs_are_plain_file_stems(name: str) -> None:
    stem = slug(name)
    assert stem and "/" not in stem and "\\" not in stem and not stem.startswith(".")
    assert all(ch.isprintable() for ch in stem)
    assert stem.split(".")[0] not in {"con", "nul", "prn", "aux"}
    assert len(stem) <= 60


def test_collisions_are_resolved_by_id_whatever_the_listing_order() -> None:
    templates = [remote(7, "Order"), remote(3, "order"), remote(5, "ORDER")]
    names = file_names(templates)
    assert names == {"3": "order.yaml", "5": "order-5.yaml", "7": "order-7.yaml"}
    assert file_names(list(reversed(templates))) == names


def test_pull_writes_only_inside_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "out"
    templates = [remote(i, name) for i, name in enumerate(HOSTILE, start=1)]
    result = pull(templates, target, None, False, Syntax.MUSTACHE)
    assert len(result.written) == len(HOSTILE)
    assert sorted(p.parent for p in tmp_path.rglob("*.yaml")) == [target] * len(HOSTILE)
    for path in target.iterdir():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["name"] in HOSTILE
        assert data["samples"] == [{"params": {"name": "<name>"}}]


def test_existing_files_are_kept_and_symlinks_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep me")
    (target / "evil.yaml").symlink_to(outside)
    (target / "kept.yaml").write_text("mine")
    result = pull([remote(1, "kept")], target, None, False, Syntax.MUSTACHE)
    assert result.skipped == (str(target / "kept.yaml"),)
    assert (target / "kept.yaml").read_text() == "mine"
    with pytest.raises(InputError, match="symbolic link"):
        pull([remote(2, "evil")], target, None, True, Syntax.MUSTACHE)
    assert outside.read_text() == "keep me"


def test_match_selects_names(tmp_path: Path) -> None:
    result = pull(
        [remote(1, "promo-a"), remote(2, "otp")], tmp_path, "promo-*", False, Syntax.MUSTACHE
    )
    assert [Path(p).name for p in result.written] == ["promo-a.yaml"]


HIDDEN = "\u202e\u2066\u200b\u200d\u2060\u00ad\ufeff\U000e0041"


def test_pulled_yaml_writes_invisible_characters_as_escapes_that_read_back(
    project: Callable[..., Path],
) -> None:
    root = project()
    assert invoke("init", "-q").exit_code == 0
    hidden_escaped = "".join(map(escape, HIDDEN))
    (root / "templates" / "hidden.yaml").write_text(
        f'name: "re\\u200bset"\ntype: notification\n'
        f'content: "Code {{{{code}}}} {hidden_escaped}\\u202c end"\nsubmit: false\n',
        encoding="utf-8",
    )
    assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    (root / "templates" / "hidden.yaml").unlink()
    run = invoke("pull", "--sandbox")
    assert run.exit_code == 0, run.stdout + run.stderr
    text = (root / "templates" / "re-set.yaml").read_text(encoding="utf-8")
    assert not set(HIDDEN) & set(text), text
    assert 'name: "re\\u200bset"' in text
    assert f"{hidden_escaped}\\u202c end".lower() in text.lower()
    assert yaml.safe_load(text)["content"] == f"Code {{{{code}}}} {HIDDEN}\u202c end"
    plan = invoke("plan", "--sandbox", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    assert plan.stdout.startswith("No changes. 2 templates")
