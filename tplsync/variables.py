"""Declared variables: which values a placeholder may take, and checks.

A declaration bounds a variable by ``charset`` (the characters allowed),
``min_length``/``max_length`` (in characters, i.e. code points) and
``pattern`` (a regular expression every value must match in full). What a
value may contain is summarised as an :class:`Alphabet` of code point
ranges, which the worst-case analysis reads.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from importlib import import_module
from typing import Any

from tplsync.segments import GSM7, GSM7_BASIC

_SURROGATES = (0xD800, 0xDFFF)
_MAX_CODE_POINT = 0x10FFFF

MAX_VALUE_LENGTH = 1000
"""The longest value a declaration may allow, and a pattern is matched against."""
_MATCH_PATHS = 1_000_000  # ways a backtracking match may try: about 0.05 s
_MAX_NESTING = 50


class Charset(Enum):
    """``gsm7-basic``: the GSM-7 default alphabet, one septet a character;
    ``gsm7``: that plus the extension table (``^{}\\[~]|€`` and form feed),
    two septets each; ``unicode``: any character."""

    GSM7_BASIC = "gsm7-basic"
    GSM7 = "gsm7"
    UNICODE = "unicode"

    def allows(self, char: str) -> bool:
        if self is Charset.UNICODE:
            return True
        return char in (GSM7_BASIC if self is Charset.GSM7_BASIC else GSM7)

    def allows_all(self, text: str) -> bool:
        if self is Charset.UNICODE:
            return True
        return (GSM7_BASIC if self is Charset.GSM7_BASIC else GSM7).issuperset(text)


Ranges = tuple[tuple[int, int], ...]


def _ranges(chars: Iterable[str]) -> Ranges:
    return _merged((ord(char), ord(char)) for char in chars)


def _merged(ranges: Iterable[tuple[int, int]]) -> Ranges:
    """Sorted, with overlapping and adjacent ranges joined."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


@dataclass(frozen=True)
class Alphabet:
    """A set of characters as sorted, disjoint, inclusive code point ranges."""

    ranges: Ranges

    @staticmethod
    def of(charset: Charset) -> Alphabet:
        return _charset_alphabet(charset)

    def __contains__(self, char: object) -> bool:
        if not isinstance(char, str) or len(char) != 1:
            return False
        point = ord(char)
        index = bisect_right(self.ranges, (point, _MAX_CODE_POINT)) - 1
        return index >= 0 and self.ranges[index][1] >= point

    def intersect(self, other: Alphabet) -> Alphabet:
        mine, theirs = self.ranges, other.ranges
        found, i, j = [], 0, 0
        while i < len(mine) and j < len(theirs):
            low, high = max(mine[i][0], theirs[j][0]), min(mine[i][1], theirs[j][1])
            if low <= high:
                found.append((low, high))
            if mine[i][1] < theirs[j][1]:
                i += 1
            else:
                j += 1
        return Alphabet(tuple(found))

    def union(self, other: Alphabet) -> Alphabet:
        return Alphabet(_merged((*self.ranges, *other.ranges)))

    def chars(self) -> Iterator[str]:
        """Its characters, lowest first; lone surrogates are never values."""
        for low, high in self.ranges:
            for point in range(low, high + 1):
                if not _SURROGATES[0] <= point <= _SURROGATES[1]:
                    yield chr(point)

    def first_of(self, candidates: Iterable[str]) -> str | None:
        """The first of ``candidates`` that it holds."""
        return next((char for char in candidates if char in self), None)

    def first_in_bmp(self) -> str | None:
        return next((char for char in self.chars() if ord(char) <= 0xFFFF), None)

    def outside_gsm7(self) -> str | None:
        """A character that forces UCS-2, preferring one outside the BMP."""
        return _outside_gsm7(self)


@lru_cache(maxsize=4096)
def _outside_gsm7(alphabet: Alphabet) -> str | None:
    for low, high in reversed(alphabet.ranges):
        if high > 0xFFFF:
            return chr(max(low, 0x10000))
    # A range holds a character outside GSM-7 (fewer than 160 characters)
    # and the surrogates (2,048) within that many steps of its start, or none.
    for low, high in alphabet.ranges:
        for point in range(low, min(high, low + len(GSM7) + 2048) + 1):
            char = chr(point)
            if char not in GSM7 and not _SURROGATES[0] <= point <= _SURROGATES[1]:
                return char
    return None


ANY = Alphabet(((0, _SURROGATES[0] - 1), (_SURROGATES[1] + 1, _MAX_CODE_POINT)))
EMPTY = Alphabet(())


@cache
def _charset_alphabet(charset: Charset) -> Alphabet:
    if charset is Charset.UNICODE:
        return ANY
    return Alphabet(_ranges(GSM7_BASIC if charset is Charset.GSM7_BASIC else GSM7))


Pick = Callable[[Alphabet], "str | None"]
Cost = Callable[[str], int]


@dataclass(frozen=True)
class PatternBounds:
    """What a pattern allows: lengths and characters (an over-estimate
    where the pattern is too complex to follow); ``max_length`` None:
    unbounded."""

    min_length: int
    max_length: int | None
    alphabet: Alphabet


def _parse(pattern: str) -> tuple[Any, Any]:
    """The standard library's parse of ``pattern``, as ``re`` makes it."""
    sre: Any = import_module("re._constants")
    with _quiet():
        return import_module("re._parser").parse(pattern), sre


@contextmanager
def _quiet() -> Iterator[None]:
    """No FutureWarning of ``re`` about syntax it may read differently one
    day (``[[``, ``--``): printed, it would interrupt lint's output."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        yield


@cache
def pattern_bounds(pattern: str) -> PatternBounds:
    parsed, sre = _parse(pattern)
    low, high, alphabet = _bounds(parsed, sre)
    if parsed.state.flags & re.IGNORECASE:
        # case folding matches characters the pattern never names (K → U+212A)
        alphabet = ANY
    return PatternBounds(low, high, alphabet)


def _bounds(items: Any, sre: Any) -> tuple[int, int | None, Alphabet]:
    """Minimum and maximum length and alphabet of a parsed sequence."""
    low, alphabet = 0, EMPTY
    high: int | None = 0
    for op, arg in items:
        item_low, item_high, item_alphabet = _item_bounds(op, arg, sre)
        low += item_low
        high = None if high is None or item_high is None else high + item_high
        alphabet = alphabet.union(item_alphabet)
    return low, high, alphabet


def _item_bounds(op: Any, arg: Any, sre: Any) -> tuple[int, int | None, Alphabet]:
    if op is sre.LITERAL:
        return 1, 1, Alphabet(((arg, arg),))
    if op in (sre.NOT_LITERAL, sre.ANY):
        return 1, 1, ANY
    if op is sre.IN:
        return 1, 1, _class_alphabet(arg, sre)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        minimum, maximum, sub = arg
        sub_low, sub_high, alphabet = _bounds(sub, sre)
        high = None
        if maximum is not sre.MAXREPEAT and sub_high is not None:
            high = maximum * sub_high
        elif sub_high == 0:
            high = 0
        return minimum * sub_low, high, alphabet
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = arg
        low, high, alphabet = _bounds(sub, sre)
        return low, high, ANY if add_flags & re.IGNORECASE else alphabet
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _bounds(arg, sre)
    if op is sre.BRANCH:
        branches = [_bounds(branch, sre) for branch in arg[1]]
        highs = [high for _, high, _ in branches]
        alphabet = EMPTY
        for _, _, branch_alphabet in branches:
            alphabet = alphabet.union(branch_alphabet)
        high = None if None in highs else max(h for h in highs if h is not None)
        return min(low for low, _, _ in branches), high, alphabet
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return 0, 0, EMPTY
    # group references and conditionals: lengths cannot be followed
    return 0, None, ANY


def _extreme(
    items: Any, sre: Any, charset: Alphabet, pick: Pick, cost: Cost, longest: bool
) -> str | None:
    """A value of a parsed sequence, each position filled by ``pick``."""
    parts = []
    for op, arg in items:
        if op is sre.LITERAL:
            part: str | None = chr(arg)
        elif op in (sre.NOT_LITERAL, sre.ANY, sre.IN):
            alphabet = _class_alphabet(arg, sre) if op is sre.IN else ANY
            part = pick(alphabet.intersect(charset))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            minimum, maximum, sub = arg
            count = maximum if longest else minimum
            one = _extreme(sub, sre, charset, pick, cost, longest)
            part = None if one is None or count is sre.MAXREPEAT else one * count
        elif op is sre.SUBPATTERN:
            part = _extreme(arg[3], sre, charset, pick, cost, longest)
        elif op is sre.BRANCH:
            found = [_extreme(branch, sre, charset, pick, cost, longest) for branch in arg[1]]
            options = [(cost(text), len(text), text) for text in found if text is not None]
            part = (max(options) if longest else min(options))[2] if options else None
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            part = ""
        else:
            part = None
        if part is None:
            return None
        parts.append(part)
    return "".join(parts)


def _class_alphabet(items: Any, sre: Any) -> Alphabet:
    ranges: list[tuple[int, int]] = []
    for op, arg in items:
        if op is sre.LITERAL:
            ranges.append((arg, arg))
        elif op is sre.RANGE:
            ranges.append(arg)
        else:  # NEGATE, CATEGORY (\d matches every script's digits), …
            return ANY
    return Alphabet(_merged(ranges))


@dataclass(frozen=True)
class Declaration:
    """One entry of a template's ``variables:``."""

    name: str
    charset: Charset = Charset.UNICODE
    min_length: int = 0
    max_length: int | None = None
    pattern: str | None = None
    example: str | None = None

    @property
    def bounds(self) -> PatternBounds:
        """Lengths and characters every valid value keeps within."""
        return _declared_bounds(self)

    def accepts(self, value: str) -> bool:
        return violation(self, value) is None

    @property
    def can_force_ucs2(self) -> bool:
        """Whether a value may hold a character outside GSM-7."""
        return _can_force_ucs2(self)

    def extreme(self, pick: Pick, cost: Cost, longest: bool) -> str | None:
        """The longest (or shortest) value made of the characters ``pick``
        chooses, following the pattern when it can be; None when ``pick``
        finds no character where one is needed."""
        return _extreme_value(self, pick, cost, longest)


# Templates share declarations: each is analysed once.
@lru_cache(maxsize=4096)
def _declared_bounds(declaration: Declaration) -> PatternBounds:
    alphabet = Alphabet.of(declaration.charset)
    low, high = declaration.min_length, declaration.max_length
    if declaration.pattern is not None:
        found = pattern_bounds(declaration.pattern)
        alphabet = alphabet.intersect(found.alphabet)
        low = max(low, found.min_length)
        if found.max_length is not None:
            high = found.max_length if high is None else min(high, found.max_length)
    return PatternBounds(low, high, alphabet)


@lru_cache(maxsize=4096)
def _can_force_ucs2(declaration: Declaration) -> bool:
    limits = declaration.bounds
    return limits.max_length != 0 and limits.alphabet.outside_gsm7() is not None


@lru_cache(maxsize=4096)
def _extreme_value(declaration: Declaration, pick: Pick, cost: Cost, longest: bool) -> str | None:
    limits = declaration.bounds
    length = limits.max_length if longest else limits.min_length
    if length is None:
        return None
    if declaration.pattern is not None:
        found = pattern_bounds(declaration.pattern)
        if (found.max_length if longest else found.min_length) == length:
            parsed, sre = _parse(declaration.pattern)
            if not parsed.state.flags & re.IGNORECASE:
                charset = Alphabet.of(declaration.charset)
                built = _extreme(parsed, sre, charset, pick, cost, longest)
                if built is not None:
                    return built
    char = pick(limits.alphabet) if length else ""
    return None if char is None else char * length


@dataclass(frozen=True)
class Violation:
    """Why a value breaks its declaration; ``index`` is the offending
    character (None: the value as a whole)."""

    variable: str
    rule: str
    message: str
    index: int | None = None


def violation(declaration: Declaration, value: str) -> Violation | None:
    name = declaration.name
    if declaration.max_length is not None and len(value) > declaration.max_length:
        return Violation(
            name,
            "max_length",
            f"{name!r} is {len(value)} characters long, more than max_length "
            f"{declaration.max_length}",
            declaration.max_length,
        )
    if len(value) < declaration.min_length:
        return Violation(
            name,
            "min_length",
            f"{name!r} is {len(value)} characters long, fewer than min_length "
            f"{declaration.min_length}",
        )
    charset = declaration.charset
    for index, char in enumerate("" if charset.allows_all(value) else value):
        if not charset.allows(char):
            return Violation(
                name,
                "charset",
                f"{name!r} has {char!r} (U+{ord(char):04X}) at character {index + 1}, "
                f"outside charset {declaration.charset.value}",
                index,
            )
    if declaration.pattern is not None and len(value) > MAX_VALUE_LENGTH:
        return Violation(
            name,
            "pattern",
            f"{name!r} is {len(value)} characters long, more than the {MAX_VALUE_LENGTH} "
            "a pattern is matched against",
            MAX_VALUE_LENGTH,
        )
    if declaration.pattern is not None and _compiled(declaration.pattern).fullmatch(value) is None:
        return Violation(
            name,
            "pattern",
            f"{name!r} value {value!r} does not match pattern {declaration.pattern!r}",
        )
    return None


def declarations(data: Mapping[str, Mapping[str, Any]]) -> tuple[Declaration, ...]:
    """Declarations from a schema-valid ``variables:`` mapping."""
    return tuple(
        _declaration(
            name,
            entry.get("charset", Charset.UNICODE.value),
            entry.get("min_length", 0),
            entry.get("max_length"),
            entry.get("pattern"),
            entry.get("example"),
        )
        for name, entry in data.items()
    )


# Templates repeat declarations: each is built (and later analysed) once.
@lru_cache(maxsize=4096)
def _declaration(
    name: str,
    charset: str,
    min_length: float,
    max_length: float | None,
    pattern: str | None,
    example: str | None,
) -> Declaration:
    return Declaration(
        name=name,
        charset=Charset(charset),
        min_length=int(min_length),  # the schema allows 3.0
        max_length=None if max_length is None else int(max_length),
        pattern=pattern,
        example=example,
    )


def declaration_error(declaration: Declaration) -> tuple[str, str] | None:
    """(key, message) when a declaration contradicts itself, or its pattern
    could take too long to match or to analyse."""
    if declaration.pattern is not None:
        problem = _pattern_error(declaration.pattern, declaration.max_length)
        if problem is not None:
            return "pattern", problem
    high = declaration.max_length
    if high is not None and declaration.min_length > high:
        return "min_length", f"min_length {declaration.min_length} is more than max_length {high}"
    return None


class _TooDeep(Exception):
    pass


@lru_cache(maxsize=4096)
def _pattern_error(pattern: str, max_length: int | None) -> str | None:
    try:
        _compiled(pattern)
        parsed, sre = _parse(pattern)
    except re.error as error:
        return f"invalid regular expression: {error}"
    except RecursionError:
        return "invalid regular expression: nested too deeply"
    longest = MAX_VALUE_LENGTH if max_length is None else min(max_length, MAX_VALUE_LENGTH)
    try:
        paths = _paths(parsed, sre, longest, 0)
    except _TooDeep:
        return f"groups are nested more than {_MAX_NESTING} deep"
    if paths > _MATCH_PATHS:
        return (
            "matching could take too long (nested or overlapping repeats): "
            "simplify the pattern or give a smaller max_length"
        )
    found = pattern_bounds(pattern)
    if found.min_length > MAX_VALUE_LENGTH or (found.max_length or 0) > MAX_VALUE_LENGTH:
        return f"allows values longer than {MAX_VALUE_LENGTH} characters"
    return None


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    with _quiet():
        return re.compile(pattern)


def _paths(items: Any, sre: Any, longest: int, depth: int) -> int:
    """An upper bound on the ways a backtracking matcher may try to match
    ``items`` against a value of at most ``longest`` characters (capped
    just above the budget)."""
    if depth > _MAX_NESTING:
        raise _TooDeep
    total = 1
    for op, arg in items:
        total = min(total * _item_paths(op, arg, sre, longest, depth + 1), _MATCH_PATHS + 1)
    return total


def _item_paths(op: Any, arg: Any, sre: Any, longest: int, depth: int) -> int:
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        minimum: int = arg[0]
        most: int = longest if arg[1] is sre.MAXREPEAT else min(arg[1], longest)
        each = _paths(arg[2], sre, longest, depth)
        if each == 1:
            return max(most - minimum, 0) + 1
        total, ways = 0, each ** min(minimum, 64)
        for _count in range(minimum, max(most, minimum) + 1):
            total += ways
            if total > _MATCH_PATHS:
                break
            ways *= each
        return total
    if op is sre.SUBPATTERN:
        return _paths(arg[3], sre, longest, depth)
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _paths(arg, sre, longest, depth)
    if op is sre.BRANCH:
        return sum(_paths(branch, sre, longest, depth) for branch in arg[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return _paths(arg[1], sre, longest, depth)
    if op is sre.GROUPREF_EXISTS:
        _group, yes, no = arg
        return _paths(yes, sre, longest, depth) + (_paths(no, sre, longest, depth) if no else 1)
    return 1


def check_params(declared: Iterable[Declaration], params: Mapping[str, str]) -> list[Violation]:
    """Every declared param's violation, in declaration order."""
    found = []
    for declaration in declared:
        value = params.get(declaration.name)
        if value is not None:
            problem = violation(declaration, value)
            if problem is not None:
                found.append(problem)
    return found
