"""Account contents chosen to mislead whoever reads tplsync's output."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, invoke
from tests.hostile.servers import answering

INJECTED = (
    "x\n::error file=README.md::approved by security\x1b[2J\x1b]8;;http://127.0.0.1/\x07\u202e"
)


def remote(template_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "template_id": template_id,
        "template_name": name,
        "template_type": "1",
        "template_content": "Hello",
        "approval_status": 1,
        **fields,
    }


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """A project (the examples) whose account lists the given templates."""
    root = tmp_path / "project"
    shutil.copytree(EXAMPLES, root)
    monkeypatch.chdir(root)
    for name in ("TPLSYNC_CONFIG", "TPLSYNC_ENV", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENGAGELAB_SMS_USER", "account-user")
    monkeypatch.setenv("ENGAGELAB_SMS_KEY", "account-key")
    listed: list[dict[str, Any]] = []

    def answer(request: Any) -> tuple[int, dict[str, str], Any]:
        return 200, {}, {"code": 0, "result": listed, "total": len(listed)}

    with answering(answer) as (url, _):
        monkeypatch.setenv("TPLSYNC_ENDPOINT", url)

        def make(*templates: dict[str, Any]) -> str:
            listed[:] = templates
            return url

        yield make


def test_remote_text_is_printed_with_control_characters_escaped(
    account: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    account(
        remote("1", "::warning::" + INJECTED),
        remote("2", "login-code", approval_status=-1, approval_message=INJECTED),
        remote("3", "delivery-out-for-delivery", template_content=INJECTED),
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for args in (["plan"], ["plan", "--format", "markdown"], ["status"]):
        run = invoke(*args)
        assert run.exit_code in (0, 2), run.stdout + run.stderr
        output = run.stdout + run.stderr
        assert "approved by security" in output
        assert "\\x1b" in output
        for line in output.splitlines():
            assert not line.lstrip(" -`>").startswith("::"), line
        for character in ("\x1b", "\x07", "\u202e"):
            assert character not in output


def test_invisible_characters_in_remote_text_are_shown_as_pull_writes_them(
    account: Callable[..., str],
) -> None:
    hidden = "\u200b\u2060\u00ad\ufeff"
    account(remote("1", f"zw{hidden}name", template_content=f"Hi{hidden}"))
    for args in (["plan", "--prune"], ["plan", "--prune", "--format", "markdown"], ["status"]):
        run = invoke(*args)
        shown = run.stdout.replace("&#92;", "\\")  # markdown's backslash
        assert "zw\\u200b\\u2060\\xad\\ufeffname" in shown, run.stdout
        assert not set(hidden) & set(run.stdout + run.stderr), args


def test_lint_flags_control_characters_in_names(project: Callable[..., Path]) -> None:
    project(
        **{"templates__a.yaml": 'name: "safe\\u202eexe.txt"\ntype: notification\ncontent: Hi\n'}
    )
    run = invoke("lint")
    assert run.exit_code == 1
    assert "forbidden-characters" in run.stdout
    assert "\\u202e" in run.stdout
    assert "\u202e" not in run.stdout


def test_pull_never_writes_the_config_name_nor_over_the_config(
    account: Callable[..., str],
) -> None:
    # the example project reads templates from ".", beside tplsync.yaml
    config = Path("tplsync.yaml").read_text()
    account(remote("7", "tplsync"), remote("8", "TPLSYNC"))
    run = invoke("pull", "--overwrite")
    assert run.exit_code == 0, run.stderr
    assert Path("tplsync.yaml").read_text() == config
    assert sorted(p.name for p in Path().glob("tplsync*.yaml")) == [
        "tplsync-7.yaml",
        "tplsync-8.yaml",
        "tplsync.yaml",
    ]
    plan = invoke("plan", "--prune")
    assert "delete tplsync" not in plan.stdout.lower()


def test_pull_writes_long_names_of_wide_characters(account: Callable[..., str]) -> None:
    wide = "\U00020000" * 64  # four bytes each in UTF-8, kept by NFKC
    account(remote("1", "a-first"), remote("2", wide), remote("3", "z-last"))
    run = invoke("pull", "--dir", "pulled")
    assert run.exit_code == 0, run.stderr
    assert "3 written" in run.stdout
    assert {p.name for p in Path("pulled").iterdir()} >= {"a-first.yaml", "z-last.yaml"}
    names = [p.name for p in Path("pulled").iterdir()]
    assert all(len(name.encode()) <= 120 for name in names)


def test_duplicate_remote_names_are_a_problem_not_folded(account: Callable[..., str]) -> None:
    declared = Path("login-code.yaml").read_text().split("content: ")[1].split("\n")[0]
    same = {"template_type": "0", "template_content": declared.strip('"')}
    account(
        remote("101", "login-code", **same),
        remote("102", "login-code", **same),
        remote("201", "old-promo"),
        remote("202", "old-promo"),
    )
    plan = invoke("plan", "--prune")
    assert plan.exit_code == 0, plan.stderr
    for name, ids in (("login-code", "101, 102"), ("old-promo", "201, 202")):
        assert f"templates on the account are named {name} (ids {ids})" in plan.stdout
    assert "delete or rename all but one" in plan.stdout
    assert "delete old-promo" not in plan.stdout
    assert "create login-code —" not in plan.stdout
    status = invoke("status")
    duplicates = [line.split()[:2] for line in status.stdout.splitlines() if "duplicate" in line]
    assert sorted(duplicates) == [
        ["login-code", "101"],
        ["login-code", "102"],
        ["old-promo", "201"],
        ["old-promo", "202"],
    ]


MARKUP = "@octocat see #12 [here](http://127.0.0.1/x) <img src=x> www.localhost *now* or GH-7"


def test_markdown_shows_remote_text_without_mentions_links_or_html(
    account: Callable[..., str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    declared = Path("login-code.yaml").read_text().split("content: ")[1].split("\n")[0]
    account(
        remote("1", "old " + MARKUP),
        remote(
            "2",
            "login-code",
            template_type="0",
            template_content=declared.strip('"'),
            approval_status=-1,
            approval_message=MARKUP,
        ),
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = invoke("plan", "--prune", "--format", "markdown")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert summary.read_text() == run.stdout
    deleted = next(line for line in run.stdout.splitlines() if "delete old" in line)
    noted = next(line for line in run.stdout.splitlines() if "`login-code`" in line)
    for line in (deleted, noted):
        for live in ("@octocat", "#12", "[here]", "](", "<img", "http://", "www.", "*now*", "GH-7"):
            assert live not in line, line
        assert "@&#8203;octocat see #&#8203;12 &#91;here&#93;(http&#8203;://127.0.0.1/x)" in line
        assert "&lt;img src=x&gt; www&#8203;.localhost &#42;now&#42; or GH&#8203;-7" in line
