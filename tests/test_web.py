"""The web UI (``storyprism serve``): JSON API and escaping through FastAPI's TestClient, and the pages in a real
Chromium driven by Playwright against the served app, on a database of the seed documents plus a hostile article.

The browser tests skip (with the reason) when Chromium or Playwright is missing; ``make test`` installs Chromium.
Screenshots of every page visited go to the test's tmp dir and to ``out/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from conftest import REPO, SEEDS, seed
from storyprism.models import Article, RawDoc
from storyprism.store import Store, StoreError

CHROMIUM = Path(os.environ.get("STORYPRISM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = REPO / "out" / "screenshots"

PWN = "window.__pwned = 1"
# Capitalised on purpose: such a run once sent attribution._COLON_LINE backtracking for minutes.
LONG_LINE = "W" * 20_000
ARABIC = "قال مصدر دبلوماسي في دمشق إن الاجتماع سيعقد في باكو يوم السبت."
HOSTILE_ID = 'hostile/1 "#<x>'
HOSTILE_OUTLET = "Rogue <b>Gazette</b>"
HOSTILE_TITLE = f'Breaking <script>{PWN}</script> <img src=x onerror="{PWN}">'
HOSTILE_TEXT = (
    f"The council said on Monday that <script>{PWN}; alert(1)</script> the vote was delayed.\n\n"
    f'Officials added <img src=x onerror="{PWN}; alert(2)"> that a <a href="javascript:{PWN}">link</a> '
    f'and <svg onload="{PWN}"></svg> were posted.\n\n'
    f"{LONG_LINE}\n\n"
    f"{ARABIC}"
)


# --- the database ---------------------------------------------------------------------------------------------
def _add_hostile(store: Store, folder: Path) -> None:
    """The hostile article goes in through the pipeline and the store's write API rather than through ingest,
    so that its text is exactly the attack (extraction would tidy some of it away); its raw input is the JSONL
    line it would have come from."""
    from storyprism.nlp import load_nlp
    from storyprism.pipeline import run

    record = {"id": HOSTILE_ID, "outlet": HOSTILE_OUTLET, "title": HOSTILE_TITLE, "published": "2025-07-14T09:00"}
    raw_line = json.dumps({**record, "text": HOSTILE_TEXT}, ensure_ascii=False)
    (folder / "hostile.jsonl").write_text(raw_line + "\n", encoding="utf-8")
    article = Article(id=HOSTILE_ID, source=str(folder / "hostile.jsonl#0"), text=HOSTILE_TEXT, title=HOSTILE_TITLE,
                      outlet=HOSTILE_OUTLET, published="2025-07-14T09:00")  # fmt: skip
    state, _ = store.cluster_state()
    comparisons, analyzed, assignments = run([article], load_nlp(), state=state)
    with store.transaction():
        doc, _ = store.add_document(RawDoc(source=article.source, content=raw_line, format="text", id=HOSTILE_ID))
        store.save_article(doc, analyzed[0], assignments[0], seq=store.next_seq(), analyzed_with="test")
    with store.transaction():
        for comparison in comparisons:
            store.save_comparison(comparison)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seed("000")  # skips the module's tests when the seeds are absent
    from storyprism.ingest import ingest
    from storyprism.nlp import load_nlp

    folder = tmp_path_factory.mktemp("webdb")
    path = folder / "web.db"
    with Store.open(path) as store:
        report = ingest([str(SEEDS)], store, load_nlp())
        assert report.stored >= 2, report
        _add_hostile(store, folder)
    return path


@pytest.fixture(scope="session")
def client(web_db: Path):
    from fastapi.testclient import TestClient

    from storyprism.web import create_app

    with TestClient(create_app(web_db)) as test_client:
        yield test_client


def seed_story(client) -> dict:
    """The story that both seed documents form (the list holds the hostile article's story too)."""
    stories = client.get("/api/stories").json()["stories"]
    found = [s for s in stories if s["articles"] >= 2]
    assert len(found) == 1, stories
    return found[0]


# --- JSON API and escaping (no browser) ------------------------------------------------------------------------
def test_api_stories_lists_the_seed_story_with_both_outlets(client) -> None:
    story = seed_story(client)
    assert len(story["outlets"]) == 2
    assert any("Mayadeen" in o for o in story["outlets"]) and any("Tahrir" in o for o in story["outlets"])
    assert story["independent_origins"] >= 1 and story["claims"] >= 1
    assert "Baku" in story["title"]


def test_api_filters(client) -> None:
    story = seed_story(client)
    outlet = story["outlets"][0]
    ids = lambda **params: [s["id"] for s in client.get("/api/stories", params=params).json()["stories"]]  # noqa: E731
    assert ids(outlet=outlet) == [story["id"]]
    assert ids(outlet="no such outlet") == []
    assert story["id"] in ids(q="Baku")
    assert ids(q="zzzqqqxxyy") == []
    assert story["id"] in ids(since="2025-07-01", until="2025-07-31")
    assert ids(until="2025-07-01") == []
    assert ids(since="2025-08-01") == []
    entities = client.get(f"/api/story/{quote(story['id'])}").json()["labels"]
    assert entities, "the seed story names actors in both outlets"
    assert story["id"] in ids(entity=next(iter(entities)))
    bad = client.get("/api/stories", params={"since": "last tuesday"})
    assert bad.status_code == 422 and "since" in bad.json()["detail"]


def test_api_keyset_pages_cover_every_story_once(client) -> None:
    total = client.get("/api/stories").json()["total"]
    assert total >= 2
    seen, after = [], None
    for _ in range(total + 1):
        page = client.get("/api/stories", params={"limit": 1, **({"after": after} if after else {})}).json()
        seen += [s["id"] for s in page["stories"]]
        after = page["next"]
        if not after:
            break
    assert len(seen) == total == len(set(seen))


def test_story_list_order_and_cursor(web_db: Path) -> None:
    """Store.stories (index-ordered, what the pages and the API list) gives every compared story newest first,
    and each cursor continues right after its row."""
    from storyprism.store import cursor

    with Store.open(web_db, readonly=True) as store:
        every = store.stories(limit=1000)
        ids = [
            r[0]
            for r in store.conn.execute(
                "SELECT id FROM stories WHERE comparison IS NOT NULL ORDER BY COALESCE(end_, '') DESC, id DESC"
            )
        ]
        assert [r.id for r in every] == ids and len(ids) >= 2
        for n, row in enumerate(every):
            assert store.stories(after=cursor(row), limit=1000) == every[n + 1 :]


def test_api_story_article_raw_and_search(client) -> None:
    story = client.get(f"/api/story/{quote(seed_story(client)['id'])}").json()
    assert {"claims", "unique", "conflicts", "outlets", "labels", "articles"} <= story.keys()
    assert any(len(set(c["outlets"])) == 2 for c in story["claims"]), "a claim both outlets carry"
    article_id = story["articles"][0]["id"]
    article = client.get(f"/api/article/{quote(article_id)}").json()
    assert article["article"]["id"] == article_id and article["article"]["sentences"]
    assert article["links"]["story"] == story["id"]
    raw = client.get(f"/api/article/{quote(article_id)}/raw").json()
    assert raw["content"] and len(raw["content"]) >= len(article["article"]["text"]) // 2
    hits = client.get("/api/search", params={"q": "sidelines"}).json()["articles"]
    assert hits and all("[" in h["snippet"] for h in hits)
    assert {h["id"] for h in hits} <= {a["id"] for a in story["articles"]}
    assert client.get("/api/story/no-such-story").status_code == 404
    assert client.get("/api/article/no-such-article").status_code == 404
    assert client.get("/api/outlet/no-such-outlet").status_code == 404
    outlets = client.get("/api/outlets").json()
    profile = client.get(f"/api/outlet/{quote(outlets[0]['name'])}").json()
    assert profile["profile"]["articles"] == outlets[0]["articles"] == len(profile["articles"])


def test_hostile_article_is_escaped_everywhere(client) -> None:
    hostile = quote(HOSTILE_ID)
    pages = {
        "article": client.get(f"/article/{hostile}"),
        "raw": client.get(f"/article/{hostile}/raw"),
        "stories": client.get("/"),
        "outlet": client.get(f"/outlet/{quote(HOSTILE_OUTLET)}"),
        "search": client.get("/", params={"q": "council"}),
    }
    story_id = client.get(f"/api/article/{hostile}").json()["links"]["story"]
    pages["story"] = client.get(f"/story/{quote(story_id)}")
    for name, response in pages.items():
        assert response.status_code == 200, name
        tree = lxml.html.fromstring(response.text)
        assert tree.xpath("//script") == [], name  # the pages use no script, so any would be the document's
        assert tree.xpath("//@*[starts-with(name(), 'on')]") == [], name
        assert not [h for h in tree.xpath("//@href | //@src") if not h.startswith(("/", "#"))], name
        assert tree.xpath("//b[contains(., 'Gazette')] | //img | //svg[@onload]") == [], name
        assert "script-src" not in response.headers["content-security-policy"]
        assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "&lt;script&gt;" in pages["article"].text and LONG_LINE in pages["article"].text
    assert ARABIC in pages["article"].text
    assert "&lt;script&gt;" in pages["raw"].text and "onerror=\\&#34;" in pages["raw"].text


def test_article_markup_keeps_every_character_of_each_sentence(client, web_db: Path) -> None:
    from storyprism.web.markup import build

    story = seed_story(client)
    with Store.open(web_db, readonly=True) as store:
        for item in store.story_articles(story["id"]).values():
            markup = build(item)
            sentences = [p for para in markup.paragraphs for p in para.parts if hasattr(p, "segments")]
            assert len(sentences) == len(item.sentences)
            for shown in sentences:
                original = next(s for s in item.sentences if s.index == shown.index)
                assert "".join(seg.text for seg in shown.segments) == item.article.text[original.start : original.end]
            marked = " ".join(seg.css for s in sentences for seg in s.segments)
            assert "ent" in marked and "cue" in marked and "fr" in marked


def test_docs_page_is_offline_and_schema_served(client) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "<script" not in docs.text.lower() and "cdn" not in docs.text.lower()
    assert "/api/stories" in docs.text and "/api/search" in docs.text
    assert "/api/stories" in client.get("/openapi.json").json()["paths"]


def test_unknown_pages_are_404_pages(client) -> None:
    for url in ("/story/nope", "/article/nope", "/article/nope/raw", "/outlet/nope"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "text/html" in response.headers["content-type"] and "Not found" in response.text
    assert client.get("/?since=yesterday").status_code == 400


def test_missing_database_is_one_line(tmp_path: Path) -> None:
    from storyprism.web import create_app

    with pytest.raises(StoreError):
        create_app(tmp_path / "missing.db")
    result = subprocess.run(
        [sys.executable, "-m", "storyprism.cli", "serve", "--db", str(tmp_path / "missing.db"), "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "missing.db" in result.stderr


# --- in Chromium ------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(web_db: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "storyprism.cli", "serve", "--db", str(web_db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/api/outlets", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"storyprism serve did not start: {output}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or `make install-test`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


class Watch:
    """A page with every dialog (alert, confirm, prompt) recorded and dismissed: a dialog means a script ran."""

    def __init__(self, browser, shots: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)
        self.shots = shots

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, name: str) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        target = self.shots / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, SCREENSHOTS / target.name)


@pytest.fixture
def watch(browser, tmp_path: Path) -> Iterator[Watch]:
    w = Watch(browser, tmp_path / "screenshots")
    yield w
    w.context.close()


def test_browser_stories_page_lists_the_seed_story(watch: Watch, server: str) -> None:
    page = watch.page
    page.goto(server + "/")
    rows = page.locator("table.stories tbody tr")
    seed_row = rows.filter(has_text="Mayadeen").filter(has_text="Tahrir")
    assert seed_row.count() == 1
    assert "Baku" in seed_row.locator("td").first.inner_text()
    watch.shot("stories")


def test_browser_story_page_shows_both_outlets_and_shared_claims(watch: Watch, server: str) -> None:
    page = watch.page
    page.goto(server + "/")
    page.locator("table.stories tbody tr").filter(has_text="Tahrir").locator("td a").first.click()
    page.wait_for_load_state()
    assert "/story/" in page.url
    columns = page.locator(".outlets .outlet-col h4")
    names = columns.all_inner_texts()
    assert len(names) == 2 and any("Mayadeen" in n for n in names) and any("Tahrir" in n for n in names)
    shared = page.locator("table.matrix tr.row-shared")
    assert shared.count() >= 1
    # A shared claim is carried by both outlets: two "✓" cells in its row.
    first = shared.first
    assert first.locator("td.cell.supports").count() == 2
    assert any("Baku" in t for t in shared.locator("th[scope=row]").all_inner_texts())
    # A cell opens its sentence in context on the same page.
    link = first.locator("td.cell.supports a").first
    target = link.get_attribute("href")
    assert target and target.startswith("#")
    link.click()
    assert page.url.endswith(target)
    sentence = page.locator(f"[id='{target[1:]}']")
    assert sentence.is_visible() and sentence.inner_text().strip()
    assert page.locator("svg.timeline circle").count() == 2
    watch.shot("story")


def test_browser_search_finds_an_article(watch: Watch, server: str) -> None:
    page = watch.page
    page.goto(server + "/")
    page.fill("input[name=q]", "sidelines")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    hits = page.locator("ol.hits li")
    assert hits.count() >= 1
    assert page.locator("ol.hits mark").first.inner_text().lower().startswith("sidelines")
    watch.shot("search")
    hits.first.locator("a").first.click()
    page.wait_for_load_state()
    assert "/article/" in page.url
    assert page.locator(".body.annotated .s").count() >= 3
    assert page.locator(".body.annotated .ent").count() >= 1
    watch.shot("article")


def test_browser_hostile_article_runs_nothing_and_keeps_the_layout(watch: Watch, server: str) -> None:
    page = watch.page
    hostile = quote(HOSTILE_ID)
    visited = {"hostile-article": f"/article/{hostile}", "hostile-raw": f"/article/{hostile}/raw",
               "hostile-outlet": f"/outlet/{quote(HOSTILE_OUTLET)}", "hostile-search": "/?q=council"}  # fmt: skip
    page.goto(server + visited["hostile-article"])
    story_link = page.locator(".crumbs a[href^='/story/']").first.get_attribute("href")
    visited["hostile-story"] = story_link
    for name, url in visited.items():
        page.goto(server + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", name
        assert page.evaluate("document.querySelectorAll('script').length") == 0, name
        assert page.evaluate("document.querySelectorAll('[onerror],[onload],svg[onload]').length") == 0, name
        assert page.evaluate("document.querySelectorAll('a[href^=\"javascript:\"]').length") == 0, name
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{name}: the page is {width[0]}px wide in a {width[1]}px window"
        watch.shot(name)
    page.goto(server + visited["hostile-article"])
    body = page.locator(".body.annotated").inner_text()
    assert "<script>" in body and "onerror=" in body and "javascript:" in body
    arabic = page.locator(".body.annotated p", has_text=ARABIC[:12])
    assert arabic.evaluate("p => getComputedStyle(p).direction") == "rtl"
    assert watch.dialogs == []
