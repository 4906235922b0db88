"""The ``templates`` dialect (``/v1/templates``): URLs, field names, codes,
the ``code``/``message`` error envelope and pagination."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from tplsync.adapters.base import CallStats, Capabilities
from tplsync.detached import detached_map
from tplsync.http import ApiError, MalformedAnswer, Reply, Transport, count, identifier
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


def _fields(
    name: str, kind: TemplateType, content: str, signature: Signature | None
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "template_name": name,
        "template_content": content,
        "template_type": TYPE_CODES[kind],
    }
    if signature is not None:
        fields["sign_id"] = signature.id
        if signature.position is not None:
            fields["sign_pos"] = POSITION_CODES[signature.position]
    return fields


def template_fields(template: Template) -> dict[str, Any]:
    """The add/modify body for ``template`` (``submit`` is added by the caller)."""
    return _fields(template.name, template.type, template.content, template.signature)


def parse_template(data: Any) -> RemoteTemplate:
    """A template object of any answer; ids and codes may be numbers or strings."""
    if not isinstance(data, Mapping):
        raise MalformedAnswer(f"the answer holds {type(data).__name__} where a template belongs")
    try:
        return _parse_template(data)
    except (KeyError, ValueError, TypeError) as error:
        raise MalformedAnswer(f"the answer holds a malformed template: {error!r}") from None


def _parse_template(data: Mapping[str, Any]) -> RemoteTemplate:
    type_code = str(data.get("template_type", "1"))
    kind = next((k for k, code in TYPE_CODES.items() if code == type_code), None)
    if kind is None:
        raise ValueError(f"unknown template_type {data.get('template_type')!r}")
    signature = None
    if data.get("sign_id") not in (None, "", 0, "0"):
        # no answer carries sign_pos: the position is unknown, never assumed
        signature = Signature(id=int(data["sign_id"]), position=None)
    return RemoteTemplate(
        id=identifier(data["template_id"], "template_id"),
        name=str(data["template_name"]),
        type=kind,
        content=str(data.get("template_content", "")),
        signature=signature,
        status=STATUS_CODES[int(data.get("approval_status", -2))],
        status_message=str(data.get("approval_message") or ""),
        updated=str(data.get("update_time") or ""),
    )


PAGE_SIZE = 100

# no documented body clears a signature: omitting sign_id leaves it
CAPABILITIES = Capabilities(
    separate_submit=True, drafts=True, can_clear_signature=False, unique_names=True
)


def decode(reply: Reply, what: str) -> dict[str, Any]:
    """The answer's body; ApiError for a 4xx, or for a body whose integer
    ``code`` is not 0 (the service also refuses with HTTP 200)."""
    body = reply.body
    if not isinstance(body, dict):
        raise ApiError(reply.status, None, "the answer is not a JSON object", what)
    code = body.get("code")
    if reply.status >= 400 or (isinstance(code, int) and code != 0):
        raise ApiError(
            reply.status,
            code if isinstance(code, int) else None,
            str(body.get("message") or "request refused"),
            what,
            body,
        )
    return body


class TemplateClient:
    """The template API over a :class:`~tplsync.http.Transport`.

    Every write is safe to retry: after an ambiguous failure it first looks
    at the account, so a create that took effect is found by name instead of
    being sent twice, and a delete or submit that took effect is not
    repeated.
    """

    def __init__(self, transport: Transport, read_parallelism: int) -> None:
        self.http = transport
        self.read_parallelism = max(1, read_parallelism)

    @property
    def capabilities(self) -> Capabilities:
        return CAPABILITIES

    def stats(self) -> CallStats:
        return CallStats(self.http.stats.calls, self.http.stats.retries)

    def _call(self, method: str, path: str, what: str, **kwargs: Any) -> dict[str, Any]:
        reply = self.http.call(method, path, **kwargs)
        try:
            return decode(reply, what)
        except ApiError as error:
            if error.status != 401 or not self.http.credentials:
                raise
            message = f"{error.message}: check {self.http.credentials}"
            raise ApiError(error.status, error.code, message, what, error.answer) from None

    def _page(self, offset: int, params: Mapping[str, str]) -> dict[str, Any]:
        query = {**params, "offset": str(offset), "limit": str(PAGE_SIZE)}
        return self.http.retry(
            lambda first: self._call("GET", "/v1/templates", "list templates", params=query),
            "list templates",
        )

    def _list(self, params: Mapping[str, str]) -> list[RemoteTemplate]:
        """Every template matching the filters: the first page, then the rest in
        parallel (``read_parallelism`` at a time). Each page is parsed as it
        arrives, so the raw answers of a large account are never all held."""

        def parsed(answer: Mapping[str, Any]) -> list[RemoteTemplate]:
            return [parse_template(item) for item in _listed(answer)]

        first = self._page(0, params)
        pages = [parsed(first)]
        offsets = range(PAGE_SIZE, count(first.get("total"), "total"), PAGE_SIZE)
        pages += detached_map(
            lambda at: parsed(self._page(at, params)), offsets, self.read_parallelism
        )
        unique = {template.id: template for page in pages for template in page}
        return list(unique.values())

    def list(self, ids: Collection[str] | None = None) -> list[RemoteTemplate]:
        return self._list({} if ids is None else {"template_ids": ",".join(ids)})

    def find(self, name: str) -> RemoteTemplate | None:
        """The template named exactly ``name`` (the API's name filter is fuzzy)."""
        return next((t for t in self._list({"template_name": name}) if t.name == name), None)

    def get(self, template_id: str) -> RemoteTemplate | None:
        """One template, read through the list: the single-template answer
        does not report ``sign_id``, the list's does."""
        return next((t for t in self.list([template_id]) if t.id == template_id), None)

    def create(self, template: Template, submit: bool) -> RemoteTemplate:
        what = f"create {template.name}"
        body = {**template_fields(template), "submit": submit}

        def attempt(first: bool) -> RemoteTemplate:
            if not first:
                existing = self.find(template.name)
                if existing is not None:
                    return existing
            return parse_template(self._call("POST", "/v1/templates", what, json=body)["result"])

        return self.http.retry(attempt, what)

    def update(self, template_id: str, template: Template, submit: bool) -> None:
        self._modify(template_id, template_fields(template), submit)

    def rename(self, template_id: str, name: str) -> None:
        self._modify(template_id, {"template_name": name}, submit=False)

    def _modify(self, template_id: str, fields: Mapping[str, Any], submit: bool) -> None:
        """PUT ``fields``; ``submit`` asks for review too."""
        what = f"modify template {template_id}"
        body = {**fields, "submit": submit} if submit else dict(fields)

        def attempt(first: bool) -> None:
            if not first:
                current = self.get(template_id)
                if current is not None and _has_fields(current, fields):
                    unsubmitted = current.status is ApprovalStatus.NOT_SUBMITTED
                    if not (submit and unsubmitted):
                        return
            self._call("PUT", f"/v1/templates/{template_id}", what, json=body)

        with _advice_when_refused(what):
            self.http.retry(attempt, what)

    def submit(self, template_id: str) -> None:
        what = f"submit template {template_id}"

        def attempt(first: bool) -> None:
            if not first:
                current = self.get(template_id)
                if current is not None and current.status in (
                    ApprovalStatus.PENDING,
                    ApprovalStatus.APPROVED,
                ):
                    return
            self._call("POST", f"/v1/templates/{template_id}/submit", what, json={})

        self.http.retry(attempt, what)

    def delete(self, template_id: str) -> None:
        what = f"delete template {template_id}"

        def attempt(first: bool) -> None:
            if not first and self.get(template_id) is None:
                return
            self._call("DELETE", f"/v1/templates/{template_id}", what)

        with _advice_when_refused(what):
            self.http.retry(attempt, what)


@contextmanager
def _advice_when_refused(what: str) -> Iterator[None]:
    """A refused change or delete says what most often causes it once lint
    has passed: a send scheduled with the template. The page documents no
    code for that, so the advice goes with any HTTP 400."""
    try:
        yield
    except ApiError as error:
        if error.status != 400:
            raise
        message = (
            f"{error.message}; if a scheduled send uses this template, the service refuses "
            "changes until it has gone out (or is cancelled in the EngageLab console)"
        )
        raise ApiError(error.status, error.code, message, what, error.answer) from None


def _listed(page: Mapping[str, Any]) -> list[Any]:
    result = page.get("result") or []
    if not isinstance(result, list):
        raise MalformedAnswer(f"the listing's result is {type(result).__name__}, not a list")
    return result


def _has_fields(remote: RemoteTemplate, fields: Mapping[str, Any]) -> bool:
    """Whether ``remote`` shows ``fields``, as far as the service reports them
    (never ``sign_pos``)."""
    current = _fields(remote.name, remote.type, remote.content, remote.signature)
    return all(current.get(key) == value for key, value in fields.items() if key != "sign_pos")
