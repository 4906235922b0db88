"""Seeding the sandbox: a directory of template files (and the signatures
they name) or a ``GET /v1/templates`` answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tplsync.sandbox import routes_template_configs, routes_templates
from tplsync.sandbox.state import Draft, Kind, Position, Store


def seed(store: Store, body: Any) -> int:
    """Add the templates of ``{"directory": PATH}`` (approved, with the
    signatures they name) or of a ``GET /v1/templates`` answer (statuses
    kept); how many templates were added."""
    if isinstance(body, dict) and "directory" in body:
        with store.transaction():
            return routes_templates.seed_drafts(
                store, drafts_from_directory(store, body["directory"])
            )
    if isinstance(body, dict) and isinstance(body.get("result"), list):
        return routes_templates.seed(store, body["result"])
    if isinstance(body, list):
        return routes_templates.seed(store, body)
    raise ValueError(
        'seed with {"result": [...]} (a GET /v1/templates answer) '
        'or {"directory": "path/to/templates"}'
    )


def drafts_from_directory(store: Store, directory: str) -> list[Draft]:
    """The templates of ``directory``'s template files; a signature one names
    (template-configs) is found by its name, or added approved."""
    # the file loader doubles the sandbox's start-up: only to seed from files
    from tplsync.templates import discover, load_templates

    root = Path(directory)
    drafts = []
    for template in load_templates(discover(["."], root), root):
        signature = template.signature
        signature_id = None
        if signature is not None and isinstance(signature.id, int):
            signature_id = signature.id
        elif signature is not None and signature.name is not None:
            signature_id = _signature_named(store, signature.name)
        position = signature.position if signature is not None else None
        drafts.append(
            Draft(
                name=template.name,
                kind=Kind(template.type.value),
                content=template.content,
                signature_id=signature_id,
                signature_position=Position.PREFIX
                if position is None
                else Position(position.value),
                country_codes=template.country_codes,
            )
        )
    return drafts


def _signature_named(store: Store, name: str) -> int:
    """The id of the signature named ``name``; added (by the sign-configs
    API's rules) and approved when there is none."""
    found = next((s for s in store.signatures() if s.name == name), None)
    if found is not None:
        return found.id
    added = int(routes_template_configs.create_signature(store, {"sign_name": name})["sign_id"])
    record = store.find_signature(added)
    assert record is not None
    return store.decide_signature(record, None).id
