"""Answers of the seed dialect and the send API chosen to mislead or to
address another resource, and messages that must stay one line each."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, invoke
from tests.hostile.servers import answering
from tests.hostile.test_hostile_account import INJECTED, account, remote

__all__ = ["account"]  # the fixture, shared


def test_a_partly_accepted_send_prints_the_services_text_escaped(
    account: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = {
        "plan_id": "\x1b]8;;http://127.0.0.1/\x07plan",
        "total_count": 2,
        "accepted_count": 1,
        "code": 1,
        "message": INJECTED,
    }
    account(remote("5", "login-code", template_type="0", template_content="Code {{code}}"))
    with answering(lambda request: (200, {}, answer)) as (url, _):
        monkeypatch.setenv("TPLSYNC_SMS_ENDPOINT", url)
        monkeypatch.setenv("ENGAGELAB_DEV_KEY", "send-key")
        monkeypatch.setenv("ENGAGELAB_DEV_SECRET", "send-secret")
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        run = invoke(
            "send", "login-code", "--to", "+8613800138000", "--to", "+8613800138001",
            "--param", "code=048213",
        )  # fmt: skip
    assert run.exit_code == 3, run.stdout + run.stderr
    assert "partly sent: plan_id \\x1b]8;;http://127.0.0.1/\\x07plan" in run.stdout
    assert "approved by security" in run.stdout
    for line in run.stdout.splitlines():
        assert not line.lstrip().startswith("::"), line
    for character in ("\x1b", "\x07", "\u202e"):
        assert character not in run.stdout


@pytest.mark.parametrize("template_id", ["../../v1/templates/9", "7?x=1", "7#x", 7.5, {"id": 7}])
def test_an_id_that_would_address_another_resource_is_refused(
    account: Callable[..., str], template_id: Any
) -> None:
    account(remote("7", "old-promo"), {**remote("8", "other"), "template_id": template_id})
    run = invoke("apply", "--auto-approve", "--prune")
    assert run.exit_code == 3, run.stdout + run.stderr
    assert run.stderr.startswith("error: the answer's template_id is ")
    assert run.stderr.rstrip().endswith("not an id")
    assert len(run.stderr.strip().splitlines()) == 1


def test_pull_writes_no_file_for_a_name_templates_share(account: Callable[..., str]) -> None:
    account(remote("101", "welcome"), remote("102", "welcome"), remote("103", "hello"))
    run = invoke("pull", "--dir", "pulled")
    assert run.exit_code == 0, run.stderr
    assert "skipped welcome: duplicate name: 2 templates on the account are named welcome" in (
        run.stdout
    )
    assert sorted(p.name for p in Path("pulled").iterdir()) == ["hello.yaml"]


def test_lint_errors_before_a_plan_are_listed_one_a_line(account: Callable[..., str]) -> None:
    account()
    Path("broken.yaml").write_text("name: broken\ntype: notification\ncontent: 'Hi {{code} x'\n")
    Path("broken2.yaml").write_text("name: broken2\ntype: notification\ncontent: 'Hi {{a} x'\n")
    run = invoke("plan")
    assert run.exit_code == 1
    lines = run.stderr.splitlines()
    assert lines[0].startswith("error: 2 lint errors in the templates; nothing was planned")
    assert [line.split(":")[0] for line in lines[1:]] == ["  broken.yaml", "  broken2.yaml"]
    assert "\\x0a" not in run.stderr


def test_a_file_that_does_not_load_is_listed_with_the_other_lint_errors(
    account: Callable[..., str],
) -> None:
    account()
    Path("unread.yaml").write_text("name: unread\ntype: notification\ncontent: 'Hi\n")
    Path("broken.yaml").write_text("name: broken\ntype: notification\ncontent: 'Hi {{code} x'\n")
    for command in ("plan", "apply"):
        run = invoke(command, "--auto-approve" if command == "apply" else "--prune")
        assert run.exit_code == 1
        lines = run.stderr.splitlines()
        assert lines[0].startswith("error: 2 lint errors in the templates; nothing was planned")
        assert [line.split(":")[0] for line in lines[1:]] == ["  broken.yaml", "  unread.yaml"]
        assert " error syntax " in lines[2] and " error placeholder-syntax " in lines[1]


@contextmanager
def raw_server(answer: RawAnswer) -> Iterator[str]:
    """A loopback server that reads each request's head and hands the socket
    to ``answer`` (which writes whatever bytes it likes, until told to stop)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(30)
                with contextlib.suppress(OSError):
                    connection.recv(65536)
                    answer(connection, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


RawAnswer = Callable[[socket.socket, threading.Event], None]
LISTING = b'{"code": 0, "result": [], "total": 0}'


def head(length: int, *extra: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: application/json", *extra]
    if length >= 0:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def huge(connection: socket.socket, stop: threading.Event) -> None:
    connection.sendall(head(80 << 20))
    block = b" " * (1 << 20)
    for _ in range(80):
        connection.sendall(block)


def trickling(connection: socket.socket, stop: threading.Event) -> None:
    """One byte every 0.2 s for 20 s, then the rest of a valid listing: each
    read arrives well within the timeout, the whole never does."""
    body = b" " * 100 + LISTING
    connection.sendall(head(len(body)))
    for index in range(100):
        connection.sendall(body[index : index + 1])
        if stop.wait(0.2):
            return
    connection.sendall(body[100:])


def trickling_head(connection: socket.socket, stop: threading.Event) -> None:
    """The status line and headers one byte every 0.2 s (over 10 s in all),
    then a valid listing: each read arrives well within the timeout."""
    answer = head(len(LISTING)) + LISTING
    for index in range(len(answer) - len(LISTING)):
        connection.sendall(answer[index : index + 1])
        if stop.wait(0.2):
            return
    connection.sendall(LISTING)


def bad_gzip(connection: socket.socket, stop: threading.Event) -> None:
    connection.sendall(head(20, "Content-Encoding: gzip") + b"\x1f\x8b" + b"x" * 18)


def broken_chunks(connection: socket.socket, stop: threading.Event) -> None:
    connection.sendall(head(-1, "Transfer-Encoding: chunked") + b"zz\r\nnot a chunk\r\n")


def head_cut_short(connection: socket.socket, stop: threading.Event) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/js")


def empty_body(connection: socket.socket, stop: threading.Event) -> None:
    connection.sendall(head(0))


def status_from(answer: RawAnswer, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``status`` against ``answer``, with a 1 s timeout and 1.5 s to retry in."""
    config = Path("tplsync.yaml")
    config.write_text(config.read_text() + "api: {retry_budget: 1.5}\n")
    monkeypatch.setenv("TPLSYNC_TIMEOUT", "1")
    with raw_server(answer) as url:
        monkeypatch.setenv("TPLSYNC_ENDPOINT", url)
        return invoke("status")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (huge, "error: the answer is over 64 MiB; not read further"),
        (trickling, "no answer within 1 s; gave up after"),
        (bad_gzip, "error: the answer's Content-Encoding does not decode"),
        (broken_chunks, "connection dropped; gave up after"),
        (head_cut_short, "the answer has no body (cut short); gave up after"),
        (empty_body, "the answer has no body (cut short); gave up after"),
    ],
)
def test_an_answer_too_big_too_slow_or_garbled_is_one_line(
    account: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    answer: RawAnswer,
    expected: str,
) -> None:
    run = status_from(answer, monkeypatch)
    assert run.exit_code == 3, run.stdout + run.stderr
    assert expected in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_head_that_trickles_in_holds_each_try_only_until_the_timeout(
    account: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = status_from(trickling_head, monkeypatch)
    found = re.search(
        r"no answer within 1 s; gave up after (\d+) tr(?:y|ies) in ([\d.]+) s", run.stderr
    )
    assert found is not None, run.stderr
    tries, seconds = int(found.group(1)), float(found.group(2))
    # each try ends at its deadline; a whole head would take over 10 s to arrive
    assert tries <= 2
    assert seconds < 8


@pytest.mark.parametrize("answer", [head_cut_short, empty_body])
def test_an_answer_cut_short_is_never_an_empty_account(
    account: Callable[..., str], monkeypatch: pytest.MonkeyPatch, answer: RawAnswer
) -> None:
    """Closed before the end of its head, or with no body at all, a listing
    is no answer: read as an empty one, plan would create every template."""
    config = Path("tplsync.yaml")
    config.write_text(config.read_text() + "api: {retry_budget: 1.5}\n")
    monkeypatch.setenv("TPLSYNC_TIMEOUT", "1")
    with raw_server(answer) as url:
        monkeypatch.setenv("TPLSYNC_ENDPOINT", url)
        run = invoke("plan")
    assert run.exit_code == 3, run.stdout + run.stderr
    assert "to create" not in run.stdout
    assert "the answer has no body (cut short); gave up after" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
