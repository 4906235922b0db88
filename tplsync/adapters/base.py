"""What the core asks of a template API, whatever its dialect.

The core (plan, order, apply, pull, status) speaks only in model values
(:class:`~tplsync.model.Template`, :class:`~tplsync.model.RemoteTemplate`)
and template ids; an adapter turns them into one dialect's URLs, fields,
codes, error envelope and pages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol, cast

from tplsync.model import RemoteSignature, RemoteTemplate, Template


@dataclass(frozen=True)
class Capabilities:
    """What a dialect can do, for the core to plan around."""

    separate_submit: bool  # review is asked for by its own call, not only with a write
    drafts: bool  # a template can exist without being sent to review
    can_clear_signature: bool  # an update without a signature removes the one it had
    unique_names: bool  # the service refuses a second template with a taken name
    rename_keeps_review: bool = True  # a rename alone leaves an approval standing
    signatures: bool = False  # signatures are objects of their own (SignatureApi), named


@dataclass(frozen=True)
class CallStats:
    """Requests sent so far, and how many of them were retries."""

    calls: int
    retries: int


class TemplateApi(Protocol):
    """One account's templates. Every write is safe to retry: an adapter
    checks whether an ambiguous earlier try took effect before repeating it."""

    @property
    def capabilities(self) -> Capabilities: ...

    def list(self, ids: Collection[str] | None = None) -> list[RemoteTemplate]:
        """Every template, or only those with one of ``ids``."""
        ...

    def find(self, name: str) -> RemoteTemplate | None:
        """The template named exactly ``name``."""
        ...

    def get(self, template_id: str) -> RemoteTemplate | None: ...

    def create(self, template: Template, submit: bool) -> RemoteTemplate: ...

    def update(self, template_id: str, template: Template, submit: bool) -> None:
        """Make the template's name, type, content and signature ``template``'s
        (a signature is removed only where ``can_clear_signature``); ``submit``
        asks for review too."""
        ...

    def rename(self, template_id: str, name: str) -> None: ...

    def submit(self, template_id: str) -> None: ...

    def delete(self, template_id: str) -> None: ...

    def stats(self) -> CallStats: ...


class SignatureApi(Protocol):
    """One account's signatures, where ``Capabilities.signatures``; every
    write is safe to retry, as for templates."""

    def signatures(self) -> list[RemoteSignature]: ...

    def create_signature(self, name: str) -> RemoteSignature: ...

    def rename_signature(self, signature_id: str, name: str) -> None: ...

    def delete_signature(self, signature_id: str) -> None: ...


def signature_api(client: TemplateApi) -> SignatureApi | None:
    """``client``'s signatures, when its dialect manages them."""
    if not client.capabilities.signatures:
        return None
    return cast(SignatureApi, client)
