"""HTTP to EngageLab: one pooled session, retries, timeouts, redacted traces.

It knows no dialect: an adapter in :mod:`tplsync.adapters` decodes each
:class:`Reply` and raises :class:`ApiError` for a refusal. Only the adapters
use this module; it is the only one that imports requests.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3
import urllib3.connection
from requests.adapters import HTTPAdapter
from urllib3.util import parse_url

from tplsync.errors import ExitCode, InputError, TplsyncError
from tplsync.redact import map_strings, mentions_secret, redact_all, remember

T = TypeVar("T")
Trace = Callable[[str], None]


class ApiError(TplsyncError):
    """The API refused the request, as an adapter read it from the answer."""

    exit_code = ExitCode.API_FAILURE

    def __init__(
        self,
        status: int,
        code: int | None,
        message: str,
        what: str = "",
        answer: dict[str, Any] | None = None,
    ) -> None:
        detail = f"HTTP {status}" + (f", code {code}" if code is not None else "")
        super().__init__(f"{what + ': ' if what else ''}{message} ({detail})")
        self.status = status
        self.code = code
        self.message = message
        self.answer = answer or {}  # the whole decoded body


class MalformedAnswer(TplsyncError):
    """The API answered with something the documented shape does not allow."""

    exit_code = ExitCode.API_FAILURE


def count(value: Any, what: str) -> int:
    """A count from an answer (a number, possibly as a string)."""
    try:
        return int(value or 0)
    except (ValueError, TypeError):
        raise MalformedAnswer(f"the answer's {what} is {repr(value)[:100]}, not a number") from None


MAX_ANSWER_BYTES = 64 << 20  # a listing page is kilobytes; the largest plan's answers too
CHUNK_BYTES = 64 << 10
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_IDENTIFIER = re.compile(r"[A-Za-z0-9_-]{1,64}")


def identifier(value: Any, what: str) -> str:
    """An id from an answer (a number or a string) as text, refused unless it
    is letters, digits, ``-`` and ``_``: ids go into URL paths, where ``..``
    or ``/`` would address another resource."""
    text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not _IDENTIFIER.fullmatch(text):
        raise MalformedAnswer(f"the answer's {what} is {repr(value)[:100]}, not an id")
    return text


class TlsError(TplsyncError):
    """The server's certificate was refused: not transient, so never retried."""

    exit_code = ExitCode.API_FAILURE


def _tls_reason(error: Exception) -> str:
    text = str(error)
    found = re.search(r"certificate verify failed: ([^()\"']+)", text)
    if found:
        return (
            f"TLS certificate verification failed ({found.group(1).strip()}); not retried: "
            "check that the endpoint is the right host and its certificate is valid"
        )
    return "the TLS handshake failed; not retried"


class GaveUp(TplsyncError):
    """Retries ran out of time: the service is failing or unreachable."""

    exit_code = ExitCode.API_FAILURE


class RetryableError(Exception):
    """A failure worth retrying: 429, 5xx, a timeout or a dropped connection.

    ``ambiguous`` says the request may have taken effect (it was sent and no
    answer came back, or the server failed while handling it).
    """

    def __init__(
        self,
        reason: str,
        ambiguous: bool,
        retry_after: float | None = None,
        unreachable: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.ambiguous = ambiguous
        self.retry_after = retry_after
        self.unreachable = unreachable  # refused or no such host: retried briefly


# Tries after a refused connection or an unknown host before giving up: a
# server restarting gets a moment, a wrong endpoint fails in about a second.
UNREACHABLE_RETRIES = 3


def _unreachable_reason(error: Exception) -> str:
    text = str(error)
    if "refused" in text.lower():
        return "connection refused"
    if any(sign in text for sign in ("resolve", "Name or service", "nodename", "getaddrinfo")):
        return "host name not found"
    return "cannot connect"


def endpoint_host(url: str) -> str:
    """The host that requests would connect to (lower case, IPv6 unbracketed)."""
    return (parse_url(url).host or "").strip("[]").lower()


def is_loopback(url: str) -> bool:
    host = endpoint_host(url)
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(url: str) -> str:
    """The endpoint's scheme, once it is clear which host it names.

    Two parsers reading one URL differently is how credentials reach a host
    no check looked at (``http://other:80\\@127.0.0.1``): an endpoint with
    user-info, a backslash, whitespace or control characters is refused, and
    so is one whose host urllib3 (which connects) and urllib read apart.
    """
    if any(c == "\\" or c.isspace() or not c.isprintable() for c in url):
        raise InputError(
            f"endpoint {url!r}: backslashes, spaces and control characters are not allowed"
        )
    try:
        connects, read = parse_url(url), urlsplit(url)
        read_host = read.hostname
    except ValueError:
        raise InputError(f"endpoint {url!r}: not a valid URL") from None
    if connects.scheme not in ("http", "https") or read.scheme.lower() != connects.scheme:
        raise InputError(f"endpoint {url!r}: expected an http(s):// URL")
    if "@" in read.netloc or connects.auth is not None:
        raise InputError(
            f"endpoint {url!r}: user-info (user@host) is not allowed; credentials come "
            "only from the environment"
        )
    if not connects.host or (connects.host.strip("[]").lower() != (read_host or "")):
        raise InputError(f"endpoint {url!r}: the host is ambiguous")
    return connects.scheme


_calls = threading.local()  # ``deadline``: when the call under way in this thread must end


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes, each read bounded by what is left until ``deadline``
    as well as by the socket's timeout: a server that trickles its status
    line, headers or body a byte at a time, each within the timeout, still
    cannot hold a call past it."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        # the socket's own file, as http.client reads: it keeps the socket
        # open for the body after the connection lets go of it
        self._file = sock.makefile("rb", buffering=0)
        self._deadline = deadline
        self._timeout = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the call's time is up")
        self._sock.settimeout(left if self._timeout is None else min(left, self._timeout))
        try:
            return self._file.readinto(buffer)
        finally:
            self._sock.settimeout(self._timeout)

    def close(self) -> None:
        self._file.close()
        super().close()


class _DeadlineSocket:
    """What :class:`http.client.HTTPResponse` asks of a socket: a file to read."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineResponse(http.client.HTTPResponse):
    """An answer read under the deadline of the call under way, if any."""

    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        deadline: float | None = getattr(_calls, "deadline", None)
        bounded: Any = sock if deadline is None else _DeadlineSocket(sock, deadline)
        super().__init__(bounded, *args, **kwargs)


class _HTTPConnection(urllib3.connection.HTTPConnection):
    response_class = _DeadlineResponse


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    response_class = _DeadlineResponse


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """Pooled connections whose answers are read under the call's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


@dataclass
class RetryStats:
    retries: int = 0
    calls: int = 0


@dataclass(frozen=True)
class Reply:
    """An answer that is neither rate limited nor a server error.

    ``body`` is the decoded JSON, or None when the body is not JSON.
    """

    status: int
    body: Any


class Transport:
    """Requests to one base URL with Basic auth.

    ``retry(attempt)`` calls ``attempt(first)`` until it succeeds, retrying
    :class:`RetryableError` with exponential backoff and full jitter (or the
    server's ``Retry-After``) while ``budget`` seconds last; ``first`` is
    False on retries so the operation can check whether its earlier try
    took effect before repeating it.
    """

    def __init__(
        self,
        base_url: str,
        auth: tuple[str, str],
        timeout: float = 30.0,
        budget: float = 120.0,
        pool_size: int = 16,
        insecure: bool = False,
        trace: Trace | None = None,
        progress: Trace | None = None,
        credentials: str = "",
    ) -> None:
        scheme = check_endpoint(base_url)
        if scheme == "http" and not is_loopback(base_url) and not insecure:
            raise InputError(
                f"endpoint {base_url}: plain http:// to a non-loopback host would send the "
                "credentials unencrypted; use https:// (or --insecure to accept it)"
            )
        remember(*auth)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.budget = budget
        self.trace = trace
        self.progress = progress  # one line per retry, for a terminal
        self.credentials = credentials  # where the auth came from (names), said on a 401
        self.stats = RetryStats()
        self._stats_lock = threading.Lock()
        self._random = random.Random()
        self.closed = False
        self.session = requests.Session()
        self.session.auth = auth
        self.session.trust_env = False  # no proxies or .netrc from the environment
        adapter = _DeadlineAdapter(
            pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        """Close the pool; a retry still waiting (an abandoned read) gives up."""
        self.closed = True
        self.session.close()

    def call(self, method: str, path: str, **kwargs: Any) -> Reply:
        """One request; its reply, or RetryableError."""
        url = self.base_url + path
        with self._stats_lock:
            self.stats.calls += 1
        started = time.monotonic()
        if self.trace:
            self.trace(f"-> {method} {url} {kwargs.get('params') or ''}".rstrip())
            self.trace("   Authorization: Basic [redacted]")
        _calls.deadline = started + self.timeout  # the answer, head and body, read by then
        try:
            response = self.session.request(
                method, url, timeout=self.timeout, allow_redirects=False, stream=True, **kwargs
            )
            content = _content(response, self.timeout)
        except requests.exceptions.SSLError as error:
            raise TlsError(f"{self.base_url}: {_tls_reason(error)}") from None
        except requests.Timeout:
            raise RetryableError(f"no answer within {self.timeout:g} s", ambiguous=True) from None
        except requests.ConnectionError as error:
            sent = "RemoteDisconnected" in str(error) or "Connection aborted" in str(error)
            if sent:
                raise RetryableError("connection dropped", ambiguous=True) from None
            raise RetryableError(
                f"cannot connect to {self.base_url}: {_unreachable_reason(error)}",
                ambiguous=False,
                unreachable=True,
            ) from None
        finally:
            _calls.deadline = None
        if self.trace:
            elapsed = (time.monotonic() - started) * 1000
            self.trace(f"<- {response.status_code} {method} {path} ({elapsed:.0f} ms)")
        return _reply(response, content)

    def retry(self, attempt: Callable[[bool], T], what: str = "") -> T:
        started = time.monotonic()
        deadline = started + self.budget
        delay = 0.2
        first = True
        tries = unreachable = 0
        while True:
            try:
                return attempt(first)
            except RetryableError as error:
                if self.closed:
                    raise
                wait = error.retry_after
                if wait is None:
                    wait = self._random.uniform(0, delay)
                    delay = min(delay * 2, 10.0)
                tries += 1
                unreachable = unreachable + 1 if error.unreachable else 0
                if unreachable > UNREACHABLE_RETRIES or time.monotonic() + wait > deadline:
                    raise GaveUp(
                        f"{what + ': ' if what else ''}{error.reason}; gave up after {tries} "
                        f"{'try' if tries == 1 else 'tries'} in "
                        f"{time.monotonic() - started:.1f} s"
                    ) from None
                with self._stats_lock:
                    self.stats.retries += 1
                if self.trace:
                    self.trace(f"   retrying {what or 'request'} in {wait:.2f} s: {error.reason}")
                if self.progress:
                    self.progress(f"retrying {what or 'request'} in {wait:.1f} s: {error.reason}")
                time.sleep(wait)
                first = False


def _content(response: requests.Response, timeout: float) -> bytes:
    """The answer's body, read as it arrives (under the call's deadline):
    over MAX_ANSWER_BYTES it is malformed."""
    chunks: list[bytes] = []
    size = 0
    with response:
        try:
            while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise MalformedAnswer(
                        f"the answer is over {MAX_ANSWER_BYTES >> 20} MiB; not read further"
                    )
                chunks.append(chunk)
        except urllib3.exceptions.DecodeError:
            raise MalformedAnswer("the answer's Content-Encoding does not decode") from None
        except urllib3.exceptions.ReadTimeoutError:
            raise RetryableError(f"no answer within {timeout:g} s", ambiguous=True) from None
        except (urllib3.exceptions.HTTPError, OSError):
            raise RetryableError("connection dropped", ambiguous=True) from None
    return b"".join(chunks)


def _reply(response: requests.Response, content: bytes) -> Reply:
    try:
        raw = content.decode("utf-8", "replace")
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = None
    if body is not None and mentions_secret(raw):
        body = redact_all(body)
    if body is not None and _SURROGATE_ESCAPE.search(raw):
        # a lone surrogate (JSON allows the escape) cannot be printed or written
        body = map_strings(body, lambda text: _SURROGATE.sub("\ufffd", text))
    status = response.status_code
    if 200 <= status < 300 and not content:
        # every documented success has a body: none means the answer was lost,
        # as when the connection closes before the head ends (read as complete)
        raise RetryableError("the answer has no body (cut short)", ambiguous=True)
    if 300 <= status < 400:
        target = repr(response.headers.get("Location") or "nowhere")
        raise ApiError(
            status,
            None,
            f"redirected to {target}; redirects are not followed, so the credentials "
            "go only to the endpoint configured (give the final URL)",
        )
    if status == 429:
        raise RetryableError(
            "rate limited (HTTP 429)",
            ambiguous=False,
            retry_after=_seconds(response.headers.get("Retry-After")),
        )
    if status >= 500:
        raise RetryableError(f"server error (HTTP {status})", ambiguous=True)
    return Reply(status, body)


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
