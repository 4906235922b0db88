"""init, the CI recipes, and job summaries."""

from __future__ import annotations

import os
import re
import shlex
import stat
from collections.abc import Callable
from pathlib import Path

import click
import pytest
import yaml

from tests.conftest import ROOT, invoke
from tplsync.cli import cli

RECIPES = sorted((ROOT / "examples" / "ci").glob("*.yml"))


def test_init_scaffolds_a_working_project(project: Callable[..., Path]) -> None:
    root = project()
    run = invoke("init")
    assert run.exit_code == 0, run.stderr
    for name in (
        "tplsync.yaml",
        "templates/welcome.yaml",
        ".pre-commit-config.yaml",
        ".github/workflows/tplsync.yml",
    ):
        assert (root / name).is_file(), name
    assert (root / ".github/workflows/tplsync.yml").read_text() == (
        ROOT / "examples/ci/github-actions.yml"
    ).read_text()
    # no release tag exists to pin: the hook runs the installed tplsync, as published
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    [published] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert config["repos"][0]["repo"] == "local"
    [hook] = config["repos"][0]["hooks"]
    del published["description"]
    assert hook == {**published, "language": "system"}
    assert "rev:" not in (root / ".pre-commit-config.yaml").read_text().replace("#     rev:", "")
    for recipe in (ROOT / "examples/ci").iterdir():
        assert "pip install tplsync\n" not in recipe.read_text(), recipe.name  # no such release
    assert (root / ".gitignore").read_text() == ".tplsync/\n"
    assert invoke("lint", "--strict").exit_code == 0
    assert invoke("plan", "--sandbox", "--detailed-exitcode").exit_code == 2


@pytest.mark.skipif(os.name != "posix", reason="file modes and the umask are POSIX")
def test_new_files_take_the_umasks_mode_and_rewritten_ones_keep_theirs(
    project: Callable[..., Path],
) -> None:
    root = project()
    previous = os.umask(0o022)
    try:
        assert invoke("init", "-q").exit_code == 0
        saved = invoke("plan", "--sandbox", "--out", "plan.json")
        assert saved.exit_code == 0, saved.stderr
    finally:
        os.umask(previous)
    for name in ("tplsync.yaml", "templates/welcome.yaml", ".gitignore", "plan.json"):
        assert stat.S_IMODE((root / name).stat().st_mode) == 0o644, name
    assert not list(root.glob("**/*.tmp"))
    (root / "plan.json").chmod(0o600)  # a file written again keeps its owner's choice
    assert invoke("plan", "--sandbox", "--out", "plan.json").exit_code == 0
    assert stat.S_IMODE((root / "plan.json").stat().st_mode) == 0o600


def test_init_in_a_subdirectory_of_a_repository_says_where_git_reads_hooks_and_workflows(
    project: Callable[..., Path],
) -> None:
    """pre-commit and GitHub never read the files init wrote in sms/."""
    root = project()
    (root / ".git").mkdir()
    run = invoke("init", "--dir", "sms")
    assert run.exit_code == 0
    assert run.stderr.startswith(
        "warning: pre-commit and GitHub read .pre-commit-config.yaml and "
        f".github/workflows/ only at the repository's root, {root.resolve()}: move them there"
    )
    assert "paths: filters with sms/ and set defaults: run: working-directory: sms\n" in (
        run.stderr
    )
    assert (root / "sms" / ".pre-commit-config.yaml").is_file()
    assert invoke("init", "--force").stderr == ""


def test_init_never_overwrites_without_force(project: Callable[..., Path]) -> None:
    root = project(**{"tplsync.yaml": "prune: true\n"})
    run = invoke("init")
    assert run.exit_code == 1
    assert "tplsync.yaml already exists; nothing was written" in run.stderr
    assert (root / "tplsync.yaml").read_text() == "prune: true\n"
    assert not (root / "templates").exists()
    assert invoke("init", "--force").exit_code == 0
    assert "prune: false" in (root / "tplsync.yaml").read_text()


def _commands(recipe: Path) -> list[list[str]]:
    text = recipe.read_text()
    return [
        shlex.split(line.split(">", 1)[0].split("|", 1)[0])[1:]
        for line in re.findall(r"tplsync (?:lint|plan|apply|pull|status|send|preview)[^\n]*", text)
    ]


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_ci_recipes_are_valid_yaml_using_real_commands_and_flags(recipe: Path) -> None:
    assert isinstance(yaml.safe_load(recipe.read_text()), dict)
    commands = _commands(recipe)
    assert {c[0] for c in commands} >= {"lint", "plan", "apply"}
    for words in commands:
        command = cli.commands[words[0]]
        known = {
            name
            for param in command.params
            if isinstance(param, click.Option)
            for name in param.opts + param.secondary_opts
        }
        for word in words[1:]:
            if word.startswith("--"):
                assert word.split("=")[0] in known, (recipe.name, words)


def test_job_summary_is_written_when_github_asks(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(**{"templates/a.yaml": "name: a\ntype: notification\ncontent: A [b]\n"})
    summary = root / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert invoke("lint").exit_code == 1
    text = summary.read_text()
    assert text.startswith("### tplsync lint: 2 errors, 0 warnings in 1 file")
    assert "| templates/a.yaml:3:12 | error | `forbidden-characters` |" in text
    (root / "templates/a.yaml").write_text("name: a\ntype: notification\ncontent: Hi\n")
    assert invoke("plan", "--sandbox").exit_code == 0
    assert "### tplsync plan: 1 to create." in summary.read_text()


def test_the_job_summary_shows_declared_names_without_markup(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "a|b @octocat #12 [x](http://127.0.0.1/) <b>"
    template = f"name: '{name}'\ntype: notification\ncontent: Hi\n"
    root = project(**{"templates/a.yaml": template, "templates/b.yaml": template})
    summary = root / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert invoke("lint").exit_code == 1
    rows = [line for line in summary.read_text().splitlines() if "duplicate-name" in line]
    assert len(rows) == 2
    for row in rows:
        assert row.count("|") == 5, row  # four cells: a pipe in the name splits none
        assert (
            "a&#124;b @&#8203;octocat #&#8203;12 &#91;x&#93;(http&#8203;://127.0.0.1/) &lt;b&gt;"
        ) in row


def test_file_names_show_as_text_in_the_log_and_the_job_summary(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A committed file's name is as hostile as its content: a newline must
    not start a workflow command, a backtick or pipe not escape the table."""
    template = "name: a\ntype: notification\ncontent: Hi\n"
    names = ("templates/x`@octocat #77 |q|`.yaml", "templates/n\n::error::owned.yaml")
    root = project(**dict.fromkeys(names, template))
    summary = root / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    runs = [invoke("lint", "--format", output) for output in ("github", "text")]
    for run in runs:
        assert run.exit_code == 1
        assert not [line for line in run.stdout.splitlines() if line.startswith("::error::")]
    assert "templates/n\\x0a::error::owned.yaml:1:1: error duplicate-name" in runs[1].stdout
    rows = [line for line in summary.read_text().splitlines() if "duplicate-name" in line]
    assert len(rows) == 4
    for row in rows:
        assert row.count("|") == 5, row
        assert "@octocat" not in row and "#77" not in row and "`@" not in row
        assert "x&#96;@&#8203;octocat #&#8203;77 &#124;q&#124;&#96;.yaml" in row


def test_init_extends_an_existing_gitignore_once(project: Callable[..., Path]) -> None:
    root = project(**{".gitignore": "*.pyc"})
    assert "wrote .gitignore" in invoke("init").stdout
    assert (root / ".gitignore").read_text() == "*.pyc\n.tplsync/\n"
    assert "wrote .gitignore" not in invoke("init", "--force").stdout
    assert (root / ".gitignore").read_text() == "*.pyc\n.tplsync/\n"
