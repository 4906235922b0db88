"""Remote templates → template files (adoption), never outside the directory."""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tplsync.config import CONFIG_NAME, SIGNATURES_NAME
from tplsync.errors import InputError
from tplsync.files import make_directory, write_atomic
from tplsync.model import ApprovalStatus, RemoteTemplate
from tplsync.placeholders import Syntax, variables
from tplsync.safetext import escape, invisible
from tplsync.schemas import TEMPLATE_SCHEMA, schema_comment

MAX_STEM_BYTES = 100
MISSING_CODES_LINE = 3
MISSING_CODES = (
    "# country_codes: the account gives none; add the countries it is sent to, such as [US, GB]\n"
)
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def slug(name: str) -> str:
    """A file stem safe on every platform: no separators, dots-only, control
    characters or reserved device names; case-folded so names that differ
    only in case collide here and are told apart by :func:`file_names`."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip(".-_")
    text = re.sub(r"-{2,}", "-", text)[:60]
    # 60 characters can be 240 bytes: too long a name once the temporary
    # file's prefix and suffix are added
    text = text.encode()[:MAX_STEM_BYTES].decode(errors="ignore") or "template"
    if text.split(".")[0] in _RESERVED:
        text = f"_{text}"
    return text


def file_names(
    templates: Sequence[RemoteTemplate], reserved: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Template id → file name; collisions, ``signatures.yaml`` and the
    ``reserved`` names (the config's) get the template id appended, in id
    order, so the result never depends on listing order."""
    chosen: dict[str, str] = {}
    taken: set[str] = {CONFIG_NAME, SIGNATURES_NAME, *reserved}
    for template in sorted(templates, key=lambda t: (slug(t.name), _id_key(t.id))):
        stem = slug(template.name)
        name = f"{stem}.yaml"
        if name in taken:
            name = f"{stem}-{template.id}.yaml"
        taken.add(name)
        chosen[template.id] = name
    return chosen


def _id_key(identifier: str) -> tuple[int, str]:
    return (int(identifier), "") if identifier.isdigit() else (0, identifier)


def document(template: RemoteTemplate, syntax: Syntax, codes_required: bool = False) -> str:
    """The template file for ``template``; ``codes_required`` (the dialect
    sends country codes with every write) marks a template without them
    with a comment on line :data:`MISSING_CODES_LINE` saying what to add."""
    data: dict[str, Any] = {
        "name": template.name,
        "type": template.type.value,
        "content": template.content,
    }
    if template.country_codes:
        data["country_codes"] = list(template.country_codes)
    if template.signature is not None:
        signature = template.signature
        key, value = ("id", signature.id) if signature.name is None else ("name", signature.name)
        data["signature"] = {key: value}
        if template.signature.position is not None:
            data["signature"]["position"] = template.signature.position.value
    if template.status is ApprovalStatus.NOT_SUBMITTED:
        data["submit"] = False
    names = variables(template.content, syntax)
    if names:
        data["samples"] = [{"params": {name: f"<{name}>" for name in names}}]
    header = (
        schema_comment(TEMPLATE_SCHEMA)
        + f"# pulled from template {template.id} ({template.status.value})\n"
    )
    if codes_required and not template.country_codes:
        header += MISSING_CODES
    return header + visible_yaml(data)


class _Dumper(yaml.SafeDumper):
    """Writes a string that holds an invisible character double-quoted,
    the one style in which :func:`visible_yaml` can write it as an escape."""


def _represent_str(dumper: _Dumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(map(invisible, text)) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def visible_yaml(data: object, **options: Any) -> str:
    """``data`` as YAML that reads back exactly, with every invisible
    character (bidi overrides, zero-width and other format characters,
    controls) written as an escape (``"\\u202e"``): a file's diff shows
    what the account holds, not text reordered or hidden by it."""
    options = {"allow_unicode": True, "sort_keys": False, "width": 1000, **options}
    text = yaml.dump(data, Dumper=_Dumper, **options)
    return "".join(escape(char) if invisible(char) else char for char in text)


@dataclass(frozen=True)
class PullResult:
    written: tuple[str, ...]
    skipped: tuple[str, ...]
    declared: tuple[tuple[str, str], ...] = ()  # (name, the file that declares it)
    shared: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, the ids that share it)
    without_codes: tuple[str, ...] = ()  # files written without the country codes required


def pull(
    templates: Sequence[RemoteTemplate],
    directory: Path,
    match: str | None,
    overwrite: bool,
    syntax: Syntax,
    declared: Mapping[str, Path] | None = None,
    config_file: Path | None = None,
    codes_required: bool = False,
) -> PullResult:
    """Write the ``templates`` matching ``match`` into ``directory``; one
    that ``declared`` (name → file) holds is written only over the file that
    declares it, as a second file would declare its name twice. Every target
    is checked before the first is written; ``config_file`` (the project's
    config) is never written over. Templates that share a name on the account
    are not written: which one the project should declare is the user's call.
    With ``codes_required``, a template without country codes is written
    with a comment saying what to add, and listed in ``without_codes``."""
    chosen = [t for t in templates if match is None or fnmatch.fnmatchcase(t.name, match)]
    ids: dict[str, list[str]] = {}
    for template in chosen:
        ids.setdefault(template.name, []).append(template.id)
    shared = tuple((name, tuple(group)) for name, group in ids.items() if len(group) > 1)
    chosen = [t for t in chosen if len(ids[t.name]) == 1]
    make_directory(directory)
    root = directory.resolve()
    declared = declared or {}
    config = config_file.resolve() if config_file is not None else None
    reserved = frozenset({config.name} if config is not None and config.parent == root else ())
    names = file_names(chosen, reserved)
    targets = []
    elsewhere: list[tuple[str, str]] = []
    for template in sorted(chosen, key=lambda t: names[t.id]):
        target = directory / names[template.id]
        if target.is_symlink() or target.resolve().parent != root:
            raise InputError(f"{target}: refusing to write through a symbolic link")
        source = declared.get(template.name)
        if source is not None and source.resolve() != target.resolve():
            elsewhere.append((template.name, str(source)))
            continue
        targets.append((template, target))
    written: list[str] = []
    skipped: list[str] = []
    without_codes: list[str] = []
    for template, target in targets:
        if target.exists() and not overwrite:
            skipped.append(str(target))
            continue
        write_atomic(target, document(template, syntax, codes_required))
        written.append(str(target))
        if codes_required and not template.country_codes:
            without_codes.append(str(target))
    return PullResult(
        tuple(written), tuple(skipped), tuple(elsewhere), shared, tuple(without_codes)
    )
