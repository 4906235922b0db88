"""SMS encoding and segment counting per 3GPP TS 23.038 / 23.040.

GSM-7: the default alphabet costs one septet a character, its extension
table two (escape + character); 160 septets fit one message, 153 each part
of a concatenated one, and an escape pair is never split. Anything outside
the alphabet makes the whole message UCS-2: 70 UTF-16 code units in one
message, 67 a part, and a surrogate pair is never split.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tplsync.words import plural

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

_REPLACEMENTS = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "´": "'",
    "`": "'",
    "ʼ": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "«": '"',
    "»": '"',
    "‹": "<",
    "›": ">",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "―": "-",
    "−": "-",
    "•": "-",
    "…": "...",
    "‼": "!!",
    "÷": "/",
    "⁄": "/",
    "¼": "1/4",
    "½": "1/2",
    "¾": "3/4",
    "\u00a0": " ",
    "\u2000": " ",
    "\u2001": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2007": " ",
    "\u2008": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u205f": " ",
    "\u3000": " ",
    "\t": " ",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "。": ".",
    "、": ",",
    "©": "(c)",
    "®": "(R)",
    "™": "TM",
    "¢": "c",
}


class Encoding(Enum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


def is_gsm7(char: str) -> bool:
    return char in GSM7_BASIC or char in GSM7_EXTENSION


def septets(char: str) -> int:
    return 2 if char in GSM7_EXTENSION else 1


def replacement(char: str) -> str | None:
    """A GSM-7 text to use instead of ``char``; None when there is none."""
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    if "\uff01" <= char <= "\uff5e":
        ascii_char = chr(ord(char) - 0xFEE0)
        return ascii_char if is_gsm7(ascii_char) else None
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if base and base != char and all(is_gsm7(c) for c in base):
        return base
    return None


@dataclass(frozen=True)
class ForcedCharacter:
    """A character that forces UCS-2, at ``index`` (0-based, in code points)."""

    char: str
    index: int
    replacement: str | None

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    def describe(self) -> str:
        name = unicodedata.name(self.char, self.codepoint)
        suggestion = (
            f"use {self.replacement!r}" if self.replacement else "no GSM-7 equivalent: remove it"
        )
        return f"{self.char!r} ({name}) at col {self.index + 1}: {suggestion}"

    def to_json(self) -> dict[str, Any]:
        return {
            "char": self.char,
            "codepoint": self.codepoint,
            "position": self.index + 1,
            "replacement": self.replacement,
        }


@dataclass(frozen=True)
class Analysis:
    """What a phone receives for ``text``: encoding, size and segments."""

    text: str
    encoding: Encoding
    units: int
    parts: tuple[str, ...]
    forced: tuple[ForcedCharacter, ...]

    @property
    def characters(self) -> int:
        return len(self.text)

    @property
    def segments(self) -> int:
        return len(self.parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding.value,
            "characters": self.characters,
            "units": self.units,
            "segments": self.segments,
            "ucs2_characters": [forced.to_json() for forced in self.forced],
        }

    def summary(self) -> str:
        unit = "septets" if self.encoding is Encoding.GSM7 else "UTF-16 units"
        return (
            f"{self.encoding.value}, {self.characters} characters, {self.units} {unit}, "
            f"{plural(self.segments, 'segment')}"
        )


GSM7 = GSM7_BASIC | GSM7_EXTENSION


def forced_characters(text: str) -> tuple[ForcedCharacter, ...]:
    if GSM7.issuperset(text):
        return ()
    return tuple(
        ForcedCharacter(char, index, replacement(char))
        for index, char in enumerate(text)
        if char not in GSM7
    )


def analyse(text: str) -> Analysis:
    forced = forced_characters(text)
    if forced:
        encoding = Encoding.UCS2
        units = len(text.encode("utf-16-le")) // 2
    else:
        encoding = Encoding.GSM7
        units = len(text) + sum(text.count(char) for char in GSM7_EXTENSION.intersection(text))
    if units <= (UCS2_SINGLE if forced else GSM7_SINGLE):
        parts: tuple[str, ...] = (text,)
    elif forced:
        parts = _split(text, [2 if ord(char) > 0xFFFF else 1 for char in text], UCS2_PART)
    else:
        parts = _split(text, [septets(char) for char in text], GSM7_PART)
    return Analysis(text, encoding, units, parts, forced)


def surely_within(text: str, max_segments: int) -> bool:
    """True when ``text`` cannot take more than ``max_segments`` segments,
    decided without analysing it: a character costs at most 2 units, and a
    part holds at least 66 UTF-16 units (67 less a surrogate pair kept
    whole) or 152 septets."""
    return 2 * len(text) <= (UCS2_PART - 1) * max_segments


def _split(text: str, costs: list[int], size: int) -> tuple[str, ...]:
    """Cut into parts of at most ``size`` units, never inside a character."""
    parts: list[str] = []
    start = used = 0
    for index, cost in enumerate(costs):
        if used + cost > size:
            parts.append(text[start:index])
            start, used = index, 0
        used += cost
    parts.append(text[start:])
    return tuple(parts)
