"""What a phone receives: samples rendered with the signature, analysed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from tplsync.model import Signature, SignaturePosition, Template
from tplsync.placeholders import Syntax, render
from tplsync.segments import Analysis, analyse


def signature_text(signature: Signature | None, signatures: Mapping[int, str]) -> str:
    """The signature as the phone shows it, spacing included: a named one
    (template-configs) in square brackets, a numbered one as configured in
    ``signatures``; "" when its text is unknown."""
    if signature is None:
        return ""
    if signature.name is not None:
        if signature.position is SignaturePosition.SUFFIX:
            return f" [{signature.name}]"
        return f"[{signature.name}] "
    return signatures.get(signature.id, "") if isinstance(signature.id, int) else ""


def signed(signature: Signature | None, text: str, signatures: Mapping[int, str]) -> str:
    """``text`` with the signature added, when its text is known."""
    sign = signature_text(signature, signatures)
    if signature is not None and signature.position is SignaturePosition.SUFFIX:
        return text + sign
    return sign + text


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
    for label, values, text in rendered(template, syntax, signatures, params):
        yield Rendering(template.name, label, values, text)


def rendered(
    template: Template,
    syntax: Syntax,
    signatures: Mapping[int, str],
    params: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, Mapping[str, str], str]]:
    """(label, params, text) of each of :func:`renderings`, for lint to
    check every template's without building them."""
    if params is not None:
        cases: list[tuple[str, Mapping[str, str]]] = [("params", params)]
    elif template.samples:
        cases = [(f"sample {i}", s.params) for i, s in enumerate(template.samples, 1)]
    else:
        cases = [("content as written", {})]
    for label, values in cases:
        yield (
            label,
            values,
            signed(template.signature, render(template.content, values, syntax), signatures),
        )
