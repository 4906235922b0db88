"""The tplsync-lint hook through the real pre-commit framework."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of this project, so try-repo sees exactly the working tree."""
    copy = tmp_path_factory.mktemp("hook-repo") / "tplsync"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", ".tplsync"
        ),
    )
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")
    return copy


def try_repo(hook_repo: Path, project: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(hook_repo.parent / "cache")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            "tplsync-lint",
            "--all-files",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def make_project(tmp_path: Path, templates: dict[str, str]) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "templates").mkdir()
    for name, text in templates.items():
        (tmp_path / "templates" / name).write_text(text, encoding="utf-8")
    (tmp_path / "other.yaml").write_text("not: a template\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    return tmp_path


def test_hook_passes_on_good_templates(hook_repo: Path, tmp_path: Path) -> None:
    good = {
        p.name: p.read_text(encoding="utf-8")
        for p in EXAMPLES.glob("*.yaml")
        if p.name != "tplsync.yaml"
    }
    result = try_repo(hook_repo, make_project(tmp_path, good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tplsync lint" in result.stdout
    assert "Passed" in result.stdout


def test_hook_fails_on_bad_templates(hook_repo: Path, tmp_path: Path) -> None:
    bad = {"bad.yaml": 'name: bad\ntype: notification\ncontent: "A [test] message"\n'}
    result = try_repo(hook_repo, make_project(tmp_path, bad))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "templates/bad.yaml:3:13: error forbidden-characters" in result.stdout


def test_hook_reads_the_config_of_a_project_in_a_subdirectory(
    hook_repo: Path, tmp_path: Path
) -> None:
    """pre-commit runs the hook from the repository's root; the project's
    tplsync.yaml (here: the percent syntax) is beside the templates, in sms/."""
    git(tmp_path, "init", "-q")
    (tmp_path / "sms" / "templates").mkdir(parents=True)
    (tmp_path / "sms" / "tplsync.yaml").write_text("variables: {syntax: percent}\n")
    (tmp_path / "sms" / "templates" / "code.yaml").write_text(
        'name: code\ntype: verification\ncontent: "Your code is %code%."\n'
        'samples:\n  - params: {code: "1234"}\n',
        encoding="utf-8",
    )
    git(tmp_path, "add", "-A")
    result = try_repo(hook_repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
