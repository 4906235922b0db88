"""``tplsync preview``."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence

from tplsync.config import Config
from tplsync.errors import InputError
from tplsync.model import Template
from tplsync.output import analysis_text, renderings_json, renderings_text
from tplsync.preview import renderings
from tplsync.segments import analyse
from tplsync.templates import discover, load_templates


def measure_text(text: str, output_format: str) -> str:
    """``preview --text``: a plain segment calculator."""
    analysis = analyse(text)
    if output_format == "json":
        return json.dumps(analysis.to_json(), ensure_ascii=False)
    return "\n".join(analysis_text(analysis, indent=""))


def chosen(templates: Sequence[Template], names: Sequence[str]) -> list[Template]:
    """The templates ``names`` asks for (all when none), in that order."""
    by_name = {template.name: template for template in templates}
    for name in names:
        if name not in by_name:
            close = difflib.get_close_matches(name, by_name, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"no template named {name!r}{hint}")
    return [by_name[name] for name in names] if names else list(templates)


def run_preview(
    config: Config, names: Sequence[str], params: Mapping[str, str] | None, output_format: str
) -> str:
    templates = load_templates(discover(config.templates, config.root), config.root)
    results = [
        rendering
        for template in chosen(templates, names)
        for rendering in renderings(template, config.syntax, config.signatures, params)
    ]
    if output_format == "json":
        return renderings_json(results)
    return renderings_text(results)
