"""Sandbox throughput (issue target: >= 500 requests/s for list pages of 100).

    python bench/sandbox_bench.py [--seconds 3] [--clients 4]

The sandbox runs as its own process (`tplsync sandbox`), seeded with 1,000
templates; keep-alive clients fetch `GET /v1/templates?offset=..&limit=100`
pages for a fixed time. Baseline, same run, same clients: a bare stdlib
http.server process answering one fixed 30 KB JSON body (about the size of
a page), i.e. what the server machinery costs before any sandbox logic.
Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

BARE_SERVER = r"""
import http.server, json, sys
body = json.dumps({"result": ["x" * 280] * 100, "count": 100, "total": 1000}).encode()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(f"tplsync sandbox on http://127.0.0.1:{s.server_address[1]}", flush=True)
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
    return process, process.stdout.readline().split()[-1]


def throughput(url: str, seconds: float, clients: int) -> float:
    done = [0] * clients
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        session = requests.Session()
        session.auth = ("sandbox-user", "sandbox-key")
        page = index
        while time.perf_counter() < deadline:
            answer = session.get(
                f"{url}/v1/templates",
                params={"offset": (page % 10) * 100, "limit": 100},
                timeout=10,
            )
            assert answer.status_code == 200 and answer.json()["count"] == 100
            done[index] += 1
            page += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        seed = seed_file(Path(temporary), 1000)
        sandbox, sandbox_url = serve(
            [sys.executable, "-m", "tplsync", "sandbox", "--port", "0", "--seed", str(seed)]
        )
        bare, bare_url = serve([sys.executable, "-c", BARE_SERVER])
        try:
            ours = throughput(sandbox_url, args.seconds, args.clients)
            baseline = throughput(bare_url, args.seconds, args.clients)
        finally:
            sandbox.terminate()
            bare.terminate()
    passed = ours >= 500
    print(
        f"sandbox list pages of 100: {ours:.0f} req/s | bare http.server, fixed 30 KB "
        f"answer: {baseline:.0f} req/s | ratio {ours / baseline:.2f} "
        f"(target >= 500 req/s) {'PASS' if passed else 'FAIL'}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
