"""The gallery in a real headless Chromium, from ``file://``.

`.ci/run` installs Debian's ``chromium`` when it is missing and sets
``TPLSYNC_BROWSER_TESTS=required``, so there these tests fail rather than
skip; elsewhere they skip when no Chromium is installed. The screenshots are
kept in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_example, invoke

BROWSER = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
REQUIRED = os.environ.get("TPLSYNC_BROWSER_TESTS") == "required"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(
    BROWSER is None and not REQUIRED, reason="no chromium installed (.ci/run installs it)"
)


class Elements(HTMLParser):
    """Each element as (tag, attributes, text directly inside it)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}, []))
        if tag not in ("meta", "link", "input", "br"):
            self._open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.found[self._open[-1]][2].append(data)

    def having(self, css_class: str) -> list[tuple[str, dict[str, str], list[str]]]:
        return [e for e in self.found if css_class in e[1].get("class", "").split()]

    def by_id(self, identifier: str) -> tuple[str, dict[str, str], list[str]]:
        return next(e for e in self.found if e[1].get("id") == identifier)


def browse(profile: Path, url: str, *args: str) -> str:
    """What Chromium's DOM holds once the page has loaded and run its script."""
    assert BROWSER is not None, "TPLSYNC_BROWSER_TESTS=required, but chromium is not installed"
    run = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples' gallery."""
    project = tmp_path_factory.mktemp("gallery") / "project"
    copy_example(project)
    previous = Path.cwd()
    os.chdir(project)
    try:
        assert invoke("preview", "--html", "site").exit_code == 0
    finally:
        os.chdir(previous)
    return project / "site"


def test_search_by_name_in_the_browser(site: Path, tmp_path: Path) -> None:
    index = (site / "index.html").as_uri()
    everything = Elements(browse(tmp_path, index, "--dump-dom"))
    cards = everything.having("card")
    assert len(cards) == 12
    assert not any("hidden" in attributes for _, attributes, _ in cards)
    searched = Elements(browse(tmp_path, f"{index}#q=Login-Code", "--dump-dom"))
    shown = sorted(a["data-name"] for _, a, _ in searched.having("card") if "hidden" not in a)
    assert shown == ["login-code", "login-code-de", "login-code-es", "login-code-zh"]
    assert searched.by_id("shown")[2] == ["4"]
    assert "hidden" in searched.by_id("nothing")[1]
    none = Elements(browse(tmp_path, f"{index}#q=zzz", "--dump-dom"))
    assert all("hidden" in a for _, a, _ in none.having("card"))
    assert "hidden" not in none.by_id("nothing")[1]


def test_a_template_page_marks_segments_and_ucs2_characters(site: Path, tmp_path: Path) -> None:
    page = Elements(browse(tmp_path, (site / "order-shipped.html").as_uri(), "--dump-dom"))
    assert len(page.having("phone")) == 2  # one per sample
    assert [text for _, _, text in page.having("cut")] == [["2/2"]]
    assert [(a["data-segment"], "even" in a["class"]) for _, a, _ in page.having("segment")] == [
        ("1", False),
        ("1", False),
        ("2", True),
    ]
    marks = [(text, a.get("title", "")) for tag, a, text in page.having("ucs2") if tag == "mark"]
    assert marks[0] == (
        ["ë"],
        "U+00EB LATIN SMALL LETTER E WITH DIAERESIS forces UCS-2: use 'e' instead",
    )
    badges = {" ".join(text).strip() for _, _, text in page.having("badge")}
    assert {"notification", "UCS-2", "2 segments", "lint clean"} <= badges


def png_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and how many distinct byte values the pixels hold."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return width, height, len(set(zlib.decompress(b"".join(chunks))))


@pytest.mark.parametrize("page", ["index.html", "order-shipped.html"])
def test_screenshots_are_saved_as_artifacts(site: Path, tmp_path: Path, page: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"gallery-{page.removesuffix('.html')}.png"
    shot.unlink(missing_ok=True)
    browse(tmp_path, (site / page).as_uri(), "--window-size=1280,1400", f"--screenshot={shot}")
    width, height, variety = png_facts(shot)
    assert (width, height) == (1280, 1400)
    assert variety > 64  # a blank or one-colour page has a handful of byte values


def test_the_gallery_still_works_when_moved(site: Path, tmp_path: Path) -> None:
    """Only relative links: the directory can be moved, zipped or served."""
    moved = tmp_path / "moved"
    shutil.copytree(site, moved)
    page = Elements(browse(tmp_path / "profile", (moved / "index.html").as_uri(), "--dump-dom"))
    links = {a["href"] for tag, a, _ in page.found if tag in ("a", "link") and "href" in a}
    assert links and all("/" not in link and (moved / link).is_file() for link in links)
