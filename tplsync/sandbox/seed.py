"""Seeding the sandbox: a directory of template files or a ``GET /v1/templates`` answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tplsync.sandbox import routes_templates
from tplsync.sandbox.state import Draft, Kind, Position, Store


def seed(store: Store, body: Any) -> int:
    """Add the templates of ``{"directory": PATH}`` (approved) or of a
    ``GET /v1/templates`` answer (statuses kept); how many were added."""
    if isinstance(body, dict) and "directory" in body:
        return routes_templates.seed_drafts(store, drafts_from_directory(body["directory"]))
    if isinstance(body, dict) and isinstance(body.get("result"), list):
        return routes_templates.seed(store, body["result"])
    if isinstance(body, list):
        return routes_templates.seed(store, body)
    raise ValueError(
        'seed with {"result": [...]} (a GET /v1/templates answer) '
        'or {"directory": "path/to/templates"}'
    )


def drafts_from_directory(directory: str) -> list[Draft]:
    """The templates of ``directory``'s template files."""
    # the file loader doubles the sandbox's start-up: only to seed from files
    from tplsync.templates import discover, load_templates

    root = Path(directory)
    drafts = []
    for template in load_templates(discover(["."], root), root):
        signature = template.signature
        position = signature.position if signature is not None else None
        drafts.append(
            Draft(
                name=template.name,
                kind=Kind(template.type.value),
                content=template.content,
                signature_id=signature.id
                if signature is not None and isinstance(signature.id, int)
                else None,
                signature_position=Position.PREFIX
                if position is None
                else Position(position.value),
            )
        )
    return drafts
