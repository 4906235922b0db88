"""``tplsync sandbox --seed DIR`` in the template-configs dialect: the
signatures the templates name are seeded too, so the seeded account is the
project, as plan and status see it over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.dialect.test_template_configs_sync import configs_project, status  # noqa: F401
from tplsync.commands.sandbox import open_store
from tplsync.errors import InputError
from tplsync.sandbox.state import Position, Settings


def test_a_seeded_directory_brings_its_signatures(configs_project: Path) -> None:  # noqa: F811
    state = configs_project / ".tplsync" / "sandbox.json"
    state.parent.mkdir(exist_ok=True)
    store = open_store(Settings(), state, configs_project / "templates")
    store.flush()
    (acme,) = store.signatures()
    seeded = {
        t.name: (t.signature_id, t.signature_position, t.country_codes) for t in store.templates()
    }
    assert seeded == {
        "login-code": (acme.id, Position.SUFFIX, ("US",)),
        "spring-sale": (acme.id, Position.PREFIX, ("US", "GB")),
        "welcome": (acme.id, Position.PREFIX, ("US", "GB")),
    }
    plan = invoke("plan", "--sandbox", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr  # nothing to do
    rows = status()
    assert rows["signature Acme"]["status"] == "approved"
    assert {rows[f"template {name}"]["status"] for name in seeded} == {"approved"}


def test_a_signature_name_the_service_refuses_is_a_one_line_error(
    configs_project: Path,  # noqa: F811
) -> None:
    login = configs_project / "templates" / "login-code.yaml"
    login.write_text(login.read_text().replace("{name: Acme,", "{name: '[Acme]',"))
    with pytest.raises(InputError) as refused:
        open_store(Settings(), None, configs_project / "templates")
    assert (
        str(refused.value)
        == f"{configs_project / 'templates'}: cannot seed from it: invalid sign_name"
    )
