"""Safe YAML loading that remembers where every key and item came from.

libyaml composes the node graph; values are built here rather than by
PyYAML's constructor so that alias expansion and nesting are bounded (a
"billion laughs" file fails fast), keys are taken as written (``on:`` stays
``"on"``), duplicate keys are reported, and chosen scalars can be kept as the
exact text the author typed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from tplsync.model import ContentLocator, KeyPath, Position

MAX_NODES = 50_000
MAX_DEPTH = 64
# Aliases repeat text without repeating nodes: the characters of every
# string, as expanded, are bounded too (twice the largest file read).
MAX_CHARS = 2 * 1024 * 1024
# libyaml composes recursively in C: nesting deep enough overflows the stack
# and kills the process before any check here runs. Every level takes at
# least one character, so a text this short is safe to compose unscanned.
SCAN_DEPTH_ABOVE = 4096
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", _MAP_TAG)
_MERGE_TAG = "tag:yaml.org,2002:merge"

_Parser: Any
try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

    _Parser = _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader


_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
# PyYAML resolves a bare "=" to a "value" tag that no safe constructor reads;
# here it stays the string "=".
_IMPLICIT = {
    first: [
        (tag, regexp)
        for tag, regexp in [*found, *_RESOLVERS.get(None, [])]
        if tag != "tag:yaml.org,2002:value"
    ]
    for first, found in _RESOLVERS.items()
}

# The tag of a plain scalar, remembered for the short ones (keys, mostly:
# the same few in every file), up to a bound.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 4096


def _implicit_tag(value: str) -> str:
    for tag, regexp in _IMPLICIT.get(value[:1], ()):
        if regexp.match(value):
            return str(tag)
    return _STR_TAG


class _Loader(_Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):  # type: ignore[misc]
    """libyaml's parser with the safe constructor and resolver, as
    ``CSafeLoader``, minus the path-resolver machinery that PyYAML runs for
    every node even when no path resolver is registered (a tenth of the load
    time)."""

    def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = _implicit_tag(value)
                    if len(_RESOLVED) < _RESOLVED_MAX and len(value) <= 32:
                        _RESOLVED[value] = tag
                return tag
            return _STR_TAG
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else _MAP_TAG

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


class YamlError(Exception):
    """The text cannot be read as YAML; carries where."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(f"{position}: {message}")
        self.position = position
        self.message = message


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where each key and item of a document was written; small enough for a
    loaded template to keep after the document itself is gone."""

    start: Position
    marks: Mapping[KeyPath, int] = field(repr=False)  # packed by _packed
    # (line, column, raw text, block style): most are never asked for
    locators: Mapping[KeyPath, tuple[int, int, str, bool]] = field(repr=False)

    def position(self, path: KeyPath) -> Position:
        """Position of the key (or item) at ``path``, else of its nearest parent."""
        while path not in self.marks and path:
            path = path[:-1]
        mark = self.marks.get(path)
        return self.start if mark is None else _unpacked(self.start.path, mark)

    def locator(self, path: KeyPath) -> ContentLocator | None:
        """Maps characters of the string at ``path`` to file positions; only
        for the paths named in ``load_documents(located=...)``."""
        found = self.locators.get(path)
        return None if found is None else ContentLocator(self.start.path, *found)


@dataclass(frozen=True)
class Document:
    """One YAML document: plain values plus where each part was written."""

    data: Any
    text: str = field(repr=False)
    source: SourceMap
    duplicate_keys: tuple[tuple[Position, str, Position], ...] = ()

    @property
    def start(self) -> Position:
        return self.source.start

    def position(self, path: KeyPath) -> Position:
        return self.source.position(path)


def _mark_position(path: str, mark: Any) -> Position:
    return Position(path, mark.line + 1, mark.column + 1)


# A kept mark is one int, not libyaml's Mark object: a fifth of the size,
# and a large plan keeps one for every key of every file. A file is at
# most a few MiB, so no column reaches 2**32.
_COLUMN_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1


def _packed(mark: Any) -> int:
    line: int = mark.line
    column: int = mark.column
    return line << _COLUMN_BITS | column


def _unpacked(path: str, mark: int) -> Position:
    return Position(path, (mark >> _COLUMN_BITS) + 1, (mark & _COLUMN_MASK) + 1)


# The key paths of top-level keys, shared: the same few in every file.
_TOP_PATHS: dict[str, KeyPath] = {}
_TOP_PATHS_MAX = 4096


class _Builder:
    def __init__(
        self,
        path: str,
        text: str,
        verbatim: Callable[[KeyPath], bool],
        located: Container[KeyPath],
        loader: Any,
    ) -> None:
        self.path = path
        self.text = text
        self.verbatim = verbatim
        self.located = located
        self.loader = loader
        self.nodes = 0
        self.chars = 0
        self.marks: dict[KeyPath, int] = {}
        self.locators: dict[KeyPath, tuple[int, int, str, bool]] = {}
        self.duplicates: list[tuple[Position, str, Position]] = []

    def build(self, node: yaml.Node, key_path: KeyPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlError(
                _mark_position(self.path, node.start_mark),
                f"document expands to more than {MAX_NODES} nodes "
                "(aliases expanding exponentially?)",
            )
        if depth > MAX_DEPTH:
            raise YamlError(
                _mark_position(self.path, node.start_mark),
                f"nesting deeper than {MAX_DEPTH} levels",
            )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, key_path)
        if node.tag not in _COLLECTION_TAGS:
            raise YamlError(
                _mark_position(self.path, node.start_mark),
                f"tag {node.tag!r} is not allowed: only plain YAML is read",
            )
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                item_path = (*key_path, index)
                self.marks[item_path] = _packed(item.start_mark)
                items.append(self.build(item, item_path, depth + 1))
            return items
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, key_path, depth)

    def mapping(self, node: yaml.MappingNode, key_path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        marks = self.marks
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                message = (
                    "merge keys (<<) are not supported"
                    if key_node.tag == _MERGE_TAG
                    else "a mapping key must be a plain string"
                )
                raise YamlError(_mark_position(self.path, mark), message)
            key = sys.intern(key_node.value)  # the same few keys in every file
            child = _TOP_PATHS.get(key) if not key_path else None
            if child is None:
                child = (*key_path, key)
                if not key_path and len(_TOP_PATHS) < _TOP_PATHS_MAX:
                    _TOP_PATHS[key] = child
            if key in result:
                first = _unpacked(self.path, marks[child])
                self.duplicates.append((_mark_position(self.path, mark), key, first))
            marks[child] = _packed(mark)
            if value_node.tag == _STR_TAG and self.nodes < MAX_NODES:
                # the common case, inlined: a plain string value
                self.nodes += 1
                self.count_chars(value_node)
                if child in self.located:
                    self.locate(value_node, child)
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, child, depth + 1)
        return result

    def locate(self, node: yaml.ScalarNode, key_path: KeyPath) -> None:
        start, end = node.start_mark, node.end_mark
        self.locators[key_path] = (
            start.line + 1,
            start.column + 1,
            self.text[start.index : end.index],
            node.style in ("|", ">"),
        )

    def count_chars(self, node: yaml.ScalarNode) -> None:
        self.chars += len(node.value)
        if self.chars > MAX_CHARS:
            raise YamlError(
                _mark_position(self.path, node.start_mark),
                f"document expands to more than {MAX_CHARS:,} characters "
                "(an alias repeating a long text?)",
            )

    def scalar(self, node: yaml.ScalarNode, key_path: KeyPath) -> Any:
        self.count_chars(node)
        if node.tag == _STR_TAG:
            if key_path in self.located:
                self.locate(node, key_path)
            return node.value
        if self.verbatim(key_path):
            if key_path in self.located:
                self.locate(node, key_path)
            return node.value
        position = _mark_position(self.path, node.start_mark)
        if node.tag not in self.loader.yaml_constructors:
            raise YamlError(position, f"tag {node.tag!r} is not allowed: only plain YAML is read")
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            # a ValueError: 2001-13-01 as a timestamp, or an integer over 4,300 digits
            problem = getattr(error, "problem", None) or error
            raise YamlError(position, f"invalid {node.tag} value: {problem}") from None


def _marked_error(error: yaml.MarkedYAMLError, path: str, text: str) -> YamlError:
    mark = error.problem_mark or error.context_mark
    context = error.context
    if context and error.context_mark is not None and error.context_mark is not mark:
        start = error.context_mark
        context = f"{context} that starts at line {start.line + 1}, column {start.column + 1}"
    parts = [error.problem, context and f"({context})"]
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        parts.append("- tabs cannot indent YAML, use spaces")
    message = " ".join(part for part in parts if part) or "invalid YAML"
    return YamlError(_mark_position(path, mark) if mark else Position(path), message)


def _check_depth(text: str, path: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` from the parser's events,
    before anything is composed."""
    if len(text) <= SCAN_DEPTH_ABOVE:
        return
    parser: Any = _Parser(text)
    opening, closing = (
        (yaml.MappingStartEvent, yaml.SequenceStartEvent),
        (
            yaml.MappingEndEvent,
            yaml.SequenceEndEvent,
        ),
    )
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, opening):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the document's own collection is level 0
                    raise YamlError(
                        _mark_position(path, event.start_mark),
                        f"nesting deeper than {MAX_DEPTH} levels",
                    )
            elif isinstance(event, closing):
                depth -= 1
    except yaml.YAMLError:
        return  # the load that follows reports it, composing no deeper than this
    finally:
        parser.dispose()


def load_documents(
    text: str,
    path: str,
    verbatim: Callable[[KeyPath], bool] = lambda _: False,
    located: Container[KeyPath] = frozenset(),
) -> Iterator[Document]:
    """Yield each document of ``text`` that is not empty.

    ``verbatim(path)`` chooses scalars that are kept as the text written
    rather than resolved (``code: 0123`` stays ``"0123"``, not the octal 83).
    ``located`` names the string scalars whose characters can be located
    later (:meth:`Document.locator`).
    Raises :class:`YamlError` for anything that is not safe, bounded YAML.
    """
    _check_depth(text, path)
    loader: Any = _Loader(text)
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
            except yaml.MarkedYAMLError as error:
                raise _marked_error(error, path, text) from None
            except yaml.reader.ReaderError as error:
                line = text.count("\n", 0, error.position) + 1
                column = error.position - text.rfind("\n", 0, error.position)
                raise YamlError(
                    Position(path, line, column),
                    f"character {error.character!r} is not allowed in YAML ({error.reason})",
                ) from None
            except yaml.YAMLError as error:
                raise YamlError(Position(path), " ".join(str(error).split())) from None
            builder = _Builder(path, text, verbatim, located, loader)
            data = builder.build(node, (), 0)
            if data is None:
                continue
            source = SourceMap(
                _mark_position(path, node.start_mark), builder.marks, builder.locators
            )
            yield Document(data, text, source, tuple(builder.duplicates))
    finally:
        loader.dispose()
