"""Seeding the sandbox from a directory of template files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tplsync.adapters.engagelab_v1 import template_fields
from tplsync.templates import discover, load_templates


def templates_from_directory(directory: str) -> list[dict[str, Any]]:
    """The templates of ``directory``, approved, as ``GET /v1/templates`` lists them."""
    root = Path(directory)
    return [
        {**template_fields(template), "approval_status": 1}
        for template in load_templates(discover(["."], root), root)
    ]
