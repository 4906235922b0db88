"""pull in the template-configs dialect says what it kept, signatures.yaml
included, over HTTP to the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke
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
    assert f"kept {configs_project / 'signatures.yaml'} (exists; --overwrite to replace)" in (
        again.stdout
    )
    assert again.stdout.endswith("0 written, 4 kept\n")
