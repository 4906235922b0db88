"""Sandbox throughput: list pages of 100 against a bare stdlib server answering the same bytes.

    python bench/sandbox_bench.py [--seconds 2] [--clients 4] [--rounds 5]

The sandbox (``tplsync sandbox``, seeded with 1,000 templates) and the
baseline (a bare ``http.server`` answering, to every request, the bytes of
the sandbox's first page) each run as their own process; the load
generator is a third process: keep-alive ``http.client`` connections
fetching ``GET /v1/templates?offset=..&limit=100`` for a fixed time, every
answer checked (status 200, a page of 100). Rounds alternate between the
two servers. Both are bound by one Python process's CPU on the same HTTP
machinery; the ratio is what the sandbox's own work costs on top.
Target: at least 0.8x the baseline's requests per second; exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BenchError, Row, at_least, checked, print_rows, rounds, run_json, script, spread

AUTHORIZATION = "Basic " + base64.b64encode(b"sandbox-user:sandbox-key").decode()

BARE_SERVER = r"""
import http.server, sys
body = open(sys.argv[1], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
print(f"bare server on http://127.0.0.1:{s.server_address[1]}", flush=True)
s.serve_forever()
"""


def seed_file(directory: Path, count: int) -> Path:
    templates = [
        {
            "template_name": f"template-{i:04}",
            "template_type": "1",
            "approval_status": 1,
            "template_content": f"Hi {{{{name}}}}, order {{{{order_id}}}} number {i} is ready.",
        }
        for i in range(count)
    ]
    path = directory / "seed.json"
    path.write_text(json.dumps({"result": templates}), encoding="utf-8")
    return path


def serve(command: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    url = process.stdout.readline().split()[-1]
    if not url.startswith("http://127.0.0.1:"):
        process.terminate()
        raise BenchError(f"{command[:4]} did not start")
    return process, url


def first_page(url: str) -> bytes:
    request = urllib.request.Request(f"{url}/v1/templates?offset=0&limit=100")
    request.add_header("Authorization", AUTHORIZATION)
    with urllib.request.urlopen(request, timeout=30) as answer:
        body: bytes = answer.read()
    page = json.loads(body)
    if page.get("count") != 100 or page.get("total") != 1000:
        raise BenchError(f"the seeded sandbox answered count {page.get('count')}")
    return body


def load(url: str, seconds: float, clients: int) -> None:
    """The load generator (its own process): prints requests per second."""
    parts = urlsplit(url)
    done = [0] * clients
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        page = index
        while time.perf_counter() < deadline and not failures:
            connection.request(
                "GET",
                f"/v1/templates?offset={(page % 10) * 100}&limit=100",
                headers={"Authorization": AUTHORIZATION},
            )
            answer = connection.getresponse()
            body = answer.read()
            if answer.status != 200 or json.loads(body)["count"] != 100:
                failures.append(f"HTTP {answer.status}: {body[:200]!r}")
            done[index] += 1
            page += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"wrong answer: {failures[0]}")
    print(json.dumps(sum(done) / (time.perf_counter() - began)))


def rate(url: str, seconds: float, clients: int) -> float:
    return float(run_json(script("sandbox_bench.py", "--load", url, str(seconds), str(clients))))  # type: ignore[arg-type]


def rows(seconds: float, clients: int, count: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as temporary:
        seed = seed_file(Path(temporary), 1000)
        sandbox, sandbox_url = serve(
            [sys.executable, "-m", "tplsync", "sandbox", "--port", "0", "--seed", str(seed)]
        )
        bare = None
        try:
            body = Path(temporary) / "page.json"
            body.write_bytes(first_page(sandbox_url))
            bare, bare_url = serve([sys.executable, "-c", BARE_SERVER, str(body)])
            ours, theirs = rounds(
                count,
                lambda: rate(sandbox_url, seconds, clients),
                lambda: rate(bare_url, seconds, clients),
            )
        finally:
            sandbox.terminate()
            if bare is not None:
                bare.terminate()
    return [
        Row(
            "sandbox, list pages of 100",
            spread(ours, "req/s", 0),
            f"bare `http.server`, the same bytes: {spread(theirs, 'req/s', 0)}",
            [a / b for a, b in zip(ours, theirs, strict=True)],
            "≥ 0.8",
            at_least(0.8),
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--load", nargs=3, metavar=("URL", "SECONDS", "CLIENTS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.load:
        load(args.load[0], float(args.load[1]), int(args.load[2]))
        return 0
    return print_rows(rows(args.seconds, args.clients, max(args.rounds, 5)))


if __name__ == "__main__":
    sys.exit(checked(main))
