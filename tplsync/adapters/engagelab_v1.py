"""The ``/v1/templates`` dialect: field names, codes and their meaning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tplsync.model import (
    ApprovalStatus,
    RemoteTemplate,
    Signature,
    SignaturePosition,
    Template,
    TemplateType,
)

TYPE_CODES = {
    TemplateType.VERIFICATION: "0",
    TemplateType.NOTIFICATION: "1",
    TemplateType.MARKETING: "2",
}
STATUS_CODES = {
    0: ApprovalStatus.PENDING,
    1: ApprovalStatus.APPROVED,
    -1: ApprovalStatus.REJECTED,
    -2: ApprovalStatus.NOT_SUBMITTED,
}
POSITION_CODES = {SignaturePosition.PREFIX: "0", SignaturePosition.SUFFIX: "1"}


def template_fields(template: Template) -> dict[str, Any]:
    """The add/modify body for ``template`` (``submit`` is added by the caller)."""
    fields: dict[str, Any] = {
        "template_name": template.name,
        "template_content": template.content,
        "template_type": TYPE_CODES[template.type],
    }
    if template.signature is not None:
        fields["sign_id"] = template.signature.id
        fields["sign_pos"] = POSITION_CODES[template.signature.position]
    return fields


def parse_template(data: Mapping[str, Any]) -> RemoteTemplate:
    """A template object of any answer; ids and codes may be numbers or strings."""
    type_code = str(data.get("template_type", "1"))
    kind = next((k for k, code in TYPE_CODES.items() if code == type_code), None)
    if kind is None:
        raise ValueError(f"unknown template_type {data.get('template_type')!r}")
    signature = None
    if data.get("sign_id") not in (None, "", 0, "0"):
        position = str(data.get("sign_pos", "0"))
        signature = Signature(
            id=int(data["sign_id"]),
            position=SignaturePosition.SUFFIX if position == "1" else SignaturePosition.PREFIX,
        )
    return RemoteTemplate(
        id=str(data["template_id"]),
        name=str(data["template_name"]),
        type=kind,
        content=str(data.get("template_content", "")),
        signature=signature,
        status=STATUS_CODES[int(data.get("approval_status", -2))],
        status_message=str(data.get("approval_message") or ""),
        updated=str(data.get("update_time") or ""),
    )
