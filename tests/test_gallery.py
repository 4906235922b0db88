"""``preview --html``: the gallery's content, and how it is written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.conftest import invoke
from tests.helpers.sandbox import TEMPLATE_AUTH, use_account
from tplsync.gallery import MARKER, bubble, page_names, problems_by_template
from tplsync.model import Level, Position, Problem, Template, TemplateType
from tplsync.preview import Rendering

LONG = "Your parcel " + "is on its way to you " * 9 + "today."  # 197 GSM-7 characters

# A project with one of each thing the gallery shows.
FILES = {
    "tplsync.yaml": "templates: [templates]\n",
    "templates__welcome.yaml": """\
        name: welcome
        type: marketing
        description: Sent after sign-up.
        content: "Welcome {{name}}! Don’t miss out. Reply STOP to opt out."
        samples:
          - params: {name: Bob}
          - params: {name: Zoë}
        """,
    "templates__long.yaml": f"name: long\ntype: notification\ncontent: {LONG}\n",
    "templates__two.yaml": """\
        name: first
        type: notification
        content: All good here.
        ---
        name: second
        type: notification
        content: This is a test message.
        """,
    "templates__zh.yaml": """\
        name: zh-code
        type: verification
        content: "您的验证码是{{code}}，5分钟内有效。"
        samples:
          - params: {code: "123456"}
        """,
    "templates__broken.yaml": "name: broken\ntype: [\n",
}


def rendering(text: str) -> Rendering:
    return Rendering("t", "sample 1", {}, text)


def test_bubbles_keep_the_text_and_cut_it_at_segment_boundaries() -> None:
    made = bubble(rendering(LONG))
    assert len(made.segments) == 2
    texts = ["".join(run.text for run in segment) for segment in made.segments]
    assert "".join(texts) == LONG
    assert len(texts[0]) == 153  # a concatenated GSM-7 part


def test_ucs2_characters_are_marked_with_their_replacement() -> None:
    made = bubble(rendering("Don’t wait, Zoë"))
    marked = [run for segment in made.segments for run in segment if run.forced]
    assert [(run.text, run.forced and run.forced.replacement) for run in marked] == [
        ("’", "'"),
        ("ë", "e"),
    ]
    assert [character.char for character in made.highlighted] == ["’", "ë"]
    assert made.unmarked == ""


def test_a_script_that_needs_ucs2_anyway_is_not_marked() -> None:
    made = bubble(rendering("您的验证码是123456，5分钟内有效。"))
    assert not any(run.forced for segment in made.segments for run in segment)
    assert made.highlighted == ()
    assert made.unmarked.startswith("您的验证码是")
    assert "，" in made.unmarked  # replaceable, but replacing it would not help


def test_problems_go_to_the_template_whose_document_holds_them() -> None:
    def template(name: str, path: str, line: int) -> Template:
        return Template(name, TemplateType.NOTIFICATION, "x", position=Position(path, line))

    def problem(path: str, line: int) -> Problem:
        return Problem(Position(path, line), Level.ERROR, "rule", f"{path}:{line}")

    templates = [template("a", "two.yaml", 1), template("b", "two.yaml", 5)]
    owned, other = problems_by_template(
        templates,
        [problem("two.yaml", 3), problem("two.yaml", 5), problem("two.yaml", 9), problem("x", 1)],
    )
    assert {index: [p.message for p in found] for index, found in owned.items()} == {
        0: ["two.yaml:3"],
        1: ["two.yaml:5", "two.yaml:9"],
    }
    assert [p.message for p in other] == ["x:1"]


def test_page_names_are_safe_and_unique() -> None:
    def named(name: str) -> Template:
        return Template(name, TemplateType.NOTIFICATION, "x")

    assert page_names([named(n) for n in ["index", "a/b", "A/B", "../x", "Ünï"]]) == [
        "index-2.html",
        "a-b.html",
        "a-b-2.html",
        "x.html",
        "ünï.html",
    ]


def test_the_gallery_of_a_project(project: Callable[..., Path]) -> None:
    root = project(**FILES)
    run = invoke("preview", "--html", "site")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == (
        "Wrote site/index.html: 5 templates, 6 previews, 2 with lint problems."
    )
    site = root / "site"
    assert sorted(path.name for path in site.iterdir()) == sorted(
        [
            MARKER,
            "gallery.css",
            "index.html",
            "welcome.html",
            "long.html",
            "first.html",
            "second.html",
            "zh-code.html",
        ]
    )
    index = (site / "index.html").read_text()
    assert index.count('<li class="card"') == 5
    assert "5 UCS-2" not in index and "2 UCS-2" in index  # welcome (Zoë, ’) and zh-code
    assert "broken.yaml:3:1" in index  # the file that gave no template, listed
    second = (site / "second.html").read_text()
    assert "forbidden-words" in second and "1 error" in second
    assert "forbidden-words" not in (site / "first.html").read_text()
    welcome = (site / "welcome.html").read_text()
    assert welcome.count('class="phone"') == 2
    mark = r'<mark class="ucs2" title="U\+2019 [^"]*use &#34;&#39;&#34; instead">’'
    assert re.search(mark, welcome)
    assert "encoding" in welcome and "1 warning" in welcome
    assert 'class="badge type-marketing"' in welcome
    long = (site / "long.html").read_text()
    assert long.count('class="cut"') == 1 and "2 segments" in long
    assert "status" not in index  # no review states without --status or --sandbox


def test_names_choose_the_pages_and_unknown_names_write_nothing(
    project: Callable[..., Path],
) -> None:
    root = project(**FILES)
    assert invoke("preview", "--html", "site", "long", "second").exit_code == 0
    assert sorted(p.name for p in (root / "site").glob("*.html")) == [
        "index.html",
        "long.html",
        "second.html",
    ]
    missing = invoke("preview", "--html", "other", "wellcome")
    assert (missing.exit_code, missing.stderr.strip()) == (
        1,
        "error: no template named 'wellcome' (did you mean 'welcome'?)",
    )
    assert not (root / "other").exists()


def test_a_second_run_replaces_the_gallery_and_foreign_directories_are_refused(
    project: Callable[..., Path],
) -> None:
    root = project(**FILES)
    assert invoke("preview", "--html", "site").exit_code == 0
    (root / "templates" / "long.yaml").unlink()
    assert invoke("preview", "--html", "site", "-q").stdout == ""
    assert not (root / "site" / "long.html").exists()  # nothing stale is left
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []
    refused = invoke("preview", "--html", "templates")
    assert refused.exit_code == 1
    assert "templates: not empty and not made by tplsync" in refused.stderr
    assert sorted(p.name for p in (root / "templates").iterdir()) == [
        "broken.yaml",
        "two.yaml",
        "welcome.yaml",
        "zh.yaml",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status"], "--status and --sandbox show review states in the --html gallery"),
        (["--sandbox"], "--status and --sandbox show review states in the --html gallery"),
        (["--html", "x", "--text", "hi"], "--text measures a plain text"),
    ],
)
def test_flags_that_do_not_go_together(
    project: Callable[..., Path], args: list[str], message: str
) -> None:
    project(**FILES)
    run = invoke("preview", *args)
    assert run.exit_code == 64
    assert message in run.stderr


def test_review_states_from_the_sandbox(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPLSYNC_SANDBOX_REVIEW_DELAY", "0")
    assert invoke("apply", "--sandbox", "--auto-approve", "-q").exit_code == 0
    (example / "new.yaml").write_text(
        "name: brand-new\ntype: notification\ncontent: Hello there.\n"
    )
    assert invoke("preview", "--html", "site", "--sandbox").exit_code == 0
    index = (example / "site" / "index.html").read_text()
    assert index.count('class="badge status approved"') == 12
    assert index.count('class="badge status absent"') == 1
    assert "review states from the sandbox" in index


def test_review_states_from_an_account_with_the_rejection_reason(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tplsync.sandbox.server import SandboxServer
    from tplsync.sandbox.state import Settings, Store

    root = project(**FILES)
    (root / "templates" / "broken.yaml").unlink()
    with SandboxServer(Store(Settings(review_delay=0))) as server:
        use_account(server, monkeypatch)
        (root / "templates" / "two.yaml").write_text(
            "name: first\ntype: notification\ncontent: All good here.\n"
        )
        assert invoke("apply", "--auto-approve", "-q").exit_code == 0
        listed = requests.get(server.url + "/v1/templates", auth=TEMPLATE_AUTH, timeout=10)
        welcome = next(
            t["template_id"] for t in listed.json()["result"] if t["template_name"] == "welcome"
        )
        requests.post(
            f"{server.url}/_sandbox/templates/{welcome}/reject",
            json={"message": "opt-out wording missing"},
            timeout=10,
        )
        run = invoke("preview", "--html", "site", "--status", "--param", "name=Ann", "welcome")
    assert run.exit_code == 0, run.stderr
    page = (root / "site" / "welcome.html").read_text()
    assert (
        '<span class="badge status rejected" title="opt-out wording missing">rejected</span>'
        in page
    )
    assert "rejected: opt-out wording missing" in page
    assert page.count('class="phone"') == 1 and "<b>params</b>" in page  # --param, not samples
    assert f"review states from {server.url}" in (root / "site" / "index.html").read_text()


def test_markup_in_templates_is_shown_as_text(project: Callable[..., Path]) -> None:
    project(
        **{
            "tplsync.yaml": "templates: [templates]\n",
            "templates__html.yaml": """\
                name: html
                type: notification
                description: <b onmouseover=alert(1)>bold</b>
                content: "Hi {{name}} <script>alert(1)</script>"
                samples:
                  - params: {name: '"><img src=x onerror=alert(2)>'}
                """,
        }
    )
    assert invoke("preview", "--html", "site").exit_code == 0
    for page in ("index.html", "html.html"):
        text = (Path("site") / page).read_text()
        assert "<script>alert" not in text and "<img" not in text and "<b onmouseover" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_cards_and_pages_show_the_worst_case_of_declared_variables(
    project: Callable[..., Path],
) -> None:
    project(
        **{
            "templates/a.yaml": 'name: long\ntype: notification\ncontent: "Hi {{name}}"\n'
            "variables:\n  name: {max_length: 200, charset: gsm7}\n",
            "templates/b.yaml": 'name: plain\ntype: notification\ncontent: "Hi {{name}}"\n',
        }
    )
    assert invoke("preview", "--html", "site").exit_code == 0
    index = Path("site/index.html").read_text()
    assert index.count('class="badge worst segments many"') == 1  # none for "plain"
    assert ">worst 3<" in index  # 3 + 400 septets
    page = Path("site/long.html").read_text()
    assert "Worst case: GSM-7, 203 characters, 403 septets, 3 segments." in page
    assert "Declared variables" not in Path("site/plain.html").read_text()
