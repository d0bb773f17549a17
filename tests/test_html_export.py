"""graph.html: offline, deterministic, escaped, capped at max_nodes."""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "graph"))
from graph_fixtures import build_graph, load_corpus  # noqa: E402

from extractor.errors import ConfigError  # noqa: E402
from extractor.graph import GraphBuilder  # noqa: E402
from extractor.io.exporters.html_export import layout_positions, script_json, write_html  # noqa: E402
from extractor.pipeline import CorpusResult  # noqa: E402


class _Tags(HTMLParser):
    """Start tags and attributes as a browser's tokenizer sees them (script
    content is raw text, not markup)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert m, "graph data block missing"
    return json.loads(m.group(1))


@pytest.fixture()
def seed_html(tmp_path) -> str:
    write_html(build_graph(), tmp_path / "graph.html", title="Seed-like corpus")
    return (tmp_path / "graph.html").read_text(encoding="utf-8")


def test_same_graph_gives_byte_identical_html(tmp_path):
    docs, corpus = load_corpus()
    write_html(build_graph(), tmp_path / "a.html", title="t")
    builder = GraphBuilder()
    for d in reversed(docs):
        builder.add_document(d)
    g = builder.build(CorpusResult(relations=tuple(reversed(corpus.relations)), claims=corpus.claims))
    write_html(g, tmp_path / "b.html", title="t")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_page_loads_nothing_from_the_network(seed_html):
    tags = _Tags(seed_html).tags
    assert [t for t, _ in tags if t in ("script", "link", "img", "iframe", "source", "embed", "object", "base")] == [
        "script",
        "script",
        "script",
    ]
    for tag, attrs in tags:
        assert not {"src", "href", "srcset", "data", "action", "poster"} & set(attrs), (tag, attrs)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", seed_html, re.I)
    assert not re.search(r"@import", seed_html, re.I)
    assert "cdn.jsdelivr" not in seed_html and "cdnjs" not in seed_html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', seed_html).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "connect-src &#x27;none&#x27;" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_vis_network_is_inlined_with_its_licence(seed_html):
    assert "@license" in seed_html and "vis-network" in seed_html
    assert "The Apache 2.0 License" in seed_html and "The MIT License" in seed_html


def test_page_data_holds_styled_nodes_edges_and_evidence(seed_html):
    data = _page_data(seed_html)
    names = {n["name"]: n for n in data["nodes"]}
    assert {"ketamine", "Complex Regional Pain Syndromes", "Receptors, N-Methyl-D-Aspartate"} <= set(names)
    vis_nodes = {n["id"]: n for n in data["vis"]["nodes"]}
    drug, cond = vis_nodes[data["nodes"].index(names["ketamine"])], vis_nodes[data["nodes"].index(names["Neuralgia"])]
    assert drug["shape"] != cond["shape"] and drug["color"]["background"] != cond["color"]["background"]
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["vis"]["nodes"])
    assert data["vis"]["options"]["physics"]["enabled"] is False
    by_pair = {
        (data["nodes"][e["s"]]["name"], data["nodes"][e["t"]]["name"], e["predicate"]): (i, e)
        for i, e in enumerate(data["edges"])
    }
    i, crps = by_pair[("ketamine", "Complex Regional Pain Syndromes", "treats")]
    assert (
        crps["n"] == 2
        and crps["evidence"][0]["section"] == "Introduction"
        and crps["evidence"][0]["citations"] == ["1"]
    )
    assert "complex regional pain syndrome" in crps["evidence"][0]["sentence"]
    vis_edges = {e["id"]: e for e in data["vis"]["edges"]}
    j, hedged = by_pair[("ketamine", "Neuralgia", "treats")]
    assert vis_edges[j]["dashes"] and not vis_edges[i]["dashes"]
    k, neg = by_pair[("Magnesium Sulfate", "Pain, Postoperative", "reduces")]
    assert neg["negated"] and "\u2298" in vis_edges[k]["label"]
    assert vis_edges[k]["color"]["color"] != vis_edges[i]["color"]["color"]
    assert data["documents"]["ketamine_like_seed"]["references"]["1"].startswith("Reference 1")
    assert data["counts"]["types"]["Condition"] == 4 and data["counts"]["classes"]["treats"] == 4


def test_injected_markup_is_only_ever_data(tmp_path):
    g = build_graph("injection_corpus.json")
    write_html(g, tmp_path / "graph.html", title="<script>alert('t')</script>")
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    tags = _Tags(html).tags
    assert [t for t, _ in tags if t == "script"] == ["script"] * 3
    assert not [t for t, _ in tags if t in ("img", "svg", "a", "b", "i")]
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in tags)
    data_block = re.search(r'id="graph-data">(.*?)</script>', html, re.S).group(1)
    for needle in ("<", ">", "&", "\u2028", "\u2029"):
        assert needle not in data_block, needle
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html  # the title, escaped
    data = _page_data(html)
    assert data["nodes"][0]["name"] == "javascript:alert(5)"  # kept verbatim, as data
    sentences = [ev["sentence"] for e in data["edges"] for ev in e["evidence"]]
    assert any("<img src=x onerror=alert(1)>" in s for s in sentences)
    page_js = html.split("<script>")[-1]
    assert "innerHTML" not in page_js and "insertAdjacentHTML" not in page_js and "document.write" not in page_js


def test_script_json_escapes_everything_that_could_end_the_block():
    text = script_json({"a": "</script><!--&\u2028\u2029"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!--&\u2028\u2029"}


def _star_forest(n_hubs: int, leaves: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for h in range(n_hubs):
        hub = f"hub{h}"
        g.add_node(hub, name=hub, type="Drug", synonyms=[], document_count=5, mention_count=9)
        for i in range(leaves):
            leaf = f"leaf{h}-{i}"
            g.add_node(leaf, name=leaf, type="Condition", synonyms=[], document_count=1, mention_count=1)
            g.add_edge(
                hub,
                leaf,
                key="treats",
                predicate="treats",
                relation_class="treats",
                evidence_count=1 + (i == 0),
                evidence=[
                    {"doc_id": "d", "section": "s", "paragraph": 1, "sentence": f"{hub} {leaf}", "citations": []}
                ],
            )
    return g


def test_past_max_nodes_the_best_supported_part_is_shown_and_said(tmp_path):
    g = _star_forest(3, 9)  # 30 nodes
    write_html(g, tmp_path / "g.html", title="big", max_nodes=10)
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    data = _page_data(html)
    names = {n["name"] for n in data["nodes"]}
    assert len(names) == 10 and {"hub0", "hub1", "hub2"} <= names
    assert {"leaf0-0", "leaf1-0", "leaf2-0"} <= names  # the leaves with most evidence
    assert 'id="truncated"' in html and "showing the 10 best-supported of 30 concepts" in html
    assert data["info"] == {"nodes_total": 30, "edges_total": 27, "nodes_shown": 10, "edges_shown": 7}
    write_html(g, tmp_path / "all.html", title="big")
    assert 'id="truncated"' not in (tmp_path / "all.html").read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="max_nodes"):
        write_html(g, tmp_path / "x.html", title="x", max_nodes=0)


def test_layout_is_deterministic_and_spreads_nodes():
    g = _star_forest(4, 12)
    pos = layout_positions(g)
    assert pos == layout_positions(g) and set(pos) == set(g.nodes)
    assert len(set(pos.values())) == len(pos)  # no two concepts on the same spot
    hub, leaves = pos["hub0"], [pos[f"leaf0-{i}"] for i in range(12)]
    other = pos["hub1"]
    near = max(abs(x - hub[0]) + abs(y - hub[1]) for x, y in leaves)
    assert near < abs(other[0] - hub[0]) + abs(other[1] - hub[1]) + 1  # a star stays together
