"""The lint and preview commands as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest

from tests.conftest import EXAMPLES, invoke
from tplsync.cli import cli

GOOD = 'name: ok\ntype: notification\ncontent: "Hi {{name}}."\n'
WARN = 'name: warn\ntype: notification\ncontent: "Hi  {{name}}."\n'
BAD = 'name: bad\ntype: notification\ncontent: "A [test] message"\n'


def test_examples_lint_clean_even_when_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    run = invoke("lint", "--strict")
    assert (run.exit_code, run.stdout.strip()) == (0, "10 files checked, no problems")


def test_examples_are_a_realistic_set() -> None:
    run = invoke("preview", "--config", str(EXAMPLES / "tplsync.yaml"), "--format", "json")
    renderings = json.loads(run.stdout)
    names = {r["template"] for r in renderings}
    assert len(names) >= 10
    assert {r["encoding"] for r in renderings} == {"GSM-7", "UCS-2"}
    assert any(r["text"].startswith("Acme: ") for r in renderings)  # a signature


def test_text_output_and_exit_codes(project: Callable[..., Path]) -> None:
    project(**{"templates/good.yaml": GOOD, "templates/warn.yaml": WARN})
    run = invoke("lint")
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "templates/warn.yaml:3:13: warning whitespace 2 spaces in a row at col 3",
        "0 errors, 1 warning in 2 files",
    ]
    assert invoke("lint", "--strict").exit_code == 1
    project(**{"templates/bad.yaml": BAD})
    run = invoke("lint", "--quiet")
    assert run.exit_code == 1
    assert "templates/bad.yaml:3:13: error forbidden-characters '[' at col 3" in run.stdout
    assert "errors," not in run.stdout


def test_paths_may_be_files_directories_or_globs(project: Callable[..., Path]) -> None:
    project(**{"a/one.yaml": GOOD, "b/two.yml": WARN.replace("warn", "two"), "c/x.txt": "no"})
    assert "2 files" in invoke("lint", "a", "b").stdout
    assert "1 file " in invoke("lint", "*/one.yaml").stdout
    missing = invoke("lint", "nowhere")
    assert (missing.exit_code, missing.stderr.strip()) == (
        1,
        "error: nowhere: no such file or directory",
    )


def test_a_file_named_many_ways_is_loaded_once(project: Callable[..., Path]) -> None:
    """``..`` segments and symbolic links name one file in many ways: read
    twice, its name was declared twice, and the project's signatures.yaml
    was read as a template file."""
    root = project(**{"a/one.yaml": GOOD, "signatures.yaml": "- name: Acme\n"})
    (root / "a" / "link.yaml").symlink_to("one.yaml")
    (root / "a" / "signs.yaml").symlink_to("../signatures.yaml")
    for paths in (["a", "a/../a/one.yaml"], ["a/..", "a/one.yaml"], ["a", "a/one.yaml"]):
        run = invoke("lint", *paths)
        assert (run.exit_code, run.stdout.strip()) == (0, "1 file checked, no problems"), paths
    assert "schema must be an object" in invoke("lint", "a/signs.yaml").stdout


def test_json_output(project: Callable[..., Path]) -> None:
    project(**{"templates/bad.yaml": BAD})
    data = json.loads(invoke("lint", "--format", "json").stdout)
    assert (data["version"], data["files"], data["errors"], data["warnings"]) == (1, 1, 3, 0)
    assert data["problems"][0] == {
        "path": "templates/bad.yaml",
        "line": 3,
        "column": 13,
        "level": "error",
        "rule": "forbidden-characters",
        "message": "'[' at col 3 is rejected by the service; use '(' instead",
    }


def test_github_annotations_are_capped_at_ten_per_level(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"templates/t{i:02}.yaml": BAD.replace("bad", f"t{i}") for i in range(5)}
    files.update({f"templates/w{i:02}.yaml": WARN.replace("warn", f"w{i}") for i in range(3)})
    project(**files)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    lines = invoke("lint").stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 10
    assert len(warnings) == 3
    assert errors[0].startswith(
        "::error file=templates/t00.yaml,line=3,col=13,title=tplsync forbidden-characters::"
    )
    plain = [line for line in lines if line.startswith("templates/")]
    assert len(plain) == 5  # 15 errors: 10 annotated, 5 listed
    assert lines[-1].startswith("::notice title=tplsync lint::5 more problems")


def test_github_escapes_data(project: Callable[..., Path]) -> None:
    project(
        **{
            "templates/x,y.yaml": 'name: x\ntype: notification\ncontent: "50% off {{a}}"\n'
            "samples:\n  - params: {a: x}\n    expect: 50% off y\n"
        }
    )
    run = invoke("lint", "--format", "github")
    assert run.stdout.splitlines()[0] == (
        "::error file=templates/x%2Cy.yaml,line=6,col=5,title=tplsync sample-coverage::"
        "sample 1 renders differently from expect: rendered '50%25 off x', expected '50%25 off y'"
    )


def test_github_annotations_name_files_from_the_repository_root(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub reads a relative file= from the workspace, not from a step's
    working-directory: a path relative to sms/ annotated no file."""
    root = project(**{"sms/tplsync.yaml": "templates: [templates]\n", "sms/templates/b.yaml": BAD})
    monkeypatch.chdir(root / "sms")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root))
    run = invoke("lint")
    assert run.exit_code == 1
    assert run.stdout.startswith("::error file=sms/templates/b.yaml,line=3,col=13,")
    monkeypatch.chdir(root / "sms" / "templates")
    assert invoke("lint", "../templates/b.yaml").stdout.startswith(
        "::error file=sms/templates/b.yaml,line=3,"
    )
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root / "elsewhere"))
    assert invoke("lint").stdout.startswith("::error file=b.yaml,line=3,")


def test_lint_of_files_outside_the_working_directory_reads_their_project_config(
    project: Callable[..., Path],
) -> None:
    """pre-commit runs the hook from the repository's root: a project in sms/
    was linted with the defaults, its syntax and rules ignored."""
    project(
        **{
            "sms/tplsync.yaml": "variables: {syntax: percent}\n",
            "defaults.yaml": "prune: false\n",
            "sms/templates/code.yaml": "name: code\ntype: verification\n"
            'content: "Your code is %code%."\nsamples:\n  - params: {code: "1234"}\n',
        }
    )
    run = invoke("lint", "sms/templates/code.yaml")
    assert (run.exit_code, run.stdout.strip()) == (0, "1 file checked, no problems")
    assert invoke("lint", "sms/templates").exit_code == 0
    run = invoke("lint", "--config", "defaults.yaml", "sms/templates/code.yaml")
    assert run.exit_code == 1
    assert "placeholder-syntax" in run.stdout


def test_lint_of_files_in_two_projects_reads_each_project_config(
    project: Callable[..., Path],
) -> None:
    """pre-commit names the changed files of every project at once: the first
    file's project set the syntax for all, and the order decided the result."""
    code = 'name: {}\ntype: verification\ncontent: "Your code is {}."\n'
    root = project(
        **{
            "a/tplsync.yaml": "variables: {syntax: percent}\n",
            "a/templates/code.yaml": code.format("a", "%code%"),
            "b/tplsync.yaml": "variables: {syntax: mustache}\n",
            "b/templates/code.yaml": code.format("b", "{{code}}"),
        }
    )
    (root / "link").symlink_to(root / "a" / "templates")
    for paths in (["a/templates/code.yaml", "b/templates"], ["b/templates", "link/code.yaml"]):
        run = invoke("lint", *paths)
        assert (run.exit_code, run.stdout.strip()) == (0, "2 files checked, no problems")
    run = invoke("lint", "--config", "b/tplsync.yaml", "b/templates", "a/templates/code.yaml")
    assert run.exit_code == 1
    assert run.stdout.startswith("a/templates/code.yaml:3:1: error verification-variable")
    (root / "b" / "tplsync.yaml").write_text("variables: [percent\n")
    run = invoke("lint", "a/templates", "b/templates")
    assert run.exit_code == 1
    [line] = run.stderr.splitlines()
    assert line.startswith(f"error: {root / 'b' / 'tplsync.yaml'}:2:1: ")


def test_config_errors_and_usage_errors_have_their_exit_codes(
    project: Callable[..., Path],
) -> None:
    project(**{"tplsync.yaml": "lint: {rules: {segments: {max_segmnets: 2}}}\n"})
    run = invoke("lint")
    assert run.exit_code == 1
    assert run.stderr.startswith("error: ")
    assert "tplsync.yaml:1:27: lint.rules.segments: unknown key 'max_segmnets'" in run.stderr
    assert invoke("lint", "--format", "yaml").exit_code == 64
    assert invoke("nonsense").exit_code == 64


@pytest.mark.parametrize(
    ("args", "command", "expected"),
    [
        (["lint", "--format", "yaml"], "lint", "Invalid value for '--format': 'yaml' is not"),
        (["nonsense"], "", "No such command 'nonsense'."),
        (["plan", "--fromat", "json"], "plan", "No such option '--fromat'."),
        (["preview", "--param"], "preview", "Option '--param' requires an argument."),
        (["otp", "send", "--to"], "otp send", "Option '--to' requires an argument."),
        (["otp", "nonsense"], "otp", "No such command 'nonsense'."),
        (["sandbox", "--port", "http"], "sandbox", "Invalid value for '--port': 'http' is not a"),
    ],
)
def test_a_usage_error_is_one_line_that_points_at_help(
    args: list[str], command: str, expected: str
) -> None:
    run = invoke(*args)
    assert run.exit_code == 64
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith(f"error: {expected}")
    assert line.endswith(f" (see {' '.join(['tplsync', command]).strip()} --help)")
    assert "Usage:" not in run.stderr and "Traceback" not in run.stderr


def test_a_usage_error_does_not_echo_a_secret_given_as_a_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key pasted after --sample is not printed back to a CI log."""
    monkeypatch.setenv("ENGAGELAB_SMS_KEY", "sms-key-4f9a2c")
    monkeypatch.setenv("ENGAGELAB_DEV_SECRET", "dev-secret-77b1e0")
    for args in (
        ["send", "--sample", "sms-key-4f9a2c"],
        ["sandbox", "--port", "dev-secret-77b1e0"],
    ):
        run = invoke(*args)
        assert run.exit_code == 64
        assert "secret" not in run.stderr and "key-4f" not in run.stderr
        assert "'[redacted]' is not a valid integer" in run.stderr


@pytest.mark.parametrize("args", [[], ["otp"]])
def test_a_group_alone_shows_its_help(args: list[str]) -> None:
    run = invoke(*args)
    assert run.exit_code == 64
    assert run.stderr.startswith(" ".join(["Usage: tplsync", *args, "[OPTIONS] COMMAND"]))
    assert "\nCommands:\n" in run.stderr and "error:" not in run.stderr


def test_preview_samples_and_params(project: Callable[..., Path]) -> None:
    project(
        **{
            "tplsync.yaml": 'signatures: {"5": "Acme: "}\n',
            "templates/t.yaml": "name: t\ntype: notification\nsignature: {id: 5}\n"
            'content: "Hi {{name}}, code {{code}}"\n'
            "samples:\n  - params: {name: Zoë, code: 0042}\n",
        }
    )
    run = invoke("preview")
    assert "│ Acme: Hi Zoë, code 0042" in run.stdout
    assert (
        "UCS-2 because of 'ë' (LATIN SMALL LETTER E WITH DIAERESIS) at col 12: use 'e'"
        in run.stdout
    )
    data = json.loads(invoke("preview", "t", "--param", "name=Bob", "--format", "json").stdout)
    assert data == [
        {
            "template": "t",
            "sample": "params",
            "text": "Acme: Hi Bob, code {{code}}",
            "encoding": "GSM-7",
            "characters": 27,
            "units": 31,  # { and } are extension characters: 2 septets each
            "segments": 1,
            "ucs2_characters": [],
            "declared": {
                "best": None,
                "worst": None,
                "undeclared": ["name", "code"],
                "unbounded": [],
                "can_force_ucs2": [],
            },
            "segments_by_case": {"sample": 1, "typical": 1, "worst": None},
        }
    ]
    unknown = invoke("preview", "tt")
    assert (unknown.exit_code, unknown.stderr.strip()) == (
        1,
        "error: no template named 'tt' (did you mean 't'?)",
    )
    assert invoke("preview", "--param", "novalue").exit_code == 64


BROKEN = "name: broken\ntype: nope\ncontent: Hi\n"
BROKEN_AT = (
    "templates/broken.yaml:2:1: type: 'nope' is not one of: verification, notification, marketing"
)


def test_preview_warns_of_a_file_that_does_not_load_and_shows_the_others(
    project: Callable[..., Path],
) -> None:
    project(**{"templates/good.yaml": GOOD, "templates/broken.yaml": BROKEN})
    warning = f"warning: {BROKEN_AT}; its file is not previewed (run tplsync lint)\n"
    one = invoke("preview", "ok")
    assert (one.exit_code, one.stderr) == (0, warning)
    assert "│ Hi {{name}}." in one.stdout
    every = invoke("preview", "--format", "json")
    assert (every.exit_code, every.stderr) == (1, warning)
    assert {rendering["template"] for rendering in json.loads(every.stdout)} == {"ok"}


def test_preview_of_a_name_a_file_that_does_not_load_declares_is_an_error(
    project: Callable[..., Path],
) -> None:
    project(
        **{
            "templates/good.yaml": GOOD,
            "templates/broken.yaml": BROKEN,
            "templates/two.yaml": "name: fine\ntype: notification\ncontent: Hi\n---\n"
            "name: other\ntype: notification\n",
        }
    )
    declared = invoke("preview", "fine")
    assert (declared.exit_code, declared.stdout) == (1, "")
    assert declared.stderr == (
        "error: templates/two.yaml:5:1: missing required key 'content' (run tplsync lint)\n"
    )
    unread = invoke("preview", "broken")
    assert (unread.exit_code, unread.stdout) == (1, "")
    assert unread.stderr == (
        f"error: no template named 'broken' in the files that load; {BROKEN_AT} "
        "(run tplsync lint)\n"
    )


def test_preview_of_a_name_declared_twice_names_both_places(project: Callable[..., Path]) -> None:
    project(**{"templates/a.yaml": GOOD, "templates/b.yaml": "# again\n" + GOOD})
    run = invoke("preview", "ok")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        "error: template 'ok' is declared 2 times (templates/a.yaml:1:1, templates/b.yaml:2:1): "
        "a name is declared once (run tplsync lint)\n"
    )


def test_preview_of_all_warns_of_a_name_declared_twice(project: Callable[..., Path]) -> None:
    project(**{"templates/a.yaml": GOOD, "templates/b.yaml": "# again\n" + GOOD})
    run = invoke("preview")
    assert run.exit_code == 1
    assert run.stderr == (
        "warning: template 'ok' is declared 2 times (templates/a.yaml:1:1, "
        "templates/b.yaml:2:1): a name is declared once (run tplsync lint)\n"
    )
    assert run.stdout.count("│ Hi {{name}}.") == 2


def test_preview_text_is_a_segment_calculator() -> None:
    data = json.loads(invoke("preview", "--text", "a" * 161, "--format", "json").stdout)
    assert data == {
        "encoding": "GSM-7",
        "characters": 161,
        "units": 161,
        "segments": 2,
        "ucs2_characters": [],
    }
    text = invoke("preview", "--text", "Price – 5€").stdout
    assert text.startswith("UCS-2, 10 characters, 10 UTF-16 units, 1 segment")
    assert invoke("preview", "x", "--text", "y").exit_code == 64


def test_installed_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tplsync", "lint", "t.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("t.yaml:2:1: error syntax ")
    assert "Traceback" not in result.stderr


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize(("name", "command"), list(_commands(cli)), ids=lambda v: str(v))
def test_every_option_of_every_command_has_help_text(name: str, command: click.Command) -> None:
    assert command.help, name
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"{name} {parameter.opts[0]}"
        choices = getattr(parameter.type, "choices", None)
        assert choices is None or len(choices) > 1, f"{name} {parameter.name}: one choice"


def test_otp_send_offers_no_flag_of_the_template_api() -> None:
    run = invoke("otp", "send", "--help")
    assert run.exit_code == 0
    assert "--sandbox" in run.stdout and "--insecure" in run.stdout
    assert "--endpoint" not in run.stdout and "--parallelism" not in run.stdout


def test_a_sandbox_command_outside_a_project_leaves_nothing_behind(
    project: Callable[..., Path],
) -> None:
    root = project()
    run = invoke("status", "--sandbox")
    assert run.exit_code == 1
    assert "run tplsync init" in run.stderr
    assert list(root.iterdir()) == []


def test_preview_warns_of_a_param_no_previewed_template_uses(
    project: Callable[..., Path],
) -> None:
    project(
        **{
            "templates__a.yaml": 'name: a\ntype: notification\ncontent: "Hi {{name}}"\n',
            "templates__b.yaml": 'name: b\ntype: notification\ncontent: "Code {{code}}"\n',
        }
    )
    run = invoke("preview", "a", "--param", "nmae=Bob", "--param", "name=Ann")
    assert run.exit_code == 0
    assert run.stderr.splitlines() == [
        "warning: --param nmae is used by no previewed template's content"
    ]
    assert "Hi Ann" in run.stdout and "nmae" not in run.stdout
    everything = invoke("preview", "--param", "code=1", "--param", "name=Ann")
    assert everything.exit_code == 0 and everything.stderr == ""


def test_a_sandbox_command_removes_its_directory_only_while_it_is_empty(
    tmp_path: Path,
) -> None:
    """Another process may write or delete .tplsync/ meanwhile: neither is
    removed under it, nor is its absence a traceback."""
    from tplsync.sandbox.embedded import embedded_sandbox

    state = tmp_path / ".tplsync"
    with embedded_sandbox(tmp_path):
        (state / "notes.txt").write_text("mine\n")
    assert (state / "notes.txt").read_text() == "mine\n"
    (state / "notes.txt").unlink()
    with embedded_sandbox(tmp_path):
        pass
    assert state.is_dir()  # there before: kept
    state.rmdir()
    with embedded_sandbox(tmp_path):
        state.rmdir()
    assert not state.exists()
