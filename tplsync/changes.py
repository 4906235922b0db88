"""The vocabulary of a plan: what one step does to one template.

:mod:`tplsync.plan` makes changes and :mod:`tplsync.order` orders them; both
speak this module's terms, and it imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from tplsync.model import RemoteTemplate, Template


class Action(Enum):
    CREATE = "create"
    UPDATE = "update"
    RENAME = "rename"
    SUBMIT = "submit"
    DELETE = "delete"
    BLOCKED = "blocked"
    REPLACE = "replace"


# What a change is about: a template, or (template-configs) a signature.
TEMPLATE, SIGNATURE = "template", "signature"

# A rename cycle moves one template through this name first (tplsync.order).
TEMPORARY_PREFIX = "tplsync-swap-"

MARKERS = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.RENAME: ">",
    Action.SUBMIT: "↑",
    Action.DELETE: "-",
    Action.BLOCKED: "!",
    Action.REPLACE: "-/+",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Change:
    """One step. ``name`` is the name the template (or, with ``subject``
    ``signature``, the signature) has when the step is done."""

    action: Action
    name: str
    template_id: str | None = None
    fields: tuple[FieldChange, ...] = ()
    resets_approval: bool = False
    submit: bool = False
    reason: str = ""
    notes: tuple[str, ...] = ()
    old_name: str | None = None
    declared: Template | None = field(default=None, compare=False, repr=False)
    remote: RemoteTemplate | None = field(default=None, compare=False, repr=False)
    subject: str = TEMPLATE

    def _key(self, name: str) -> str:
        """Names of templates and of signatures never meet."""
        return name if self.subject == TEMPLATE else f"{self.subject}\0{name}"

    @property
    def frees(self) -> str | None:
        """The name this step gives up (so another may take it)."""
        if self.action is Action.DELETE:
            return self._key(self.name)
        if self.old_name is not None and self.old_name != self.name:
            return self._key(self.old_name)
        return None

    @property
    def takes(self) -> str | None:
        """The name this step starts using."""
        if self.action is Action.CREATE:
            return self._key(self.name)
        if self.old_name is not None and self.old_name != self.name:
            return self._key(self.name)
        return None
