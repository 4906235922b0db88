"""Template files → :class:`Template` values, with every problem located."""

from __future__ import annotations

import functools
import gc
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tplsync.config import CONFIG_NAME, SIGNATURES_NAME, Config
from tplsync.errors import InputError
from tplsync.files import UnreadableFile, read_text
from tplsync.model import (
    KeyPath,
    Level,
    Position,
    Problem,
    Sample,
    Signature,
    SignaturePosition,
    Template,
    TemplateType,
)
from tplsync.schemas import TEMPLATE_SCHEMA, validate
from tplsync.variables import declaration_error, declarations
from tplsync.yamlsource import Document, YamlError, load_documents

SUFFIXES = (".yaml", ".yml")
_REPORTED_BY_RULES = frozenset({(("name",), "maxLength"), (("content",), "maxLength")})
_NONE_DISABLED: frozenset[str] = frozenset()  # one for every template: frozenset() is not shared
_DISABLE = re.compile(r"#\s*tplsync:\s*disable=([A-Za-z0-9_,\s-]+)")


@dataclass(frozen=True, slots=True)
class LoadedFile:
    """A template file: its templates and the syntax/schema problems found."""

    path: str
    templates: tuple[Template, ...]
    problems: tuple[Problem, ...]


def discover(patterns: Iterable[str], root: Path) -> list[Path]:
    """Template files named by paths, directories or globs (sorted, unique).

    A directory means every ``*.yaml``/``*.yml`` below it except hidden ones,
    ``tplsync.yaml`` and the project's ``signatures.yaml``; symbolic links to
    directories are not followed. A path that matches nothing is an
    :class:`InputError`.
    """
    # keyed by the real path's text: hashing and comparing thousands of Path
    # objects costs more than listing the directory, and ``..``, ``./`` and
    # symbolic links name one file in many ways
    found: dict[str, Path] = {}
    signatures = _real(root / SIGNATURES_NAME)
    for pattern in patterns:
        base = Path(pattern) if Path(pattern).is_absolute() else root / pattern
        if any(char in pattern for char in "*?["):
            matches = sorted(Path(base.anchor).glob(str(base.relative_to(base.anchor))))
        elif base.exists():
            matches = [base]
        else:
            raise InputError(f"{pattern}: no such file or directory")
        if not matches:
            raise InputError(f"{pattern}: the pattern matches no file")
        for match in matches:
            named = match.is_file()  # signatures.yaml is a template file only when named
            real, prefix = _real(match), len(str(match))
            for path, link in _expand(match):
                # below a directory only a file's own link can lead elsewhere
                key = _real(path) if link else real + os.path.normcase(str(path)[prefix:])
                if named or key != signatures:
                    found.setdefault(key, path)
    return list(found.values())


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def declared_paths(config: Config) -> list[Path]:
    """The template files of the project's ``templates``; outside any
    project, an error that says how to start one."""
    if config.source is None and not any((config.root / p).exists() for p in config.templates):
        raise InputError(
            f"no {CONFIG_NAME} here or in a parent directory, and no "
            f"{'/, '.join(config.templates)}/ here: run tplsync init to start a project "
            "(or run from inside one, or give --config)"
        )
    return discover(config.templates, config.root)


def _expand(path: Path) -> Iterator[tuple[Path, bool]]:
    """The files ``path`` names, each with whether it is a symbolic link
    found in a directory."""
    if not path.is_dir():
        yield path, False
        return
    # sorted as paths compare, part by part, but on strings: building and
    # comparing thousands of Path objects costs more than reading the files
    found: list[tuple[tuple[str, ...], Path, str, bool]] = []
    for directory, names, links in _regular_files(str(path)):
        parent, parts = Path(directory), Path(os.path.normcase(directory)).parts
        found.extend(
            ((*parts, os.path.normcase(name)), parent, name, name in links)
            for name in names
            if name.endswith(SUFFIXES) and name != CONFIG_NAME
        )
    found.sort(key=lambda entry: entry[0])
    for _, parent, name, link in found:
        yield parent / name, link


def _regular_files(directory: str) -> Iterator[tuple[str, list[str], set[str]]]:
    """Each directory below ``directory``, the names of its regular files
    (not a FIFO or a device) and which of them are symbolic links, hidden
    ones and symbolic links to directories left out; the directory entries
    say what each is, without a stat each."""
    try:
        with os.scandir(directory) as listing:
            entries = [entry for entry in listing if not entry.name.startswith(".")]
    except OSError:
        return
    files = [entry for entry in entries if entry.is_file()]
    yield directory, [entry.name for entry in files], {e.name for e in files if e.is_symlink()}
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _regular_files(entry.path)


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it (as text, cheaply)."""
    text, prefix = str(path), str(root).rstrip(os.sep) + os.sep
    return text[len(prefix) :] if text.startswith(prefix) else text


def _sample_param(path: KeyPath) -> bool:
    return len(path) == 4 and path[0] == "samples" and path[2] == "params"


def _value(path: KeyPath) -> bool:
    """Scalars kept as written: sample params and variable examples."""
    return _sample_param(path) or (
        len(path) == 3 and path[0] == "variables" and path[2] == "example"
    )


class _Located:
    """The scalars whose characters lint can point at."""

    def __contains__(self, path: object) -> bool:
        # asked for every string of every file: the short paths answered first
        if not isinstance(path, tuple) or len(path) < 3:
            return path == ("content",)
        return _value(path)


_LOCATED = _Located()


def load_file(path: Path, display: str | None = None) -> LoadedFile:
    """Read one file; never raises for bad content, which becomes problems."""
    name = display or str(path)
    return _parse(name, _read(path, name))


def _read(path: Path, name: str) -> str | UnreadableFile:
    try:
        return read_text(path, name)
    except UnreadableFile as error:
        return error


def _parse(name: str, text: str | UnreadableFile) -> LoadedFile:
    if isinstance(text, UnreadableFile):
        return LoadedFile(name, (), (Problem(text.position, Level.ERROR, "syntax", text.message),))
    try:
        documents = list(load_documents(text, name, _value, located=_LOCATED))
    except YamlError as error:
        return LoadedFile(
            name, (), (Problem(error.position, Level.ERROR, "syntax", error.message),)
        )
    if not documents:
        return LoadedFile(
            name, (), (Problem(Position(name), Level.ERROR, "schema", "file declares no template"),)
        )
    templates: list[Template] = []
    problems: list[Problem] = []
    for document in documents:
        for position, key, first in document.duplicate_keys:
            problems.append(
                Problem(
                    position,
                    Level.ERROR,
                    "syntax",
                    f"duplicate key {key!r} (first at line {first.line})",
                )
            )
        schema_problems = [
            Problem(position, Level.ERROR, "schema", message)
            for position, message in validate(document, TEMPLATE_SCHEMA, _REPORTED_BY_RULES)
        ]
        if not schema_problems:
            template = _template(document)
            schema_problems = list(_declaration_problems(template))
            if not schema_problems:
                templates.append(template)
        problems.extend(schema_problems)
    return LoadedFile(name, tuple(templates), tuple(problems))


def _template(document: Document) -> Template:
    data: dict[str, Any] = document.data
    signature = None
    if "signature" in data:
        signature = Signature(
            id=data["signature"].get("id"),
            position=SignaturePosition(data["signature"].get("position", "prefix")),
            name=data["signature"].get("name"),
        )
    samples = tuple(
        Sample(
            params=sample["params"],  # keys and values kept as written: strings
            expect=sample.get("expect"),
            position=document.position(("samples", index)),
        )
        for index, sample in enumerate(data.get("samples", ()))
    )
    return Template(
        name=data["name"],
        type=TemplateType(data["type"]),
        content=data["content"],
        signature=signature,
        submit=data.get("submit"),
        renamed_from=tuple(data.get("renamed_from", ())),
        description=data.get("description"),
        samples=samples,
        variables=declarations(data.get("variables", {})),
        country_codes=tuple(data.get("country_codes", ())),
        position=document.start,
        source=document.source,
        disabled_rules=_disabled_rules(document),
    )


def _declaration_problems(template: Template) -> Iterator[Problem]:
    for declaration in template.variables:
        found = declaration_error(declaration)
        if found is not None:
            key, message = found
            yield Problem(
                template.position_of("variables", declaration.name, key),
                Level.ERROR,
                "schema",
                f"variables.{declaration.name}.{key}: {message}",
            )


@functools.lru_cache(maxsize=2)
def _lines(text: str) -> list[str]:
    """The lines of a file's text, split once for all of its documents."""
    return text.splitlines()


def _disabled_rules(document: Document) -> frozenset[str]:
    """Rules named in ``# tplsync: disable=`` on the template's first line,
    the comment lines just above it, or the ``content:`` line."""
    if "tplsync:" not in document.text:
        return _NONE_DISABLED
    lines = _lines(document.text)
    candidates = [document.start.line - 1, document.position(("content",)).line - 1]
    above = document.start.line - 2
    while above >= 0 and lines[above].lstrip().startswith("#"):
        candidates.append(above)
        above -= 1
    disabled: set[str] = set()
    for index in candidates:
        if 0 <= index < len(lines):
            for match in _DISABLE.finditer(lines[index]):
                disabled.update(r.strip() for r in match.group(1).split(",") if r.strip())
    return frozenset(disabled)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while loading: the loaded values hold no
    cycles, so reference counting frees all of them anyway, but the
    collector's passes over the many live containers cost a third of the
    load time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_files(paths: Sequence[Path], root: Path) -> list[LoadedFile]:
    """Every file of ``paths``, named relative to ``root``.

    All are read before any is parsed: each read lets go of the GIL, and
    taking it back waits behind any busy thread (the account being listed
    meanwhile); parsing keeps it.
    """
    names = [display_path(path, root) for path in paths]
    texts = [_read(path, name) for path, name in zip(paths, names, strict=True)]
    texts.reverse()  # each text is let go once parsed
    with _no_cycle_collection():
        return [_parse(name, texts.pop()) for name in names]


def iter_files(paths: Iterable[Path], root: Path) -> Iterator[LoadedFile]:
    """:func:`load_files`, one file at a time as they are asked for."""
    with _no_cycle_collection():
        for path in paths:
            yield load_file(path, display_path(path, root))


def load_templates(paths: Sequence[Path], root: Path) -> list[Template]:
    """All templates of ``paths``; the first syntax or schema problem raises."""
    return templates_of(load_files(paths, root))


def templates_of(files: Sequence[LoadedFile]) -> list[Template]:
    """All templates of loaded ``files``; the first syntax or schema problem raises."""
    templates: list[Template] = []
    for loaded in files:
        if loaded.problems:
            problem = loaded.problems[0]
            raise InputError(f"{problem.position}: {problem.message} (run tplsync lint)")
        templates.extend(loaded.templates)
    return templates
