"""Template and config files built to crash, hang or exhaust tplsync."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke
from tplsync import schemacheck, templates
from tplsync.yamlsource import Document, YamlError, load_documents

HEADER = 'type: verification\ncontent: "Code {{code}}"\n'
LONG = "x" * 500_000


def tplsync(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A real process: a crash in C shows as its exit code, not as the test
    runner dying, and a hang ends at the timeout (a guard, not a measurement)."""
    return subprocess.run(
        [sys.executable, "-m", "tplsync", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    "nested",
    ["- " * 60_000 + "x\n", "x: " + "[" * 25_000 + "]" * 25_000 + "\n", "x: " + "{a: " * 30_000],
)
@pytest.mark.parametrize("where", ["templates/deep.yaml", "tplsync.yaml"])
def test_deep_nesting_is_refused_before_it_is_composed(
    project: Callable[..., Path], nested: str, where: str
) -> None:
    root = project(**{"templates__ok.yaml": f"name: ok\n{HEADER}"})
    (root / where).write_text(nested, encoding="utf-8")
    run = tplsync("lint", cwd=root)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "nesting deeper than 64 levels" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_depth_limit_is_the_same_for_short_and_long_texts() -> None:
    for padding in ("", "# " + "-" * 5000 + "\n"):
        ok = padding + "x: " + "[" * 64 + "]" * 64
        assert list(load_documents(ok, "t.yaml"))
        with pytest.raises(YamlError, match="nesting deeper than 64"):
            list(load_documents(padding + "x: " + "[" * 65 + "]" * 65, "t.yaml"))


def test_an_alias_repeating_a_long_text_is_bounded_in_characters(
    project: Callable[..., Path],
) -> None:
    samples = f'samples:\n  - params: {{code: "1"}}\n    expect: &b "{LONG}"\n'
    samples += '  - params: {code: "2"}\n    expect: *b\n' * 10
    project(**{"templates__bomb.yaml": f"name: bomb\n{HEADER}{samples}"})
    run = invoke("lint")
    assert run.exit_code == 1
    assert "more than 2,097,152 characters" in run.stdout
    assert len(run.stdout + run.stderr) < 5_000


def test_messages_clip_long_values(project: Callable[..., Path]) -> None:
    samples = f'samples:\n  - params: {{code: "1"}}\n    expect: "{LONG}"\n'
    project(**{"templates__long.yaml": f"name: long\n{HEADER}{samples}"})
    run = invoke("lint")
    assert run.exit_code == 1
    assert "renders differently" in run.stdout
    assert "more characters)" in run.stdout
    assert len(run.stdout + run.stderr) < 5_000


@pytest.mark.parametrize("value", ["2001-13-01", "2001-02-30 10:00:00", "1" * 5000])
def test_a_scalar_python_cannot_hold_is_a_problem_not_a_traceback(
    project: Callable[..., Path], value: str
) -> None:
    project(**{"templates__a.yaml": f"name: a\n{HEADER}description: {value}\n"})
    run = invoke("lint")
    assert run.exit_code == 1
    assert "templates/a.yaml:4:14: error syntax invalid tag:yaml.org,2002:" in run.stdout


def test_a_fifo_is_skipped_in_a_directory_and_refused_by_name(
    project: Callable[..., Path],
) -> None:
    root = project(**{"templates__ok.yaml": f"name: ok\n{HEADER}"})
    os.mkfifo(root / "templates" / "a.yaml")
    scanned = tplsync("lint", cwd=root)  # on a regression the read waits forever
    assert scanned.returncode == 0, scanned.stderr
    named = tplsync("lint", "templates/a.yaml", cwd=root)
    assert named.returncode == 1
    assert "templates/a.yaml:1:1: error syntax not a regular file" in named.stdout


def test_a_deeply_nested_plan_file_is_refused_as_not_a_plan(
    project: Callable[..., Path],
) -> None:
    root = project(**{"templates__ok.yaml": f"name: ok\n{HEADER}"})
    (root / "plan.json").write_text("[" * 100_000 + "]" * 100_000)
    run = invoke("apply", "--sandbox", "--plan", "plan.json", "--auto-approve")
    assert run.exit_code == 5
    assert run.stderr == "error: plan.json: the plan file is not JSON (truncated or not a plan)\n"


def test_any_plan_that_plan_out_writes_can_be_applied(project: Callable[..., Path]) -> None:
    content = "Code {{code}}. " + "Keep it to yourself. " * 20
    documents = "---\n".join(
        f'name: many-{index}\ntype: verification\ncontent: "{content}"\nsubmit: false\n'
        for index in range(1250)
    )
    root = project(**{"templates__many.yaml": documents})
    assert invoke("plan", "--sandbox", "--out", "plan.json").exit_code == 0
    assert (root / "plan.json").stat().st_size > 1024 * 1024
    run = invoke("apply", "--sandbox", "--plan", "plan.json")
    # read, verified and shown; only the missing terminal stops it
    assert run.exit_code == 4, run.stderr
    assert "no terminal to confirm on" in run.stderr
    assert "Plan: 1250 to create." in run.stdout


@pytest.mark.parametrize("age", ["nan", "inf", "-1h", "nanm"])
def test_max_plan_age_must_be_a_duration(project: Callable[..., Path], age: str) -> None:
    project(**{"templates__ok.yaml": f"name: ok\n{HEADER}"})
    assert invoke("plan", "--sandbox", "--out", "plan.json").exit_code == 0
    run = invoke(
        "apply", "--sandbox", "--plan", "plan.json", "--auto-approve", "--max-plan-age", age
    )
    assert run.exit_code == 64
    assert f"{age!r}: expected e.g. 90s" in run.stderr


class CountingText(str):
    """A file's text that counts how often it is split into lines."""

    splits = 0

    def splitlines(self, keepends: bool = False) -> list[str]:
        CountingText.splits += 1
        return super().splitlines(keepends)


def test_disable_comments_are_found_with_one_split_per_file(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = "---\n".join(f"name: t{index}\n{HEADER}" for index in range(300))
    root = project(**{"templates__many.yaml": "# tplsync: disable=segments\n" + documents})
    load = load_documents

    def counting(text: str, *args: Any, **kwargs: Any) -> Iterator[Document]:
        shared = CountingText(text)  # one text for all documents, as the loader gives
        return (replace(d, text=shared) for d in load(text, *args, **kwargs))

    monkeypatch.setattr(templates, "load_documents", counting)
    CountingText.splits = 0
    loaded = templates.load_file(root / "templates" / "many.yaml")
    assert len(loaded.templates) == 300
    assert loaded.templates[0].disabled_rules == {"segments"}
    assert CountingText.splits == 1


def test_unique_items_compares_no_pairs(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = []
    equal = schemacheck._equal

    def counted(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return equal(a, b)

    monkeypatch.setattr(schemacheck, "_equal", counted)
    old = "".join(f"\n  - old-{index}" for index in range(2000))
    root = project(**{"templates__a.yaml": f"name: a\n{HEADER}renamed_from:{old}\n"})
    assert templates.load_file(root / "templates" / "a.yaml").problems == ()
    repeated = project(**{"templates__b.yaml": f"name: b\n{HEADER}renamed_from:{old}{old}\n"})
    problems = templates.load_file(repeated / "templates" / "b.yaml").problems
    assert [p.message[:20] for p in problems] == ["renamed_from: ['old-"]
    assert len(compared) < 2000


def test_a_refused_plan_says_how_old_it_is(project: Callable[..., Path]) -> None:
    project(**{"templates__ok.yaml": f"name: ok\n{HEADER}"})
    assert invoke("plan", "--sandbox", "--out", "plan.json").exit_code == 0
    run = invoke("apply", "--sandbox", "--plan", "plan.json", "--max-plan-age", "0s")
    assert run.exit_code == 5
    assert re.fullmatch(
        r"error: plan.json: the plan is (1 second|([02-9]|\d\d+) seconds) old, "
        r"more than --max-plan-age allows \(0 seconds\)\n",
        run.stderr,
    )
