"""``preview --html``: a static gallery of what phones receive, one page per template.

Plain HTML and CSS from jinja2 templates in ``tplsync/html/``; the index's
search is a few lines of inline script, so the pages work from ``file://``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import jinja2

from tplsync.model import Level, Problem, RemoteTemplate, Template
from tplsync.preview import Rendering
from tplsync.pull import slug
from tplsync.resources import resource_path
from tplsync.segments import Encoding, ForcedCharacter
from tplsync.worstcase import Bounds

MARKER = ".tplsync-gallery"
STYLESHEET = "gallery.css"


@dataclass(frozen=True)
class Run:
    """Consecutive characters of a bubble; ``forced`` when one forces UCS-2."""

    text: str
    forced: ForcedCharacter | None = None


@dataclass(frozen=True)
class Bubble:
    rendering: Rendering
    segments: tuple[tuple[Run, ...], ...]
    highlighted: tuple[ForcedCharacter, ...]  # the first of each character marked
    unmarked: str  # distinct characters of a script that needs UCS-2 anyway


@dataclass(frozen=True)
class Card:
    template: Template
    page: str
    bubbles: tuple[Bubble, ...]
    problems: tuple[Problem, ...]
    remote: RemoteTemplate | None = None
    bounds: Bounds | None = None  # what its declared variables allow

    @property
    def ucs2(self) -> bool:
        """Whether any of its messages goes out as UCS-2."""
        return any(b.rendering.analysis.encoding is Encoding.UCS2 for b in self.bubbles)

    @property
    def costliest(self) -> Bubble:
        """The first sample with the most segments."""
        return max(self.bubbles, key=lambda bubble: bubble.rendering.analysis.segments)

    @property
    def segments(self) -> int:
        return self.costliest.rendering.analysis.segments

    def count(self, level: Level) -> int:
        return sum(1 for problem in self.problems if problem.level is level)


@dataclass(frozen=True)
class Gallery:
    cards: tuple[Card, ...]
    other_problems: tuple[Problem, ...]  # in files that gave no template
    status_from: str | None = None  # where review states were read; None: not read


def bubble(rendering: Rendering) -> Bubble:
    """The rendering cut into its segments, UCS-2-forcing characters apart.

    They are marked unless more than three have no GSM-7 equivalent: then
    the script needs UCS-2 anyway and no replacement would change that.
    """
    forced = rendering.analysis.forced
    without = sum(1 for character in forced if character.replacement is None)
    marked = {character.index: character for character in forced if without <= 3}
    segments, start = [], 0
    for part in rendering.analysis.parts:
        runs: list[Run] = []
        plain = start
        for index in range(start, start + len(part)):
            if index in marked:
                if plain < index:
                    runs.append(Run(rendering.text[plain:index]))
                runs.append(Run(rendering.text[index], marked[index]))
                plain = index + 1
        start += len(part)
        if plain < start:
            runs.append(Run(rendering.text[plain:start]))
        segments.append(tuple(runs))
    first: dict[str, ForcedCharacter] = {}
    for character in marked.values():
        first.setdefault(character.char, character)
    unmarked = "".join(dict.fromkeys(c.char for c in forced if c.index not in marked))
    return Bubble(rendering, tuple(segments), tuple(first.values()), unmarked)


def advice(character: ForcedCharacter) -> str:
    """What to do about a character that forces UCS-2, for a tooltip."""
    name = f"{character.codepoint} {unicodedata.name(character.char, '')}".rstrip()
    if character.replacement is None:
        return f"{name} forces UCS-2 and has no GSM-7 equivalent"
    if not character.replacement:
        return f"{name} forces UCS-2: remove it"
    return f"{name} forces UCS-2: use {character.replacement!r} instead"


def problems_by_template(
    templates: Sequence[Template], problems: Iterable[Problem]
) -> tuple[dict[int, list[Problem]], list[Problem]]:
    """Each problem under the template whose document holds its line (by the
    template's index), and those in files that declared none."""
    starts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, template in enumerate(templates):
        starts[template.position.path].append((template.position.line, index))
    owned: dict[int, list[Problem]] = defaultdict(list)
    other: list[Problem] = []
    for problem in problems:
        before = [
            (line, index)
            for line, index in starts.get(problem.position.path, ())
            if line <= problem.position.line
        ]
        if before:
            owned[max(before)[1]].append(problem)
        elif problem.position.path in starts:  # above the first document
            owned[min(starts[problem.position.path])[1]].append(problem)
        else:
            other.append(problem)
    return owned, other


def page_names(templates: Sequence[Template]) -> list[str]:
    """A file name per template, safe anywhere; repeats get ``-2``, ``-3``."""
    taken = {"index", MARKER, STYLESHEET.removesuffix(".css")}
    names = []
    for template in templates:
        stem = slug(template.name)
        candidate, number = stem, 1
        while candidate in taken:
            number += 1
            candidate = f"{stem}-{number}"
        taken.add(candidate)
        names.append(f"{candidate}.html")
    return names


def build(
    templates: Sequence[Template],
    renderings: Mapping[int, Sequence[Rendering]],
    problems: Iterable[Problem],
    remote: Mapping[str, RemoteTemplate] | None = None,
    status_from: str | None = None,
    bounds: Mapping[int, Bounds] | None = None,
) -> Gallery:
    """A card for each template that has ``renderings`` (by its index in
    ``templates``, which are all the files gave, so every problem finds
    its template)."""
    owned, other = problems_by_template(templates, problems)
    pages = page_names([templates[index] for index in renderings])
    cards = tuple(
        Card(
            templates[index],
            page,
            tuple(bubble(rendering) for rendering in renderings[index]),
            tuple(owned.get(index, ())),
            remote.get(templates[index].name) if remote is not None else None,
            (bounds or {}).get(index),
        )
        for index, page in zip(renderings, pages, strict=True)
    )
    return Gallery(cards, tuple(other), status_from)


def render(gallery: Gallery) -> dict[str, str]:
    """File name → text of every file of the gallery."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_path("html", "index.html").parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(gallery=gallery, Level=Level, stylesheet=STYLESHEET)
    environment.filters["advice"] = advice
    files = {
        "index.html": environment.get_template("index.html").render(),
        STYLESHEET: resource_path("html", STYLESHEET).read_text(encoding="utf-8"),
        MARKER: "Made by `tplsync preview --html`; the whole directory is replaced on each run.\n",
    }
    page = environment.get_template("template.html")
    for card in gallery.cards:
        files[card.page] = page.render(card=card)
    return files
