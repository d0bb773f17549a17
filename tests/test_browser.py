"""graph.html in headless Chromium: offline, clickable, and injection-proof.

Drives Debian's chromium through Playwright (no `playwright install`).
Skipped when Playwright or Chromium is missing, except under CI=true, where
that is a failure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "graph"))
from graph_fixtures import build_graph  # noqa: E402

from extractor.io.exporters.html_export import OFFLINE_CHROMIUM_ARGS, write_html  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("EXTRACTOR_CHROMIUM", "/usr/bin/chromium")
ARGS = list(OFFLINE_CHROMIUM_ARGS)


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright==1.65.2)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set EXTRACTOR_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI=true: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class _Page:
    """A page that records requests, dialogs, console errors and page errors."""

    def __init__(self, browser, html: Path) -> None:
        self.url = html.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1400, "height": 860})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url)
        self.page.wait_for_function("() => window.__graphReady === true", timeout=30_000)

    def click_edge(self, subject: str, obj: str, predicate: str) -> None:
        """Mouse click on the middle of the drawn edge subject -> object."""
        point = self.page.evaluate(
            """([s, o, p]) => {
                const g = window.__graph, d = g.data;
                const si = d.nodes.findIndex(n => n.name === s), oi = d.nodes.findIndex(n => n.name === o);
                const ei = d.edges.findIndex(e => e.s === si && e.t === oi && e.predicate === p);
                const pos = g.network.getPositions([si, oi]);
                const mid = {x: (pos[si].x + pos[oi].x) / 2, y: (pos[si].y + pos[oi].y) / 2};
                const dom = g.network.canvasToDOM(mid);
                const box = document.getElementById('canvas').getBoundingClientRect();
                return {x: box.left + dom.x, y: box.top + dom.y, edge: ei};
            }""",
            [subject, obj, predicate],
        )
        assert point["edge"] >= 0, (subject, obj, predicate)
        self.page.mouse.click(point["x"], point["y"])

    def panel(self) -> str:
        return self.page.inner_text("#panel")

    def close(self) -> None:
        self.context.close()


def test_page_is_offline_shows_nodes_and_evidence_on_click(browser, tmp_path):
    html = tmp_path / "graph.html"
    write_html(build_graph(), html, title="Seed-like corpus")
    page = _Page(browser, html)
    try:
        labels = page.page.evaluate("() => window.__graph.nodes.get().map(n => n.label)")
        for name in (
            "ketamine",
            "Complex Regional Pain Syndromes",
            "Receptors, N-Methyl-D-Aspartate",
            "opioid consumption",
        ):
            assert name in labels
        assert page.page.inner_text("#shown") == "showing 11 concepts, 11 relations"

        page.click_edge("ketamine", "Complex Regional Pain Syndromes", "treats")
        text = page.panel()
        assert "Ketamine infusions relieved pain in CRPS patients." in text
        assert "Introduction" in text and "Description" in text and "[4]" in text
        assert "Ketamine-like seed fixture: perioperative pain" in text  # the source document

        page.page.fill("#search", "crps")
        page.page.press("#search", "Enter")
        page.page.wait_for_function("() => document.querySelector('#panel h3') !== null")
        assert page.page.inner_text("#panel h3") == "Complex Regional Pain Syndromes"
        page.page.click("#panel ul.rels button")
        assert page.page.text_content("#panel h2") == "Evidence (2 sentences)"

        page.page.uncheck("#classes input[value=treats]")
        assert page.page.inner_text("#shown") == "showing 8 concepts, 7 relations"
        page.page.fill("#min-evidence", "2")
        page.page.dispatch_event("#min-evidence", "input")
        assert page.page.inner_text("#shown") == "showing 3 concepts, 2 relations"
        page.page.check("#classes input[value=treats]")
        page.page.fill("#min-evidence", "1")
        page.page.dispatch_event("#min-evidence", "input")
        page.page.uncheck("#types input[value=Condition]")
        assert page.page.inner_text("#shown") == "showing 7 concepts, 6 relations"
        page.page.check("#types input[value=Condition]")

        page.page.screenshot(path=str(tmp_path / "graph.png"))
        assert (tmp_path / "graph.png").stat().st_size > 10_000
        assert page.requests == [page.url], page.requests
        assert page.errors == [] and page.dialogs == []
    finally:
        page.close()


def test_injected_markup_never_executes(browser, tmp_path):
    html = tmp_path / "graph.html"
    write_html(build_graph("injection_corpus.json"), html, title="<img src=x onerror=alert('title')>")
    page = _Page(browser, html)
    try:
        n_nodes = page.page.evaluate("() => window.__graph.data.nodes.length")
        n_edges = page.page.evaluate("() => window.__graph.data.edges.length")
        texts = []
        for j in range(n_edges):  # open every evidence panel and every node panel
            page.page.evaluate(f"() => window.__graph.network.selectEdges([{j}])")
            e = page.page.evaluate(f"() => window.__graph.data.edges[{j}]")
            names = page.page.evaluate("() => window.__graph.data.nodes.map(n => n.name)")
            page.click_edge(names[e["s"]], names[e["t"]], e["predicate"])
            texts.append(page.panel())
        for i in range(n_nodes):
            page.page.fill("#search", page.page.evaluate(f"() => window.__graph.data.nodes[{i}].key"))
            page.page.press("#search", "Enter")
            texts.append(page.panel())
        page.page.mouse.move(10, 10)
        page.page.wait_for_timeout(200)
        joined = "\n".join(texts)
        assert "<img src=x onerror=alert(1)>" in joined  # shown, as text
        assert "</script><script>alert(3)</script>" in joined
        assert "<script>alert(2)</script>" in joined
        assert page.dialogs == [], page.dialogs
        assert page.errors == [], page.errors
        created = page.page.evaluate(
            """() => ({
                scripts: document.querySelectorAll('script').length,
                media: document.querySelectorAll('img, iframe, object, embed, image').length,
                foreignSvg: [...document.querySelectorAll('svg')].filter(s => !s.classList.contains('swatch')).length,
                handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                jsLinks: [...document.querySelectorAll('a')].filter(a => !/^https:\\/\\//.test(a.getAttribute('href') || '')).length,
                title: document.title,
            })"""
        )
        assert created == {
            "scripts": 3,
            "media": 0,
            "foreignSvg": 0,
            "handlers": 0,
            "jsLinks": 0,
            "title": "<img src=x onerror=alert('title')>",
        }
        assert page.requests == [page.url], page.requests
        page.page.screenshot(path=str(tmp_path / "injection.png"))
    finally:
        page.close()
