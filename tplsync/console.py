"""Where a command's text goes."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Console:
    """Where a command's text goes: ``show`` is its output; ``say`` is the
    narrative that --quiet and --format json leave out."""

    colour: bool = False
    quiet: bool = False
    json: bool = False

    @property
    def chatty(self) -> bool:
        return not (self.quiet or self.json)

    def show(self, text: str) -> None:
        click.echo(text, color=self.colour)

    def say(self, text: str) -> None:
        if self.chatty:
            self.show(text)

    def error(self, text: str) -> None:
        click.echo(text, err=True)

    def confirm(self, question: str) -> bool:
        return click.confirm(question)
