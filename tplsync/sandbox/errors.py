"""Errors the emulated service answers with: an HTTP status and a JSON body."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message


# Template API: the page documents 30000 (authentication), 30002 (invalid
# limit), 33001 (template missing) and 33006 (name too long). Every other
# refusal answers 30002, its documented parameter code, with a message of its
# own (docs/sandbox.md lists them): nothing may depend on an invented code.
AUTH_FAILED = (401, 30000, "Authentication failed")
INVALID_PARAMETER = 30002
TEMPLATE_MISSING = 33001
NAME_TOO_LONG = 33006

# Send APIs (documented in the seeds)
SEND_INTERNAL = 1000
SEND_AUTH_FAILED = 2001
SEND_BAD_JSON = 3001
SEND_BAD_PARAMETER = 3002
SEND_BUSINESS = 3003
SEND_FREQUENCY = 3004
SEND_NO_RESOURCE = 4001  # "resource not found": also the answer to an unknown path


def bad_request(code: int, message: str) -> ServiceError:
    return ServiceError(400, code, message)
