"""A rendered sample is longer than ``max_segments`` SMS segments (default 3).

Every segment is billed. Each sample is rendered with its params and the
configured signature; a template without samples is measured as written.

Bad::

    name: newsletter
    type: marketing
    content: "(a 600-character newsletter)"

Good::

    name: newsletter
    type: marketing
    content: "Our spring sale starts today: 20% off everything at https://exa.mple/s"
"""

from __future__ import annotations

from collections.abc import Iterator

from tplsync.lint.rule import Context, Finding, Rule
from tplsync.model import Level, Template
from tplsync.preview import rendered
from tplsync.segments import analyse, surely_within


def check(template: Template, context: Context) -> Iterator[Finding]:
    limit = int(context.options["max_segments"])
    for index, (label, _, text) in enumerate(
        rendered(template, context.syntax, context.signatures)
    ):
        if surely_within(text, limit):
            continue
        analysis = analyse(text)
        if analysis.segments > limit:
            where = (
                template.position_of("samples", index)
                if template.samples
                else template.position_of("content")
            )
            yield Finding(where, f"{label} is {analysis.summary()}; the limit is {limit}")


RULE = Rule(
    id="segments", level=Level.WARNING, doc=__doc__, options={"max_segments": 3}, check=check
)
