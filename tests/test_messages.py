"""Messages a newcomer meets: each says what happened and what to do."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest import copy_example, invoke
from tplsync.commands.send import schedule_time
from tplsync.errors import InputError


def test_outside_any_project_lint_and_plan_point_at_init(project: Callable[..., Path]) -> None:
    project()
    for args in (("lint",), ("plan", "--sandbox"), ("preview",)):
        run = invoke(*args)
        assert run.exit_code == 1
        assert "no tplsync.yaml here or in a parent directory" in run.stderr
        assert "run tplsync init" in run.stderr


def test_pull_with_nothing_to_pull_says_why(project: Callable[..., Path]) -> None:
    project()
    run = invoke("pull", "--sandbox")
    assert run.exit_code == 0
    assert run.stdout == (
        "Nothing to pull: no template in the account matches 'manage'; "
        "no tplsync.yaml here: run tplsync init first.\n"
    )
    assert invoke("pull", "--sandbox", "--format", "json").stdout == (
        '{"written": [], "kept": [], "declared": {}, "duplicates": {}, '
        '"without_country_codes": []}\n'
    )


def test_status_has_a_header_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(copy_example(tmp_path / "project"))
    monkeypatch.delenv("TPLSYNC_CONFIG", raising=False)
    assert invoke("apply", "--sandbox", "--auto-approve", "-q").exit_code == 0
    lines = invoke("status", "--sandbox").stdout.splitlines()
    assert lines[0].split() == ["NAME", "ID", "STATUS", "DRIFT"]
    assert len(lines) == 13


@pytest.mark.parametrize(
    ("when", "said"),
    [
        ("+1m", "is 1 minute ahead"),
        ("+2m", "is 2 minutes ahead"),
        ("2026-01-01T11:00:00Z", "is 60 minutes in the past"),
    ],
)
def test_schedule_refusals_say_minutes_correctly(when: str, said: str) -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    with pytest.raises(InputError, match=said):
        schedule_time(when, now)


def test_pull_into_the_project_never_declares_a_name_twice(example: Path) -> None:
    assert invoke("apply", "--sandbox", "--auto-approve", "-q").exit_code == 0
    pulled = invoke("pull", "--sandbox")
    assert pulled.exit_code == 0, pulled.stderr
    assert "skipped delivery-failed (declared in delivery.yaml)" in pulled.stdout
    assert pulled.stdout.endswith("0 written, 9 kept, 3 declared elsewhere\n")
    assert invoke("lint").exit_code == 0
    listed = json.loads(invoke("pull", "--sandbox", "--format", "json").stdout)
    assert sorted(listed["declared"]) == [
        "delivery-delivered",
        "delivery-failed",
        "delivery-out-for-delivery",
    ]
    outside = invoke("pull", "--sandbox", "--dir", "../pulled")
    assert outside.stdout.endswith("12 written, 0 kept\n")


def test_an_apply_with_nothing_to_do_still_writes_its_report(example: Path) -> None:
    assert invoke("apply", "--sandbox", "--auto-approve", "-q").exit_code == 0
    run = invoke("apply", "--sandbox", "--auto-approve", "--report", "report.json")
    assert run.exit_code == 0, run.stderr
    report = json.loads((example / "report.json").read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert report["outcomes"] == []
    assert report["summary"]["applied"] == 0
