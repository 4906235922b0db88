"""Safe YAML loading that remembers where every key and item came from.

libyaml composes the node graph; values are built here rather than by
PyYAML's constructor so that alias expansion and nesting are bounded (a
"billion laughs" file fails fast), keys are taken as written (``on:`` stays
``"on"``), duplicate keys are reported, and chosen scalars can be kept as the
exact text the author typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from tplsync.model import ContentLocator, Position

KeyPath = tuple[str | int, ...]

MAX_NODES = 50_000
MAX_DEPTH = 64
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


class YamlError(Exception):
    """The text cannot be read as YAML; carries where."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(f"{position}: {message}")
        self.position = position
        self.message = message


@dataclass(frozen=True)
class Document:
    """One YAML document: plain values plus where each part was written."""

    data: Any
    start: Position
    text: str = field(repr=False)
    positions: Mapping[KeyPath, Position] = field(repr=False)
    scalars: Mapping[KeyPath, yaml.ScalarNode] = field(repr=False)
    duplicate_keys: tuple[tuple[Position, str, Position], ...] = ()

    def position(self, path: KeyPath) -> Position:
        """Position of the key (or item) at ``path``, else of its nearest parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, self.start)

    def locator(self, path: KeyPath) -> ContentLocator | None:
        node = self.scalars.get(path)
        if node is None:
            return None
        start, end = node.start_mark, node.end_mark
        return ContentLocator(
            path=self.start.path,
            line=start.line + 1,
            column=start.column + 1,
            raw=self.text[start.index : end.index],
            block=node.style in ("|", ">"),
        )


def _mark_position(path: str, mark: Any) -> Position:
    return Position(path, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(
        self, path: str, text: str, verbatim: Callable[[KeyPath], bool], loader: Any
    ) -> None:
        self.path = path
        self.text = text
        self.verbatim = verbatim
        self.loader = loader
        self.nodes = 0
        self.positions: dict[KeyPath, Position] = {}
        self.scalars: dict[KeyPath, yaml.ScalarNode] = {}
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
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                item_path = (*key_path, index)
                self.positions[item_path] = _mark_position(self.path, item.start_mark)
                items.append(self.build(item, item_path, depth + 1))
            return items
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, key_path, depth)

    def mapping(self, node: yaml.MappingNode, key_path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            position = _mark_position(self.path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(position, "a mapping key must be a plain string")
            if key_node.tag == _MERGE_TAG:
                raise YamlError(position, "merge keys (<<) are not supported")
            key = key_node.value
            if key in seen:
                self.duplicates.append((position, key, seen[key]))
            seen[key] = position
            child = (*key_path, key)
            self.positions[child] = position
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode, key_path: KeyPath) -> Any:
        if node.tag == _STR_TAG:
            self.scalars[key_path] = node
            return node.value
        if self.verbatim(key_path):
            return node.value
        try:
            return self.loader.construct_object(node)
        except yaml.YAMLError as error:
            raise YamlError(
                _mark_position(self.path, node.start_mark),
                f"cannot read value tagged {node.tag!r}: {getattr(error, 'problem', error)}",
            ) from None


def load_documents(
    text: str, path: str, verbatim: Callable[[KeyPath], bool] = lambda _: False
) -> Iterator[Document]:
    """Yield each document of ``text`` that is not empty.

    ``verbatim(path)`` chooses scalars that are kept as the text written
    rather than resolved (``code: 0123`` stays ``"0123"``, not the octal 83).
    Raises :class:`YamlError` for anything that is not safe, bounded YAML.
    """
    loader = _Loader(text)
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
            except yaml.MarkedYAMLError as error:
                mark = error.problem_mark or error.context_mark
                message = " ".join(
                    part for part in (error.problem, error.context and f"({error.context})") if part
                )
                raise YamlError(_mark_position(path, mark), message or "invalid YAML") from None
            except yaml.YAMLError as error:
                raise YamlError(Position(path), str(error)) from None
            builder = _Builder(path, text, verbatim, loader)
            data = builder.build(node, (), 0)
            if data is None:
                continue
            yield Document(
                data=data,
                start=_mark_position(path, node.start_mark),
                text=text,
                positions=builder.positions,
                scalars=builder.scalars,
                duplicate_keys=tuple(builder.duplicates),
            )
    finally:
        loader.dispose()
