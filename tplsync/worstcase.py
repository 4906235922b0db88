"""The cheapest and the costliest message a template's declarations allow.

Segments never decrease when a character is added or replaced by a costlier
one (a GSM-7 extension character, or a character outside the BMP in UCS-2),
so the costliest message fills every variable to its longest with its
costliest character, once as GSM-7 and once as UCS-2 when a variable can
force it, and keeps the worse of the two. The cheapest fills every variable
to its shortest with its cheapest character. Each constructed value is
checked against its declaration: when one fails (a pattern the bounds only
over-estimate), the figure is an upper (or lower) bound, not exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tplsync.model import Template
from tplsync.placeholders import Syntax, occurrences, render, variables
from tplsync.preview import signature_text, signed
from tplsync.segments import (
    GSM7,
    GSM7_BASIC,
    GSM7_EXTENSION,
    GSM7_PART,
    Analysis,
    Encoding,
    analyse,
)
from tplsync.variables import Alphabet, Declaration

_BASIC = sorted(GSM7_BASIC)
_EXTENSION = sorted(GSM7_EXTENSION)


@dataclass(frozen=True)
class Case:
    """A constructed message; ``exact`` when every value is valid."""

    analysis: Analysis
    values: Mapping[str, str]
    exact: bool

    def describe(self, bound: str = "at most") -> str:
        """Its summary; ``bound`` first when a value breaks its declaration."""
        return self.analysis.summary() if self.exact else f"{bound} {self.analysis.summary()}"

    def to_json(self) -> dict[str, Any]:
        found = self.analysis.to_json()
        del found["ucs2_characters"]  # constructed text: its characters say nothing
        return {**found, "exact": self.exact}


@dataclass(frozen=True)
class Bounds:
    """Best and worst case; ``worst`` None when a variable is unbounded,
    both None when a variable is undeclared."""

    best: Case | None
    worst: Case | None
    undeclared: tuple[str, ...] = ()
    unbounded: tuple[str, ...] = ()
    forcing: tuple[str, ...] = ()

    @property
    def worst_segments(self) -> int | None:
        return self.worst.analysis.segments if self.worst is not None else None

    def describe_best(self) -> str:
        return self.best.describe("at least") if self.best is not None else ""

    def describe_worst(self) -> str:
        if self.undeclared:
            return f"not declared: {', '.join(self.undeclared)}"
        if self.worst is None:
            return f"unbounded ({', '.join(self.unbounded)} has no maximum length)"
        return self.worst.describe()

    def to_json(self) -> dict[str, Any]:
        return {
            "best": self.best.to_json() if self.best else None,
            "worst": self.worst.to_json() if self.worst else None,
            "undeclared": list(self.undeclared),
            "unbounded": list(self.unbounded),
            "can_force_ucs2": list(self.forcing),
        }


def bounds(template: Template, syntax: Syntax, signatures: Mapping[int, str]) -> Bounds:
    names = variables(template.content, syntax)
    declared = {declaration.name: declaration for declaration in template.variables}
    undeclared = tuple(name for name in names if name not in declared)
    if undeclared:
        return Bounds(None, None, undeclared)
    used = [declared[name] for name in names]
    limits = {d.name: d.bounds for d in used}
    empty = render(template.content, dict.fromkeys(names, ""), syntax)
    fixed = signed(template.signature, empty, signatures)
    fixed_gsm7 = GSM7.issuperset(fixed)
    forcing = tuple(d.name for d in used if d.can_force_ucs2)
    unbounded = tuple(name for name, limit in limits.items() if limit.max_length is None)

    def build(values: dict[str, str]) -> Case:
        text = signed(template.signature, render(template.content, values, syntax), signatures)
        exact = all(declared[name].accepts(value) for name, value in values.items())
        return Case(analyse(text), values, exact)

    best_gsm7 = _gsm7_values(used, longest=False) if fixed_gsm7 else None
    best = build(best_gsm7 if best_gsm7 is not None else _ucs2_values(used, longest=False))
    if unbounded:
        return Bounds(best, None, (), unbounded, forcing)
    cases = []
    worst_gsm7 = _gsm7_values(used, longest=True) if fixed_gsm7 else None
    if worst_gsm7 is not None:
        cases.append(build(worst_gsm7))
    if not fixed_gsm7 or forcing:
        cases.append(build(_ucs2_values(used, longest=True)))
    worst = max(cases, key=_cost)
    return Bounds(best, worst, (), (), forcing)


def surely_within(
    template: Template, syntax: Syntax, signatures: Mapping[int, str], limit: int
) -> bool:
    """True when every variable is declared, bounded and unable to force
    UCS-2 and the worst case cannot exceed ``limit`` segments, decided
    without constructing it: each character costs at most 2 septets, and a
    part holds at least 152 septets (153 less an escape kept whole)."""
    declared = {d.name: d for d in template.variables}
    signature = signature_text(template.signature, signatures)
    total = len(template.content) + len(signature)
    for name in occurrences(template.content, syntax):
        declaration = declared.get(name)
        if declaration is None or declaration.can_force_ucs2:
            return False
        longest = declaration.bounds.max_length
        if longest is None:
            return False
        total += longest
    if 2 * total > (GSM7_PART - 1) * limit:
        return False
    return GSM7.issuperset(template.content) and GSM7.issuperset(signature)


def _cost(case: Case) -> tuple[int, bool, int]:
    analysis = case.analysis
    return analysis.segments, analysis.encoding is Encoding.UCS2, analysis.units


def _septets(text: str) -> int:
    return sum(2 if char in GSM7_EXTENSION else 1 for char in text)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _gsm7_costliest(alphabet: Alphabet) -> str | None:
    return alphabet.first_of(_EXTENSION) or alphabet.first_of(_BASIC)


def _gsm7_cheapest(alphabet: Alphabet) -> str | None:
    return alphabet.first_of(_BASIC) or alphabet.first_of(_EXTENSION)


def _ucs2_costliest(alphabet: Alphabet) -> str | None:
    return alphabet.outside_gsm7() or alphabet.first_in_bmp()


def _ucs2_cheapest(alphabet: Alphabet) -> str | None:
    return alphabet.first_in_bmp() or alphabet.outside_gsm7()


def _gsm7_values(used: Sequence[Declaration], longest: bool) -> dict[str, str] | None:
    """Values within GSM-7; None when a variable must leave it."""
    values = {}
    for declaration in used:
        pick = _gsm7_costliest if longest else _gsm7_cheapest
        value = declaration.extreme(pick, _septets, longest)
        if value is None and longest:  # no GSM-7 character: as short as allowed
            value = declaration.extreme(_gsm7_cheapest, _septets, False)
        if value is None:
            return None
        values[declaration.name] = value
    return values


def _ucs2_values(used: Sequence[Declaration], longest: bool) -> dict[str, str]:
    pick = _ucs2_costliest if longest else _ucs2_cheapest
    return {d.name: d.extreme(pick, _units, longest) or "" for d in used}
