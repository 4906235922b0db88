"""The sandbox's HTTP server: routing, Basic auth, faults, JSON in and out."""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tplsync.sandbox import errors as codes
from tplsync.sandbox import routes_send, routes_template_configs, routes_templates
from tplsync.sandbox.errors import ServiceError
from tplsync.sandbox.faults import Fault, FaultInjector, FaultSettings
from tplsync.sandbox.routing import Api, Route
from tplsync.sandbox.seed import seed
from tplsync.sandbox.state import Store

MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class SandboxCredentials:
    """The key pairs the sandbox accepts (documented defaults)."""

    sms_user: str = "sandbox-user"
    sms_key: str = "sandbox-key"
    dev_key: str = "sandbox-dev-key"
    dev_secret: str = "sandbox-dev-secret"


APIS: tuple[Api, ...] = (routes_templates.API, routes_template_configs.API, routes_send.API)


class _HTTPServer(ThreadingHTTPServer):
    # room for a client's whole pool connecting at once: with the default 5,
    # a refused connection is retried a second later
    request_queue_size = 128


class SandboxServer:
    """Runs the emulator on a background thread; ``url`` is its base URL.

    The template and SMS APIs are served at ``url``; the OTP API at
    ``url + "/otp"``. Admin endpoints live under ``/_sandbox/``.
    """

    def __init__(
        self,
        store: Store | None = None,
        faults: FaultSettings | None = None,
        credentials: SandboxCredentials | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        flush_interval: float = 0.2,
    ) -> None:
        self.store = store or Store()
        self.credentials = credentials or SandboxCredentials()
        self.injector = FaultInjector(faults or FaultSettings())
        self.counts: Counter[str] = Counter()
        self.counts_lock = threading.Lock()
        self.in_flight: Counter[str] = Counter()
        self.peak_in_flight: Counter[str] = Counter()  # most served at once, per endpoint
        self.flush_interval = flush_interval
        self._httpd = _HTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SandboxServer:
        if self._threads:
            raise RuntimeError("the sandbox is already running")
        serve = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="sandbox", daemon=True
        )
        flush = threading.Thread(target=self._flush_loop, name="sandbox-flush", daemon=True)
        self._threads = [serve, flush]
        for thread in self._threads:
            thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (``tplsync sandbox``)."""
        flush = threading.Thread(target=self._flush_loop, name="sandbox-flush", daemon=True)
        flush.start()
        try:
            self._httpd.serve_forever()
        finally:
            self._stopping.set()
            self._httpd.server_close()
            self.store.flush()

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.store.flush()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _flush_loop(self) -> None:
        while not self._stopping.wait(self.flush_interval):
            self.store.flush()

    def count(self, key: str) -> None:
        with self.counts_lock:
            self.counts[key] += 1

    @contextmanager
    def serving(self, key: str) -> Iterator[None]:
        """Count one API request and keep track of how many are in flight."""
        with self.counts_lock:
            self.counts[key] += 1
            self.in_flight[key] += 1
            self.peak_in_flight[key] = max(self.peak_in_flight[key], self.in_flight[key])
        try:
            yield
        finally:
            with self.counts_lock:
                self.in_flight[key] -= 1


def _make_handler(server: SandboxServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(_RequestHandler):
        sandbox = server

    return RequestHandler


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tplsync-sandbox"
    # Headers and body leave in one write, without Nagle's delay: otherwise
    # every keep-alive answer waits ~40 ms for the client's delayed ACK.
    wbufsize = -1
    disable_nagle_algorithm = True
    sandbox: SandboxServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: requests are counted, not logged."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        raw = self._read_body()
        if raw is None:
            return
        if path.startswith("/_sandbox/"):
            self._admin(method, path, raw)
            return
        for api in APIS:
            for route in api.routes:
                match = route.pattern.fullmatch(path)
                if match and route.method == method:
                    with self.sandbox.serving(route.key):
                        self._api(api, route, query, raw, match)
                    return
        self.sandbox.count(f"{method} (unknown)")
        self._send(
            404, {"code": codes.SEND_NO_RESOURCE, "message": f"no route for {method} {path}"}
        )

    def _read_body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._send(413, {"code": codes.INVALID_PARAMETER, "message": "body too large"})
            return None
        return self.rfile.read(length) if length else b""

    def _api(
        self, api: Api, route: Route, query: dict[str, str], raw: bytes, match: re.Match[str]
    ) -> None:
        latency, fault, retry_after = self.sandbox.injector.decide()
        if latency:
            time.sleep(latency)
        if fault is Fault.RATE_LIMITED:
            self._send(
                429,
                {"code": api.rate_limited, "message": "too many requests"},
                {"Retry-After": f"{retry_after:.3f}"},
            )
            return
        if fault is Fault.ERROR:
            self._send(500, {"code": codes.SEND_INTERNAL, "message": "Internal Error"})
            return
        if not self._authorised(api):
            status, code, message = api.auth_failed
            self._send(status, {"code": code, "message": message})
            return
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            self._send(400, {"code": api.bad_json, "message": "the request body is not valid JSON"})
            return
        try:
            status, answer = 200, route.handler(self.sandbox.store, query, body, match)
        except ServiceError as error:
            status, answer = error.status, {"code": error.code, "message": error.message}
        if fault is Fault.DROP:
            self.close_connection = True
            return
        if fault is Fault.TIMEOUT:
            time.sleep(self.sandbox.injector.settings.timeout_delay)
        self._send(status, answer)

    def _authorised(self, api: Api) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        expected = self.sandbox.credentials
        if api.key_pair == "sms":
            return (user, secret) == (expected.sms_user, expected.sms_key)
        return (user, secret) == (expected.dev_key, expected.dev_secret)

    def _admin(self, method: str, path: str, raw: bytes) -> None:
        store = self.sandbox.store
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            self._send(400, {"code": codes.INVALID_PARAMETER, "message": "invalid JSON"})
            return
        decision = re.fullmatch(r"/_sandbox/(templates|signatures)/([^/]+)/(approve|reject)", path)
        try:
            if method == "GET" and path == "/_sandbox/messages":
                answer: Any = {"messages": store.messages()}
            elif method == "GET" and path == "/_sandbox/requests":
                with self.sandbox.counts_lock:
                    counts = dict(self.sandbox.counts)
                    peak = dict(self.sandbox.peak_in_flight)
                answer = {"counts": counts, "total": sum(counts.values()), "peak_in_flight": peak}
            elif method == "DELETE" and path == "/_sandbox/requests":
                with self.sandbox.counts_lock:
                    self.sandbox.counts.clear()
                    self.sandbox.peak_in_flight = +self.sandbox.in_flight  # those still running
                answer = {}
            elif method == "POST" and path == "/_sandbox/reset":
                store.reset()
                answer = {}
            elif method == "POST" and path == "/_sandbox/seed":
                answer = {"seeded": seed(store, body)}
            elif method == "POST" and path == "/_sandbox/otp-templates":
                items = body.get("templates") if isinstance(body, dict) else body
                if not isinstance(items, list):
                    raise ValueError('add OTP templates with {"templates": [{"id", "content"}]}')
                answer = {"added": store.add_otp_templates(items)}
            elif method == "POST" and decision:
                message = None
                if decision.group(3) == "reject":
                    message = str(body.get("message") or "rejected in the sandbox")
                if decision.group(1) == "signatures":
                    answer = routes_template_configs.decide_signature(
                        store, decision.group(2), message
                    )
                else:
                    answer = routes_templates.decide(store, decision.group(2), message)
            elif method == "GET" and path == "/_sandbox/faults":
                answer = asdict(self.sandbox.injector.settings)
            elif method == "PUT" and path == "/_sandbox/faults":
                settings = replace(self.sandbox.injector.settings, **body)
                self.sandbox.injector = FaultInjector(settings)
                answer = asdict(settings)
            else:
                self._send(
                    404, {"code": codes.SEND_NO_RESOURCE, "message": f"no admin route {path}"}
                )
                return
        except ServiceError as error:
            self._send(error.status, {"code": error.code, "message": error.message})
            return
        except (TypeError, ValueError) as error:
            self._send(400, {"code": codes.INVALID_PARAMETER, "message": str(error)})
            return
        self._send(200, answer)

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        """Answer ``payload``: a value to encode, or JSON already encoded (bytes)."""
        data = (
            payload
            if isinstance(payload, bytes)
            else json.dumps(payload, ensure_ascii=False).encode()
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
