"""A template-configs account whose names and texts are chosen to mislead,
collide or break the project that ``pull`` writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke
from tests.hostile.servers import answering
from tests.hostile.test_hostile_account import INJECTED

Listing = list[Any]


def template(template_id: object, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "template_id": template_id,
        "template_name": name,
        "template_type": "utility",
        "template_content": "Hello",
        "country_codes": "DE",
        "status": 2,
        **fields,
    }


def signature(sign_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"sign_id": sign_id, "sign_name": name, "status": 2, **fields}


@pytest.fixture
def account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[Listing, Listing], list[str]]]:
    """A template-configs project (templates beside ``tplsync.yaml``) whose
    account answers the given templates and signatures; yields a setter that
    returns the requests the server was asked."""
    monkeypatch.chdir(tmp_path)
    for name in ("TPLSYNC_CONFIG", "TPLSYNC_ENV", "TPLSYNC_ENDPOINT", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENGAGELAB_DEV_KEY", "configs-key")
    monkeypatch.setenv("ENGAGELAB_DEV_SECRET", "configs-secret")
    listed: dict[str, Listing] = {"template": [], "sign": []}

    def answer(request: Any) -> tuple[int, dict[str, str], Any]:
        if request.command != "GET":
            return 400, {}, {"code": 400, "message": "read-only account"}
        return 200, {}, listed["sign" if "sign-configs" in request.path else "template"]

    with answering(answer) as (url, asked):
        Path("tplsync.yaml").write_text(
            f"api: {{dialect: template-configs, endpoint: '{url}'}}\ntemplates: [.]\n"
        )

        def make(templates: Listing, signatures: Listing) -> list[str]:
            listed["template"], listed["sign"] = templates, signatures
            return asked

        yield make


def test_pull_skips_duplicate_names_and_writes_no_file_lint_refuses(
    account: Callable[[Listing, Listing], list[str]],
) -> None:
    account(
        [template("11", "welcome"), template("12", "welcome"), template("13", "signatures")],
        [signature("1", "Acme"), signature("3", "Dup"), signature("4", "Dup")],
    )
    run = invoke("pull")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert (
        "skipped welcome: duplicate name: 2 templates on the account are named welcome "
        "(ids 11, 12); delete or rename all but one in the EngageLab console, then pull again"
    ) in run.stdout
    assert "skipped signature Dup: duplicate name: 2 signatures" in run.stdout
    assert "2 duplicate names skipped" in run.stdout
    # a template named like the signatures file is not written over it
    assert sorted(p.name for p in Path().iterdir()) == [
        "signatures-13.yaml",
        "signatures.yaml",
        "tplsync.yaml",
    ]
    assert "Dup" not in Path("signatures.yaml").read_text()
    lint = invoke("lint")
    assert lint.exit_code == 0, lint.stdout
    assert "1 file checked" in lint.stdout
    as_json = json.loads(invoke("pull", "--format", "json").stdout)
    assert as_json["duplicates"] == {"welcome": ["11", "12"]}


def test_duplicate_names_are_blocked_in_plan_status_and_apply(
    account: Callable[[Listing, Listing], list[str]],
) -> None:
    asked = account(
        [template("11", "welcome"), template("12", "welcome")],
        [signature("3", "Dup"), signature("4", "Dup"), signature("5", "Kept")],
    )
    Path("signatures.yaml").write_text("- name: Dup\n- name: Kept\n")
    Path("welcome.yaml").write_text(
        "name: welcome\ntype: notification\ncontent: Hello again\ncountry_codes: [DE]\n"
        "signature: {name: Dup}\n"
    )
    plan = invoke("plan", "--prune")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    assert "2 signatures on the account are named Dup (ids 3, 4)" in plan.stdout
    assert "2 templates on the account are named welcome (ids 11, 12)" in plan.stdout
    assert "Plan: 4 blocked." in plan.stdout, plan.stdout
    rows = json.loads(invoke("status", "--format", "json").stdout)
    drifts = {(row["name"], row[f"{row['kind']}_id"]): row["drift"] for row in rows}
    assert drifts[("Dup", "3")] == drifts[("Dup", "4")] == "duplicate name"
    assert drifts[("welcome", "11")] == drifts[("welcome", "12")] == "duplicate name"
    assert drifts[("Kept", "5")] == "in sync"
    asked.clear()
    apply = invoke("apply", "--auto-approve", "--prune")
    assert apply.exit_code == 0, apply.stdout + apply.stderr
    assert all(path.startswith("/v1/") for path in asked)
    assert len(asked) == len([p for p in asked if p.split("?")[0].endswith("configs")])


def test_signature_names_and_remarks_are_escaped_and_read_back_as_pulled(
    account: Callable[[Listing, Listing], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = "Odd\x85line\u2028sep"  # YAML line breaks a plain dump would fold
    account(
        [template("14", "a`b", status=3, audit_remark=INJECTED)],
        [signature("1", "Acme" + INJECTED, status=3, audit_remark=INJECTED), signature("2", odd)],
    )
    assert invoke("pull").exit_code == 0
    text = Path("signatures.yaml").read_text()
    assert "\x1b" not in text and "\x85" not in text and "\u2028" not in text
    Path("signatures.yaml").write_text("- name: " + json.dumps(odd) + "\n- name: Acme\n")
    pulled = invoke("pull", "--overwrite", "--format", "json")
    assert pulled.exit_code == 0
    assert Path("signatures.yaml").read_text() == text
    Path("signatures.yaml").write_text(f"- name: {json.dumps(odd)}\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for args in (["plan"], ["plan", "--format", "markdown"], ["status"]):
        run = invoke(*args)
        assert run.exit_code == 0, run.stdout + run.stderr
        output = run.stdout + run.stderr
        assert "approved by security" in output
        for line in output.splitlines():
            assert not line.lstrip(" -`>").startswith("::"), line
        for character in ("\x1b", "\x07", "\u202e", "\x85", "\u2028"):
            assert character not in output
    markdown = invoke("plan", "--format", "markdown").stdout
    assert "- note: ``a`b``: rejected: x" in markdown


@pytest.mark.parametrize(
    ("templates", "signatures", "expected"),
    [
        ([template("1", "a", status="x")], [], "malformed template"),
        ([{"template_name": "no id", "template_type": "utility"}], [], "malformed template"),
        ([template("1", "a", status=1e308 * 10)], [], "malformed template"),
        (["not a template"], [], "str where a template belongs"),
        ([template({"a": 1}, "a")], [], "template_id is {'a': 1}, not an id"),
        ([template("../sign-configs/3", "a")], [], "template_id is '../sign-configs/3', not an id"),
        ([template(1.5, "a")], [], "template_id is 1.5, not an id"),
        ([template(True, "a")], [], "template_id is True, not an id"),
        ([], [signature("../x", "Acme")], "sign_id is '../x', not an id"),
        ([], [{"sign_name": "no id"}], "malformed signature"),
        ([], [7], "int where a signature belongs"),
    ],
)
def test_a_malformed_listing_is_one_line_and_nothing_is_written(
    account: Callable[[Listing, Listing], list[str]],
    templates: Listing,
    signatures: Listing,
    expected: str,
) -> None:
    account(templates, signatures)
    Path("signatures.yaml").write_text("- name: Acme\n")
    for args in (["status"], ["pull", "--dir", "pulled", "--overwrite"]):
        run = invoke(*args)
        assert run.exit_code == 3, run.stdout + run.stderr
        assert run.stderr.startswith("error: the answer") and expected in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    assert not Path("pulled").exists()
    assert Path("signatures.yaml").read_text() == "- name: Acme\n"


def test_a_lone_surrogate_in_an_answer_is_shown_and_written_as_a_replacement(
    account: Callable[[Listing, Listing], list[str]],
) -> None:
    surrogate = json.loads('"x\\ud800y"')
    account([template("1", surrogate)], [signature("2", "Acme" + surrogate)])
    for args in (["status"], ["plan"], ["plan", "--format", "json"], ["pull"]):
        run = invoke(*args)
        assert run.exit_code == 0, run.stdout + run.stderr
        assert "x\ufffdy" in run.stdout or args == ["pull"]
    assert "x\ufffdy" in Path("x-y.yaml").read_text()
    assert "Acmex\ufffdy" in Path("signatures.yaml").read_text()
    assert invoke("lint").exit_code == 0


def test_pulled_files_write_invisible_characters_as_escapes(
    account: Callable[[Listing, Listing], list[str]],
) -> None:
    hidden = "\u200b\u2066\u202e"
    account(
        [template("1", "a\u200b", template_content=f"Hi {hidden} there", sign_id="2")],
        [signature("2", "Acme" + hidden)],
    )
    run = invoke("pull")
    assert run.exit_code == 0, run.stdout + run.stderr
    for name, escaped in (("signatures.yaml", "Acme"), ("a.yaml", "Hi "), ("a.yaml", 'name: "a')):
        text = Path(name).read_text(encoding="utf-8")
        assert escaped + "\\u200b" in text and not set(hidden) & set(text), text
    plan = invoke("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stderr
    assert plan.stdout == "No changes. 1 template and 1 signature in the account match the files.\n"


def test_pull_says_which_files_need_country_codes_and_exits_1(
    account: Callable[[Listing, Listing], list[str]],
) -> None:
    account([template("1", "welcome", country_codes=""), template("2", "other")], [])
    run = invoke("pull")
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "wrote welcome.yaml\n" in run.stdout  # as lint and the error below name it
    assert run.stdout.endswith("3 written, 0 kept\n")  # signatures.yaml, other, welcome
    assert run.stderr.startswith("error: 1 pulled file without country_codes: the account gives")
    assert run.stderr.splitlines()[1:] == ["  welcome.yaml:3: add country_codes, such as [US, GB]"]
    welcome = Path("welcome.yaml").read_text(encoding="utf-8").splitlines()
    assert welcome[2].startswith("# country_codes: the account gives none")
    assert "# country_codes" not in Path("other.yaml").read_text(encoding="utf-8")
    lint = invoke("lint")
    assert lint.exit_code == 1 and "welcome.yaml:4:1: error dialect-fields" in lint.stdout
    again = json.loads(invoke("pull", "--overwrite", "--format", "json").stdout)
    assert again["without_country_codes"] == [str(Path.cwd() / "welcome.yaml")]
    welcome[2] = "country_codes: [DE]"
    Path("welcome.yaml").write_text("\n".join(welcome) + "\n", encoding="utf-8")
    assert invoke("lint").exit_code == 0
    assert "~ update welcome [1]" in invoke("plan").stdout


def test_a_signature_answered_by_id_alone_is_named_from_the_signature_listing(
    account: Callable[[Listing, Listing], list[str]],
) -> None:
    """``sign_name`` is optional in a template's answer: without it the
    signature is still Acme, so pull writes its name and plan sees no drift."""
    account(
        [template("11", "welcome", sign_id="7", sign_position=2)],
        [signature("7", "Acme")],
    )
    pulled = invoke("pull")
    assert pulled.exit_code == 0, pulled.stdout + pulled.stderr
    written = Path("welcome.yaml").read_text(encoding="utf-8")
    assert "signature:\n  name: Acme\n  position: suffix\n" in written
    plan = invoke("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    assert "No changes" in plan.stdout
