"""Dialects of the EngageLab template API behind one protocol
(:class:`~tplsync.adapters.base.TemplateApi`); each module is the only place
that knows its URLs, field names, codes and error envelope."""

from __future__ import annotations

from tplsync.adapters.base import TemplateApi
from tplsync.adapters.engagelab_template_configs import TemplateConfigsClient
from tplsync.adapters.engagelab_v1 import TemplateClient
from tplsync.errors import InputError
from tplsync.http import Transport

DIALECTS: dict[str, type[TemplateClient] | type[TemplateConfigsClient]] = {
    "templates": TemplateClient,
    "template-configs": TemplateConfigsClient,
}


def make_template_api(dialect: str, transport: Transport, read_parallelism: int) -> TemplateApi:
    """The template API of ``dialect`` (``api.dialect``) over ``transport``."""
    try:
        return DIALECTS[dialect](transport, read_parallelism)
    except KeyError:
        choices = ", ".join(DIALECTS)
        raise InputError(f"api.dialect {dialect!r} is not one of: {choices}") from None
