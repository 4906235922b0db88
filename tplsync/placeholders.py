"""Placeholder syntaxes and rendering exactly as the service substitutes.

The service replaces ``{{name}}`` (or ``%name%`` / ``{name}`` in the older
and newer dialects) with the param's value and leaves everything else, a
placeholder with no value included, as literal text. Nothing is evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum

NAME = r"[A-Za-z_][A-Za-z0-9_]*"


class Syntax(Enum):
    MUSTACHE = "mustache"
    PERCENT = "percent"
    BRACE = "brace"

    @property
    def example(self) -> str:
        return {"mustache": "{{name}}", "percent": "%name%", "brace": "{name}"}[self.value]

    def placeholder(self, name: str) -> str:
        return self.example.replace("name", name)


_PATTERNS = {
    Syntax.MUSTACHE: re.compile(r"\{\{(" + NAME + r")\}\}"),
    Syntax.PERCENT: re.compile(r"%(" + NAME + r")%"),
    Syntax.BRACE: re.compile(r"(?<!\{)\{(" + NAME + r")\}(?!\})"),
}


def variables(content: str, syntax: Syntax) -> list[str]:
    """The distinct variable names of ``content``, in order of first use."""
    return list(dict.fromkeys(_PATTERNS[syntax].findall(content)))


def occurrences(content: str, syntax: Syntax) -> list[str]:
    """The variable name of every placeholder of ``content``, repeats included."""
    return list(_PATTERNS[syntax].findall(content))


def render(content: str, params: Mapping[str, str], syntax: Syntax) -> str:
    """Substitute params; a placeholder without a value stays literal."""

    def substitute(match: re.Match[str]) -> str:
        value = params.get(match.group(1))
        return match.group(0) if value is None else value

    return _PATTERNS[syntax].sub(substitute, content)


@dataclass(frozen=True)
class Malformed:
    start: int
    end: int
    message: str


_MUSTACHE_LIKE = re.compile(r"\{\{(.*?)\}\}|\{%.*?%\}|\{\{|\}\}", re.DOTALL)
_BLOCK = re.compile(r"\{%.*?%\}", re.DOTALL)
_PLAIN = re.compile(NAME + r"\Z")
_MARKS = re.compile(r"[{}%]")


def malformed(content: str, syntax: Syntax) -> Iterator[Malformed]:
    """Placeholder mistakes: broken braces, non-plain names, other syntaxes."""
    if syntax is Syntax.MUSTACHE and not _MARKS.search(_PATTERNS[syntax].sub("", content)):
        return  # the common case: every brace belongs to a well-formed placeholder
    taken: list[tuple[int, int]] = []
    for match in _MUSTACHE_LIKE.finditer(content):
        taken.append(match.span())
        text = match.group(0)
        inner = match.group(1)
        if text.startswith("{%"):
            yield Malformed(
                *match.span(),
                f"{text} is a template-engine block: the service "
                "sends it literally and evaluates nothing",
            )
        elif inner is None:
            yield Malformed(
                *match.span(), f"unbalanced {text!r}: a placeholder is {Syntax.MUSTACHE.example}"
            )
        elif _PLAIN.match(inner):
            if syntax is not Syntax.MUSTACHE:
                yield _other_syntax(match, Syntax.MUSTACHE, syntax)
        elif not inner.strip():
            yield Malformed(*match.span(), f"empty placeholder {text!r}")
        elif _PLAIN.match(inner.strip()):
            yield Malformed(
                *match.span(),
                f"{text!r} has spaces inside: the service only "
                f"substitutes {Syntax.MUSTACHE.placeholder(inner.strip())}",
            )
        else:
            yield Malformed(
                *match.span(),
                f"{text!r} is not a plain variable name: filters "
                "and expressions are sent literally, never evaluated",
            )
    for other in (Syntax.PERCENT, Syntax.BRACE):
        for match in _PATTERNS[other].finditer(content):
            if other is syntax or _inside(match.span(), taken):
                continue
            yield _other_syntax(match, other, syntax)
    if syntax is Syntax.BRACE:
        for match in re.finditer(r"(?<!\{)\{(?!\{)[^{}]*\}?|(?<!\})\}", content):
            if _inside(match.span(), taken) or _PATTERNS[Syntax.BRACE].fullmatch(match.group(0)):
                continue
            yield Malformed(
                *match.span(),
                f"malformed placeholder {match.group(0)!r}: a "
                f"placeholder is {Syntax.BRACE.example}",
            )


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in taken)


def _other_syntax(match: re.Match[str], found: Syntax, configured: Syntax) -> Malformed:
    name = match.group(1)
    return Malformed(
        match.start(),
        match.end(),
        f"{match.group(0)} uses the {found.value} syntax; this project uses "
        f"{configured.value}: write {configured.placeholder(name)} "
        "(or set variables.syntax in tplsync.yaml)",
    )
