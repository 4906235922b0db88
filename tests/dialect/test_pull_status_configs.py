"""pull in the template-configs dialect says what it kept, signatures.yaml
included, over HTTP to the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT, invoke
from tests.dialect.test_template_configs_sync import configs_project  # noqa: F401


def test_a_second_pull_keeps_signatures_yaml_and_says_so(configs_project: Path) -> None:  # noqa: F811
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    run = invoke("pull", "--sandbox", "--dir", "pulled", "--format", "json")
    assert run.exit_code == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert str(configs_project / "signatures.yaml") in result["kept"]
    assert len(result["written"]) == 3
    again = invoke("pull", "--sandbox", "--dir", "pulled")
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "kept signatures.yaml (exists; --overwrite to replace)\n" in again.stdout
    assert "kept pulled/welcome.yaml (exists; --overwrite to replace)\n" in again.stdout
    assert again.stdout.endswith("0 written, 4 kept\n")


def test_status_json_names_a_signatures_id_as_one(configs_project: Path) -> None:  # noqa: F811
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    run = invoke("status", "--sandbox", "--format", "json")
    assert run.exit_code == 0, run.stdout + run.stderr
    rows = {row["name"]: row for row in json.loads(run.stdout)}
    acme, welcome = rows["Acme"], rows["welcome"]
    assert acme["kind"] == "signature" and "template_id" not in acme
    assert welcome["kind"] == "template" and "signature_id" not in welcome
    text = invoke("status", "--sandbox").stdout.splitlines()
    assert f"signature Acme    {acme['signature_id']}  approved" in text[-1]
    assert text[1].startswith(f"login-code        {rows['login-code']['template_id']}  ")


def test_no_changes_counts_the_signatures_in_every_format(configs_project: Path) -> None:  # noqa: F811
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    said = "No changes. 3 templates and 1 signature in the account match the files."
    text = invoke("plan", "--sandbox")
    assert text.exit_code == 0, text.stdout + text.stderr
    assert text.stdout == said + "\n"
    markdown = invoke("plan", "--sandbox", "--format", "markdown").stdout
    assert markdown.startswith(f"### tplsync plan: {said}\n")
    summary = json.loads(invoke("plan", "--sandbox", "--format", "json").stdout)["summary"]
    assert (summary["unchanged"], summary["unchanged_signatures"], summary["owned"]) == (3, 1, 4)


def test_pulled_files_point_editors_at_their_schemas(configs_project: Path) -> None:  # noqa: F811
    made_by_init = {
        path.name: path.read_text(encoding="utf-8").splitlines()[0]
        for path in (
            configs_project / "signatures.yaml",
            configs_project / "templates" / "welcome.yaml",
        )
    }
    for _ in range(2):
        assert invoke("apply", "--sandbox", "--auto-approve").exit_code == 0
    run = invoke("pull", "--sandbox", "--dir", "pulled", "--overwrite")
    assert run.exit_code == 0, run.stdout + run.stderr
    signatures = (configs_project / "signatures.yaml").read_text(encoding="utf-8")
    welcome = (configs_project / "pulled/welcome.yaml").read_text(encoding="utf-8")
    assert signatures.splitlines()[0] == made_by_init["signatures.yaml"]
    assert welcome.splitlines()[0] == made_by_init["welcome.yaml"]
    for text, schema in ((signatures, "signatures"), (welcome, "template")):
        assert text.splitlines()[0].endswith(f"/schemas/{schema}.schema.json")
        assert (ROOT / "schemas" / f"{schema}.schema.json").is_file()
    assert invoke("lint", "pulled", "--strict").exit_code == 0
