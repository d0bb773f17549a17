"""Regenerate the example graph in graphs/ from the seed article.

Usage::

    python scripts/make_example_graph.py

Runs the default pipeline on corpus/ketamine_perioperative_pain_sharma2025.txt,
copies its graph.html and summary into graphs/, and (when Playwright and
Debian's chromium are installed) saves a screenshot of the page as
graphs/ketamine_seed_graph.png for the README.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from extractor.io.exporters.html_export import OFFLINE_CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "ketamine_perioperative_pain_sharma2025.txt"
GRAPHS = ROOT / "graphs"
CHROMIUM = "/usr/bin/chromium"
ARGS = list(OFFLINE_CHROMIUM_ARGS)


def screenshot(html: Path, png: Path) -> bool:
    """Save a screenshot of ``html``; False when no browser is available."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return False
    if not Path(CHROMIUM).exists():
        return False
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(html.resolve().as_uri())
        page.wait_for_function("() => window.__graphReady === true", timeout=30_000)
        page.screenshot(path=str(png))
        browser.close()
    return True


def main() -> int:
    from extractor.config import Settings
    from extractor.runner import run

    GRAPHS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        report = run([SEED], out, Settings())
        if not report.ok:
            print(f"the seed run failed: {report.failures}", file=sys.stderr)
            return 1
        doc = SEED.stem
        shutil.copyfile(out / "graph.html", GRAPHS / f"{doc}.html")
        shutil.copyfile(out / "summaries" / f"{doc}.md", GRAPHS / f"{doc}.summary.md")
    if screenshot(GRAPHS / f"{SEED.stem}.html", GRAPHS / "ketamine_seed_graph.png"):
        print(f"wrote {GRAPHS / 'ketamine_seed_graph.png'}")
    print(f"wrote {GRAPHS / (SEED.stem + '.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
