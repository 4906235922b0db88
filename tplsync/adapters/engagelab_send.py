"""The SMS send API (``POST /v1/messages``) and the OTP send API, ``dev_key:dev_secret``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tplsync.errors import ExitCode, TplsyncError
from tplsync.http import ApiError, Reply, RetryableError, Transport, count

# The send pages' error codes, said plainly, with what to do.
SEND_ERRORS = {
    1000: "EngageLab had an internal error; try again later",
    2001: "authentication failed: check ENGAGELAB_DEV_KEY and ENGAGELAB_DEV_SECRET",
    2002: "the API key has expired or is disabled: create a new one in the console",
    2004: "this API key may not call the send API: check its permissions in the console",
    3001: "the request was not valid JSON",
    3002: "a request parameter is invalid",
    3003: "the service refused the request",
    3004: (
        "frequency limit: this template was already sent to this target and its code is "
        "still valid; retry once the code expires"
    ),
    4001: "the template does not exist (or is not an OTP template of this account)",
    5001: "the verification message could not be sent",
}


def explain(code: int | None, message: str) -> str:
    """The API's message, with what its code means and what to do."""
    meaning = SEND_ERRORS.get(code or 0)
    return message if meaning is None else f"{meaning} (the service said: {message})"


def decode(reply: Reply, what: str) -> dict[str, Any]:
    """The answer's body; ApiError, explained, for a 4xx or for a body whose
    integer ``code`` is not 0 (the send APIs also refuse with HTTP 200)."""
    body = reply.body
    if not isinstance(body, dict):
        raise ApiError(reply.status, None, "the answer is not a JSON object", what)
    code = body.get("code")
    if reply.status >= 400 or (isinstance(code, int) and code != 0):
        number = code if isinstance(code, int) else None
        message = explain(number, str(body.get("message") or "request refused"))
        raise ApiError(reply.status, number, message, what, body)
    return body


class SendUncertain(TplsyncError):
    """No answer came back: the message may or may not have been sent."""

    exit_code = ExitCode.API_FAILURE


@dataclass(frozen=True)
class SmsResult:
    """What the service took; ``code`` and ``message`` (explained) when it
    answered HTTP 200 with an error: some or all targets were refused."""

    plan_id: str
    total: int
    accepted: int
    message_id: str | None
    task_id: str | None
    code: int | None = None
    message: str = ""


@dataclass(frozen=True)
class OtpResult:
    message_id: str
    channel: str


class SendClient:
    """Sends through one of the two send hosts. Sends are not retried after
    an ambiguous failure: a message may have gone out, and a repeat would
    reach the phone twice."""

    def __init__(self, transport: Transport) -> None:
        self.http = transport

    def _post(self, what: str, body: Mapping[str, Any]) -> Any:
        def attempt(first: bool) -> Any:
            try:
                reply = self.http.call("POST", "/v1/messages", json=body)
            except RetryableError as error:
                if error.ambiguous:
                    raise SendUncertain(
                        f"{what}: {error.reason}; the message may have been sent, so it was "
                        "not retried: check the phone before sending again"
                    ) from None
                raise
            return decode(reply, what)

        return self.http.retry(attempt, what)

    def sms(
        self,
        to: Sequence[str],
        template_id: str,
        params: Mapping[str, str],
        plan_name: str | None = None,
        schedule_time: int | None = None,
        custom_args: Mapping[str, str] | None = None,
    ) -> SmsResult:
        body: dict[str, Any] = {
            "to": list(to),
            "template": {"id": template_id, "params": dict(params)},
        }
        if plan_name is not None:
            body["plan_name"] = plan_name
        if schedule_time is not None:
            body["schedule_time"] = schedule_time
        if custom_args:
            body["custom_args"] = dict(custom_args)
        code, message = None, ""
        try:
            answer = self._post("send", body)
        except ApiError as error:
            if error.status != 200 or "plan_id" not in error.answer:
                raise
            # a send plan was made: some targets may have been accepted
            answer, code, message = error.answer, error.code, error.message
        schedule = answer.get("schedule_info") or {}
        return SmsResult(
            plan_id=str(answer.get("plan_id", "")),
            total=count(answer.get("total_count"), "total_count"),
            accepted=count(answer.get("accepted_count"), "accepted_count"),
            message_id=str(answer["message_id"]) if answer.get("message_id") else None,
            task_id=str(schedule["task_id"]) if schedule.get("task_id") else None,
            code=code,
            message=message,
        )

    def otp(self, to: str, template_id: str, language: str, params: Mapping[str, str]) -> OtpResult:
        body = {
            "to": to,
            "template": {"id": template_id, "language": language, "params": dict(params)},
        }
        answer = self._post("otp send", body)
        return OtpResult(str(answer.get("message_id", "")), str(answer.get("send_channel", "")))
