"""Prices per SMS segment from ``tplsync.yaml`` and costs per 1,000 sends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SENDS = 1000


@dataclass(frozen=True)
class Pricing:
    """``per_segment`` by default; ``countries`` by calling code prefix."""

    per_segment: float
    currency: str = ""
    countries: Mapping[str, float] = field(default_factory=dict)

    @staticmethod
    def from_settings(settings: Mapping[str, Any]) -> Pricing:
        return Pricing(
            per_segment=float(settings["per_segment"]),
            currency=settings.get("currency", ""),
            countries={
                prefix.lstrip("+"): float(price)
                for prefix, price in settings.get("countries", {}).items()
            },
        )

    def price(self, country: str | None = None) -> float:
        """The price of a segment for a number or calling code (longest prefix)."""
        digits = (country or "").lstrip("+")
        matches = [prefix for prefix in self.countries if digits.startswith(prefix)]
        return self.countries[max(matches, key=len)] if matches else self.per_segment

    def per_thousand(self, segments: int, country: str | None = None) -> float:
        return segments * self.price(country) * SENDS

    def amount(self, value: float) -> str:
        text = f"{value:,.2f}"
        return f"{text} {self.currency}" if self.currency else text

    def cost_text(self, segments: int, country: str | None = None) -> str:
        return self.amount(self.per_thousand(segments, country))
