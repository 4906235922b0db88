"""Errors the emulated service answers with: an HTTP status and a JSON body."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message


# Template API (documented: 30000, 30002, 33001, 33006; the rest chosen here,
# see docs/sandbox.md)
AUTH_FAILED = (401, 30000, "Authentication failed")
INVALID_PARAMETER = 30001
INVALID_PAGING = 30002
NOT_FOUND = 30003
TEMPLATE_MISSING = 33001
NAME_TAKEN = 33002
CONTENT_TOO_LONG = 33003
CONTENT_FORBIDDEN = 33004
INVALID_TYPE = 33005
NAME_TOO_LONG = 33006
UPDATE_PENDING = 33007
IN_USE = 33008
SUBMIT_REFUSED = 33009

# Send APIs (documented in the seeds)
SEND_INTERNAL = 1000
SEND_AUTH_FAILED = 2001
SEND_BAD_JSON = 3001
SEND_BAD_PARAMETER = 3002
SEND_BUSINESS = 3003
SEND_FREQUENCY = 3004
SEND_NO_RESOURCE = 4001
SEND_OTP_FAILED = 5001


def bad_request(code: int, message: str) -> ServiceError:
    return ServiceError(400, code, message)
