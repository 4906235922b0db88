"""What a phone receives: samples rendered with the signature, analysed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from tplsync.model import Signature, SignaturePosition, Template
from tplsync.placeholders import Syntax, render
from tplsync.segments import Analysis, analyse


def signed(signature: Signature | None, text: str, signatures: Mapping[int, str]) -> str:
    """``text`` with the signature added, when its text is configured."""
    if signature is None or signature.id not in signatures:
        return text
    if signature.position is SignaturePosition.SUFFIX:
        return text + signatures[signature.id]
    return signatures[signature.id] + text


@dataclass(frozen=True)
class Rendering:
    template: str
    label: str
    params: Mapping[str, str]
    text: str

    @cached_property
    def analysis(self) -> Analysis:
        return analyse(self.text)


def renderings(
    template: Template,
    syntax: Syntax,
    signatures: Mapping[int, str],
    params: Mapping[str, str] | None = None,
) -> Iterator[Rendering]:
    """Each sample's rendering, or one for ``params`` when given.

    A template without samples renders once with no params, so its
    placeholders show as the service would send them unfilled.
    """
    if params is not None:
        cases: list[tuple[str, Mapping[str, str]]] = [("params", params)]
    elif template.samples:
        cases = [(f"sample {i}", s.params) for i, s in enumerate(template.samples, 1)]
    else:
        cases = [("content as written", {})]
    for label, values in cases:
        text = signed(template.signature, render(template.content, values, syntax), signatures)
        yield Rendering(template.name, label, values, text)
