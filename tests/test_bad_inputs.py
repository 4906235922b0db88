"""Every command with the mistakes people make: no traceback, the documented
exit code, one line saying what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import copy_example, invoke
from tplsync.errors import ExitCode

INVALID, API, USAGE = ExitCode.INVALID_INPUT, ExitCode.API_FAILURE, ExitCode.USAGE
# A path no one can write: the kernel refuses new files in a process's /proc entry.
IMPOSSIBLE = "/proc/1/state.json"
SANDBOX_COMMANDS = (
    ("plan", "--sandbox"),
    ("apply", "--sandbox", "--auto-approve"),
    ("pull", "--sandbox"),
    ("status", "--sandbox"),
    ("preview", "--html", "site", "--sandbox"),
    ("send", "verify-code", "--to", "+8613800138000", "--sandbox", "--dry-run"),
    ("otp", "send", "1", "--to", "+8613800138000", "--sandbox"),
)
CONFIG_COMMANDS = (*SANDBOX_COMMANDS, ("lint",), ("preview",))


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    exit_code: int
    env: dict[str, str] = field(default_factory=dict)
    state: str | None = None  # text of .tplsync/sandbox.json


CASES = [
    *(
        Case(command, INVALID, env={"TPLSYNC_TIMEOUT": value})
        for command in CONFIG_COMMANDS
        for value in ("0", "-1", "nan", "1e400", "soon")
    ),
    *(
        Case(command, INVALID, env={variable: value})
        for command in (("lint",), ("plan", "--sandbox"))
        for variable, value in (
            ("TPLSYNC_PRUNE", "maybe"),
            ("TPLSYNC_SYNTAX", "jinja"),
            ("TPLSYNC_SANDBOX_REVIEW_DELAY", "-1"),
            ("TPLSYNC_SMS_ENDPOINT", "ftp://x"),
        )
        if variable != "TPLSYNC_SANDBOX_REVIEW_DELAY" or command != ("lint",)
    ),
    *(Case(command, INVALID, state=text) for command in SANDBOX_COMMANDS for text in ("", "{]")),
    Case(("plan", "--sandbox", "--parallelism", "0"), USAGE),
    *(
        Case(command, INVALID, env={"TPLSYNC_PARALLELISM": value})
        for command in (("plan", "--sandbox"), ("apply", "--sandbox", "--auto-approve"))
        for value in ("many", "0", "65")
    ),
    Case(("plan", "--sandbox", "--out", "afile/plan.json"), INVALID),
    Case(("plan", "--sandbox", "--out", IMPOSSIBLE), INVALID),
    Case(("pull", "--sandbox", "--dir", "afile/sub"), INVALID),
    Case(("apply", "--sandbox", "--plan", "missing.json"), USAGE),
    Case(("apply", "--sandbox", "--max-plan-age", "soon"), USAGE),
    Case(("apply", "--sandbox", "--auto-approve", "--wait-for-review=soon"), USAGE),
    Case(("apply", "--sandbox", "--auto-approve", "--report", "afile/r.json"), API),
    Case(("apply", "--sandbox", "--auto-approve", "--report", IMPOSSIBLE), API),
    Case(("lint", "missing.yaml"), INVALID),
    Case(("lint", "--config", "missing.yaml"), INVALID),
    Case(("preview", "no-such-template"), INVALID),
    Case(("preview", "--param", "no-equals-sign"), USAGE),
    Case(("preview", "--html", "afile/site"), INVALID),
    Case(("send", "verify-code", "--to", "12", "--sandbox"), INVALID),
    Case(("send", "verify-code", "--to", "+8613800138000", "--sample", "x"), USAGE),
    Case(("send", "verify-code", "--to", "+8613800138000", "--schedule-at", "soon"), INVALID),
    Case(("otp", "send", "1", "--to", "+8613800138000", "--param", "x", "--sandbox"), USAGE),
    Case(("status", "--sandbox", "--format", "yaml"), USAGE),
    Case(("sandbox", "--state", "afile/state.json"), INVALID),
    Case(("sandbox", "--state", IMPOSSIBLE), INVALID),
    Case(("sandbox", "--seed", "missing"), USAGE),
    Case(("sandbox", "--port", "x"), USAGE),
    Case(("sandbox", "--reject", "no-equals-sign", "--port", "0"), INVALID),
    Case(("init", "--dir", "afile/sub"), INVALID),
    Case(("init", "--dir", IMPOSSIBLE), INVALID),
]


def label(case: Case) -> str:
    extra = [f"{k}={v}" for k, v in case.env.items()]
    if case.state is not None:
        extra.append(f"state={case.state!r}")
    return " ".join([*case.args, *extra])


@pytest.mark.parametrize("case", CASES, ids=label)
def test_bad_input_is_one_line_and_its_exit_code(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example(tmp_path / "project")
    (project / "afile").write_text("a file, not a directory\n", encoding="utf-8")
    if case.state is not None:
        (project / ".tplsync").mkdir()
        (project / ".tplsync" / "sandbox.json").write_text(case.state, encoding="utf-8")
    monkeypatch.chdir(project)
    for name in ("TPLSYNC_ENDPOINT", "TPLSYNC_CONFIG", "TPLSYNC_ENV", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "0")
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    run = invoke(*case.args)
    assert "Traceback" not in run.stdout + run.stderr
    assert run.exit_code == case.exit_code, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1, run.stderr


def test_a_report_that_cannot_be_written_does_not_hide_the_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example(tmp_path / "project")
    (project / "afile").write_text("", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("TPLSYNC_CONFIG", raising=False)
    run = invoke("apply", "--sandbox", "--auto-approve", "--report", "afile/report.json")
    assert run.exit_code == ExitCode.API_FAILURE
    assert "Apply: 12 applied" in run.stdout
    assert "the apply ran, but its report was not written" in run.stderr
    assert invoke("plan", "--sandbox", "--detailed-exitcode").exit_code == ExitCode.OK


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("{]", "not JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
        ("[]", "not the JSON object the sandbox writes"),
        ('{"templates": 5}', "not the JSON object the sandbox writes"),
    ],
)
def test_a_corrupt_sandbox_state_is_described_in_the_users_terms(
    state: str, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example(tmp_path / "project")
    (project / ".tplsync").mkdir()
    (project / ".tplsync" / "sandbox.json").write_text(state, encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("TPLSYNC_CONFIG", raising=False)
    run = invoke("status", "--sandbox")
    assert run.exit_code == INVALID
    assert run.stderr == (
        f"error: {project / '.tplsync' / 'sandbox.json'}: not a sandbox state file ({reason}); "
        "delete it to start the sandbox account afresh\n"
    )


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (("plan", "--sandbox", "--out", "afile/plan.json"), "afile/plan.json"),
        (("pull", "--sandbox", "--dir", "afile/sub"), "afile/sub"),
        (("preview", "--html", "afile/site"), "afile/site"),
    ],
)
def test_a_file_in_the_way_is_named_as_such_by_every_command(
    args: tuple[str, ...], path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example(tmp_path / "project")
    (project / "afile").write_text("", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("TPLSYNC_CONFIG", raising=False)
    run = invoke(*args)
    assert run.exit_code == INVALID
    assert (
        run.stderr
        == f"error: {path}: cannot write: a part of the path is a file, not a directory\n"
    )


NUMERIC_OPTIONS = [
    (("apply", "--sandbox", "--auto-approve"), "--wait-for-review"),
    (("apply", "--sandbox", "--auto-approve"), "--max-plan-age"),
    *((command, "--parallelism") for command in SANDBOX_COMMANDS if command[0] != "otp"),
    (("send", "verify-code", "--to", "+8613800138000", "--sandbox", "--dry-run"), "--sample"),
    (("send", "verify-code", "--to", "+8613800138000", "--sandbox"), "--schedule-at"),
    *((("sandbox",), option) for option in ("--port", "--review-delay", "--otp-validity")),
    *((("sandbox",), option) for option in ("--latency-ms", "--jitter-ms", "--rate-limit")),
    *((("sandbox",), option) for option in ("--error-rate", "--throttle-rate", "--drop-rate")),
    *((("sandbox",), option) for option in ("--timeout-rate", "--timeout-delay")),
]


@pytest.mark.parametrize("joined", [True, False], ids=["opt=-5", "opt -5"])
@pytest.mark.parametrize(
    ("command", "option"), NUMERIC_OPTIONS, ids=lambda v: v if isinstance(v, str) else v[0]
)
def test_a_negative_number_is_a_value_each_option_refuses_as_it_refuses_others(
    example: Path, command: tuple[str, ...], option: str, joined: bool
) -> None:
    given = [f"{option}=-5"] if joined else [option, "-5"]
    run = invoke(*command, *given)
    other = invoke(*command, option, "abc")
    assert run.exit_code == other.exit_code != 0
    assert "No such option" not in run.stderr
    assert "-5" in run.stderr and option in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1, run.stderr


@pytest.mark.parametrize("given", [["--wait-for-review=-5"], ["--wait-for-review", "-1.5m"]])
def test_wait_for_review_refuses_a_negative_duration_in_its_own_words(
    example: Path, given: list[str]
) -> None:
    run = invoke("apply", "--sandbox", "--auto-approve", *given)
    assert run.exit_code == USAGE
    value = given[-1].rpartition("=")[2] if len(given) == 1 else given[-1]
    assert run.stderr == f"error: --wait-for-review {value!r}: expected e.g. 90s, 30m, 2h or 1d\n"
    assert "Plan: 12 to create." in invoke("plan", "--sandbox").stdout  # nothing was applied


def test_wait_for_review_alone_still_waits_before_another_option(example: Path) -> None:
    run = invoke("apply", "--sandbox", "--wait-for-review", "--auto-approve")
    assert run.exit_code == 0, run.stderr
    assert "approved" in run.stdout
