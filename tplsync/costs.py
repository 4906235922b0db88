"""A template's segments at sample, typical and worst case, and their cost."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tplsync.model import Template
from tplsync.placeholders import Syntax, render, variables
from tplsync.preview import Rendering, signed
from tplsync.pricing import Pricing
from tplsync.segments import analyse
from tplsync.worstcase import Bounds, bounds


@dataclass(frozen=True)
class Estimate:
    """Segments a send takes: ``sample`` the costliest rendering shown,
    ``typical`` with each variable's ``example`` (else its first sample
    value), None when some variable has neither."""

    template: str
    bounds: Bounds
    sample: int | None
    typical: int | None

    @property
    def worst(self) -> int | None:
        return self.bounds.worst_segments

    def cases(self) -> dict[str, int | None]:
        return {"sample": self.sample, "typical": self.typical, "worst": self.worst}


def typical_params(template: Template, syntax: Syntax) -> dict[str, str] | None:
    first = template.samples[0].params if template.samples else {}
    examples = {d.name: d.example for d in template.variables if d.example is not None}
    values = {}
    for name in variables(template.content, syntax):
        value = examples.get(name, first.get(name))
        if value is None:
            return None
        values[name] = value
    return values


def estimate(
    template: Template,
    syntax: Syntax,
    signatures: Mapping[int, str],
    shown: Sequence[Rendering] = (),
) -> Estimate:
    typical = typical_params(template, syntax)
    typical_segments = None
    if typical is not None:
        text = signed(template.signature, render(template.content, typical, syntax), signatures)
        typical_segments = analyse(text).segments
    sample = max((rendering.analysis.segments for rendering in shown), default=None)
    return Estimate(template.name, bounds(template, syntax, signatures), sample, typical_segments)


def cost_line(estimate: Estimate, pricing: Pricing, country: str | None = None) -> str:
    shown = [
        f"{case} {pricing.cost_text(segments, country)}"
        for case, segments in estimate.cases().items()
        if segments is not None
    ]
    if estimate.worst is None:
        shown.append("worst not declared" if estimate.bounds.undeclared else "worst unbounded")
    where = f" to +{country.lstrip('+')}" if country else ""
    return f"cost per 1,000 sends{where}: {', '.join(shown)}"


def estimate_lines(estimate: Estimate, pricing: Pricing | None) -> list[str]:
    found = estimate.bounds
    if not found.undeclared and found.best is not None:
        lines = [f"best case: {found.describe_best()}", f"worst case: {found.describe_worst()}"]
    else:
        lines = [f"worst case: {found.describe_worst()} (samples only)"]
    if pricing is not None:
        lines.append(cost_line(estimate, pricing))
        lines.extend(cost_line(estimate, pricing, prefix) for prefix in pricing.countries)
    return lines


def estimate_json(estimate: Estimate, pricing: Pricing | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "declared": estimate.bounds.to_json(),
        "segments_by_case": estimate.cases(),
    }
    if pricing is not None:
        places: list[str | None] = [None, *pricing.countries]
        result["cost_per_1000"] = {
            "currency": pricing.currency,
            **{
                place or "default": {
                    case: None if segments is None else pricing.per_thousand(segments, place)
                    for case, segments in estimate.cases().items()
                }
                for place in places
            },
        }
    return result
