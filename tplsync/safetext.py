"""Text from files and servers made safe to show: no control characters, bounded length.

A remote name or a server's message can carry a newline followed by
``::error::`` (a GitHub Actions workflow command), terminal escape codes or
right-to-left overrides; printed raw, it rewrites what a reviewer sees.
"""

from __future__ import annotations

import re
import unicodedata

CLIP = 200

# C0 and C1 controls, DEL, the line and paragraph separators, and the
# bidirectional formatting characters
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    return escape(match.group())


def escape(char: str) -> str:
    """``char`` as ``\\xhh``, ``\\uhhhh`` or ``\\Uhhhhhhhh``: the same in Python and YAML."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def invisible(char: str) -> bool:
    """A control (but tab and newline), a format character (bidi, zero-width,
    tag characters, the soft hyphen) or a line or paragraph separator: what
    a reader cannot see, or sees move the text around it."""
    return char not in "\t\n" and _hidden(char)


# anything outside printable ASCII: only then is each character looked at
_NOT_PLAIN = re.compile(r"[^\x20-\x7e]")


def printable(text: str) -> str:
    """``text`` with every control and format character (bidi, zero-width…)
    and line separator written as an escape (``\\n``, ``\\x1b``, ``\\u202e``,
    ``\\u200b``), as ``pull`` writes them, and a leading ``::`` (a workflow
    command on a line of its own) made inert."""
    escaped = text
    if _NOT_PLAIN.search(text):
        escaped = "".join(escape(char) if _hidden(char) else char for char in text)
    return "\\x3a" + escaped[1:] if escaped.startswith("::") else escaped


def has_unsafe(text: str) -> str | None:
    """The first control or bidi character in ``text``, escaped, else None."""
    found = _UNSAFE.search(text)
    return None if found is None else _escape(found)


def clip(text: str, limit: int = CLIP) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


_MARKDOWN = re.compile(
    r"[&<>\[\]\\`*_~|]|(?<=[@#])|(?=://)|(?<=www)(?=\.)|(?<=\bgh)(?=-\d)", re.IGNORECASE
)
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
ZERO_WIDTH_SPACE = "&#8203;"


def _inert(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char, f"&#{ord(char)};") if char else ZERO_WIDTH_SPACE


def inert_markdown(text: str) -> str:
    """``text`` to show in markdown (a pull request comment, a job summary),
    in running text or raw HTML, that GitHub renders as it is: markup and
    HTML as entities (no link, image, tag or emphasis), and a zero-width
    space after ``@`` and ``#``, before ``://``, after ``www`` and inside
    ``GH-12``, so no one is mentioned and no issue, URL or address is linked."""
    return _MARKDOWN.sub(_inert, text)
