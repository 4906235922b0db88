"""Admin endpoints, concurrency, persistence and the command itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.helpers.sandbox import Api
from tplsync.sandbox.server import SandboxServer
from tplsync.sandbox.state import Position, Settings, Store


def test_seed_from_a_directory_and_from_a_list_dump(api: Api) -> None:
    assert api.admin("POST", "seed", json={"directory": str(EXAMPLES)}) == {"seeded": 12}
    dump = api.call("GET", "/v1/templates").json()
    assert dump["total"] == 12
    assert {t["approval_status"] for t in dump["result"]} == {1}
    api.admin("POST", "reset")
    assert api.call("GET", "/v1/templates").json()["total"] == 0
    assert api.admin("POST", "seed", json=dump) == {"seeded": 12}
    assert api.call("GET", "/v1/templates").json()["result"] == dump["result"]
    bad = api.session.post(api.url + "/_sandbox/seed", json={"nothing": 1})
    assert bad.status_code == 400
    nameless = api.session.post(api.url + "/_sandbox/seed", json=[{"template_type": 1}])
    assert (nameless.status_code, nameless.json()["code"]) == (400, 30002)
    assert nameless.json()["message"] == "template_name is required"


def test_request_counts_per_endpoint(api: Api) -> None:
    api.add("a")
    api.call("GET", "/v1/templates")
    api.call("GET", "/v1/templates/1001")
    api.call("PUT", "/v1/templates/1001", json={"template_name": "b"})
    api.call("POST", "/v1/templates/1001/submit")
    api.call("DELETE", "/v1/templates/1001")
    counts = {
        "POST /v1/templates": 1,
        "GET /v1/templates": 1,
        "GET /v1/templates/{id}": 1,
        "PUT /v1/templates/{id}": 1,
        "POST /v1/templates/{id}/submit": 1,
        "DELETE /v1/templates/{id}": 1,
    }
    peaks = dict.fromkeys(counts, 1)  # one after the other
    assert api.admin("GET", "requests") == {"counts": counts, "total": 6, "peak_in_flight": peaks}
    api.admin("DELETE", "requests")
    assert api.admin("GET", "requests") == {"counts": {}, "total": 0, "peak_in_flight": {}}


def test_parallel_creates(api: Api) -> None:
    def create(name: str) -> int:
        body = {"template_name": name, "template_content": "Hi", "template_type": "1"}
        return api.session.post(
            api.url + "/v1/templates", json=body, auth=("sandbox-user", "sandbox-key"), timeout=30
        ).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        distinct = list(pool.map(create, [f"t-{i}" for i in range(200)]))
        same = list(pool.map(create, ["same"] * 50))
    assert distinct == [200] * 200
    assert sorted(same) == [200] + [400] * 49
    listing = [api.call("GET", "/v1/templates", params={"offset": o}).json() for o in (0, 100, 200)]
    names = [t["template_name"] for page in listing for t in page["result"]]
    assert len(names) == len(set(names)) == 201
    ids = [t["template_id"] for page in listing for t in page["result"]]
    assert len(set(ids)) == 201


def test_state_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with SandboxServer(Store(Settings(review_delay=0), state)) as server:
        api = Api(server)
        kept = api.add("kept", submit=True)["template_id"]
        api.call(
            "POST",
            "/v1/messages",
            auth=("sandbox-dev-key", "sandbox-dev-secret"),
            json={"to": ["8613800138000"], "template": {"id": kept, "params": {}}},
        )
        api.admin("POST", "otp-templates", json={"templates": [{"id": "otp", "content": "C"}]})
    assert json.loads(state.read_text())["templates"][0]["name"] == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary left
    with SandboxServer(Store(Settings(review_delay=0), state)) as server:
        api = Api(server)
        assert api.template(kept)["approval_status"] == 1
        assert len(api.admin("GET", "messages")["messages"]) == 1
        assert api.add("next")["template_id"] == kept + 1
        otp = {"to": "+8613800138000", "template": {"id": "otp"}}
        sent = api.call(
            "POST", "/otp/v1/messages", auth=("sandbox-dev-key", "sandbox-dev-secret"), json=otp
        )
        assert sent.status_code == 200


def test_state_file_of_an_earlier_version_is_read(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    old = {
        "template_id": 1001,
        "template_name": "old",
        "template_type": 0,
        "template_content": "Code {{code}}",
        "msg_type": 2,
        "sign_id": 7,
        "sign_pos": 1,
        "approval_status": -1,
        "approval_message": "no",
        "create_time": 1_800_000_000.0,
        "update_time": 1_800_000_000.0,
        "submitted_at": None,
    }
    state.write_text(
        json.dumps(
            {
                "templates": [old],
                "messages": [],
                "scheduled": [],
                "next_template_id": 1002,
                "next_serial": 1,
            }
        )
    )
    store = Store(Settings(review_delay=0), state)
    with SandboxServer(store) as server:
        listed = Api(server).call("GET", "/v1/templates").json()["result"]
    assert listed == [
        {
            "template_id": 1001,
            "template_name": "old",
            "msg_type": 2,
            "template_type": 0,
            "template_content": "Code {{code}}",
            "approval_status": -1,
            "approval_message": "no",
            "create_time": "2027-01-15T16:00:00+0800",
            "update_time": "2027-01-15T16:00:00+0800",
            "sign_id": 7,
        }
    ]
    assert store.templates()[0].signature_position is Position.SUFFIX  # never answered


def test_sandbox_command_serves_until_terminated(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tplsync",
            "sandbox",
            "--port",
            "0",
            "--state",
            str(state),
            "--seed",
            str(EXAMPLES),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("tplsync sandbox on http://127.0.0.1:")
        server_url = first.split()[-1]
        import requests

        listing = requests.get(
            server_url + "/v1/templates", auth=("sandbox-user", "sandbox-key"), timeout=10
        ).json()
        assert listing["total"] == 12
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert len(json.loads(state.read_text())["templates"]) == 12


def test_sandbox_command_refuses_bad_options(tmp_path: Path) -> None:
    bad_state = tmp_path / "bad.json"
    bad_state.write_text("{}", encoding="utf-8")
    refused = tmp_path / "refused.json"
    long_name = {"template_name": "x" * 65, "template_type": 1, "template_content": "Hi"}
    refused.write_text(json.dumps({"result": [long_name]}), encoding="utf-8")
    for args, message in [
        (["--state", str(bad_state)], "not a sandbox state file"),
        (["--reject", "no-equals-sign"], "expected PATTERN=MESSAGE"),
        (["--seed", str(refused)], f"{refused}: cannot seed from it: Template name only"),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "tplsync", "sandbox", "--port", "0", *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 1
        assert message in result.stderr
        assert "Traceback" not in result.stderr
