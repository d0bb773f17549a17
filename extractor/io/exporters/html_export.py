"""HTML exporter: the knowledge graph as one self-contained interactive page.

Input
    A ``networkx.MultiDiGraph`` from :mod:`extractor.graph`.
Output
    ``graph.html``: a single file that opens from disk with no network
    request at all. vis-network (the copy bundled with pyvis, licence header
    kept) and the page's own CSS/JS (``extractor/assets``) are inlined; a
    Content-Security-Policy allows only those two scripts (by hash) and no
    fetch of any kind.

The page colours and shapes concepts by entity type (with a legend), styles
relations by class (hedged: dashed; negated: red with a ``⊘`` label), lets
the reader search a concept, filter by relation class, entity type and
minimum evidence, and shows a relation's evidence sentences (section,
paragraph, citations, document) when it is clicked.

The layout is computed here (a deterministic force-directed layout per
connected component, components packed side by side) and the browser's
physics is off, so that 2,000 concepts / 5,000 relations are interactive in
a few seconds. Past ``max_nodes`` concepts, the best-supported ones (by
evidence sentences, then documents, then mentions) are kept and the page
says so.

Article-derived strings travel only inside a ``<script
type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped, and the page inserts them with ``textContent``: a sentence
containing markup is shown as text and never executes. The same graph gives
byte-identical HTML.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from extractor.errors import ConfigError, ExportError
from extractor.io import jsonio
from extractor.io.exporters.layout import layout_positions

__all__ = [
    "write_html", "render_html", "select_nodes", "layout_positions", "script_json", "STYLE",
    "OFFLINE_CHROMIUM_ARGS",
]

log = logging.getLogger(__name__)

#: Headless Chromium flags that turn off every request the browser makes on
#: its own (updates, sync, QUIC probes): the page must work with none at all.
#: The browser tests, the screenshot script and the benchmark launch with these.
OFFLINE_CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: Colours and shapes of entity types, colours of relation classes.
STYLE: dict[str, Any] = {
    "types": {
        "Drug": {"color": "#0072B2", "shape": "dot", "label": "Drug"},
        "Mechanism": {"color": "#009E73", "shape": "diamond", "label": "Mechanism"},
        "Target": {"color": "#56B4E9", "shape": "hexagon", "label": "Target"},
        "Condition": {"color": "#D55E00", "shape": "square", "label": "Condition"},
        "Outcome": {"color": "#E69F00", "shape": "triangle", "label": "Outcome"},
        "AdverseEffect": {"color": "#CC79A7", "shape": "triangleDown", "label": "Adverse effect"},
        "Population": {"color": "#7F7F7F", "shape": "star", "label": "Population"},
        "_other": {"color": "#A0A7B0", "shape": "dot", "label": "Other"},
    },
    "classes": {
        "treats": {"color": "#2E7D32", "label": "treats", "width": 1.0},
        "mechanism": {"color": "#1F5FAD", "label": "mechanism", "width": 1.0},
        "outcome": {"color": "#E07B00", "label": "outcome", "width": 1.0},
        "adverse": {"color": "#8E24AA", "label": "adverse effect", "width": 1.0},
        "association": {"color": "#98A6B3", "label": "association", "width": 0.7},
    },
    "negated_color": "#D32F2F",
}
_TYPE_ORDER = ["Drug", "Mechanism", "Target", "Condition", "Outcome", "AdverseEffect", "Population", "_other"]
_CLASS_ORDER = ["treats", "mechanism", "outcome", "adverse", "association"]

#: Evidence sentences shown per relation (the rest are counted).
_MAX_EVIDENCE = 20
_MAX_SENTENCE = 1200
_MAX_SYNONYMS = 25
_MAX_LABEL = 40


# --------------------------------------------------------------------- helpers


def script_json(data: Any) -> str:
    """JSON text safe inside ``<script type="application/json">``.

    Examples
    --------
    >>> script_json({"s": "</script><b>&\\u2028"})
    '{"s":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = jsonio.dumps(data, sort_keys=True)  # U+2028/U+2029 escaped there
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(ch, esc)
    return text


def _short(text: Any, limit: int) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"


def _asset(name: str) -> str:
    return resources.files("extractor").joinpath("assets", name).read_text(encoding="utf-8")


def _vis_js() -> tuple[str, str]:
    """vis-network's standalone bundle as shipped by pyvis, and its version."""
    lib = resources.files("pyvis").joinpath("lib")
    versions = sorted(
        (p.name.split("-", 1)[1] for p in lib.iterdir() if p.name.startswith("vis-")),
        key=lambda v: tuple(int(x) for x in v.split(".") if x.isdigit()),
    )
    if not versions:
        raise ExportError(
            "pyvis's bundled vis-network is missing", stage="export", fix="reinstall pyvis==0.3.2 (`pip install -e .`)"
        )
    text = lib.joinpath(f"vis-{versions[-1]}", "vis-network.min.js").read_text(encoding="utf-8")
    return _inline_script(text), versions[-1]


def _inline_script(text: str) -> str:
    """JavaScript made safe to inline in ``<script>``: no ``</script`` (would
    end the block) and no ``<!--`` (would change how the block is parsed).
    Both only occur inside string literals, where ``<\\/`` and ``<\\!`` mean
    the same characters."""
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


# --------------------------------------------------------------------- selection


def _support(g: nx.MultiDiGraph) -> dict[Any, tuple[int, int, int]]:
    ev = {n: 0 for n in g.nodes}
    for u, v, a in g.edges(data=True):
        n = int(a.get("evidence_count", len(a.get("evidence", ()))) or 0)
        ev[u] += n
        ev[v] += n
    return {
        n: (ev[n], int(g.nodes[n].get("document_count", 0) or 0), int(g.nodes[n].get("mention_count", 0) or 0))
        for n in g.nodes
    }


def select_nodes(g: nx.MultiDiGraph, max_nodes: int, max_edges: int | None = None) -> tuple[nx.MultiDiGraph, dict]:
    """The best-supported part of ``g`` that fits on the page.

    Concepts are ranked by the evidence sentences of their relations, then
    documents, then mentions (ties by key); relations among the kept
    concepts are ranked by evidence count, then confidence.

    Returns
    -------
    (networkx.MultiDiGraph, dict)
        The kept subgraph (sorted) and the counts before and after.
    """
    if max_nodes < 1:
        raise ConfigError(f"max_nodes must be >= 1, got {max_nodes}", stage="export", fix="pass --max-nodes 2000")
    max_edges = max_edges if max_edges is not None else 3 * max_nodes
    support = _support(g)
    ranked = sorted(g.nodes, key=lambda n: (-support[n][0], -support[n][1], -support[n][2], str(n)))
    keep = set(ranked[:max_nodes])
    edges = [(u, v, k, a) for u, v, k, a in g.edges(keys=True, data=True) if u in keep and v in keep]
    if len(edges) > max_edges:
        edges.sort(
            key=lambda e: (
                -int(e[3].get("evidence_count", 0)),
                -float(e[3].get("confidence", 0)),
                str(e[0]),
                str(e[1]),
                str(e[2]),
            )
        )
        edges = edges[:max_edges]
    sub = nx.MultiDiGraph()
    sub.graph.update(g.graph)
    for n in sorted(keep, key=str):
        sub.add_node(n, **g.nodes[n])
    for u, v, k, a in sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        sub.add_edge(u, v, key=k, **a)
    info = {
        "nodes_total": g.number_of_nodes(),
        "edges_total": g.number_of_edges(),
        "nodes_shown": sub.number_of_nodes(),
        "edges_shown": sub.number_of_edges(),
    }
    return sub, info


# --------------------------------------------------------------------- page data


def _page_data(g: nx.MultiDiGraph, info: dict) -> dict[str, Any]:
    """The JSON embedded in the page: pyvis node/edge dicts plus details."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    nodes = sorted(g.nodes, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    pos = layout_positions(g)
    # pyvis's Node/Edge build the vis-network records; they are appended to
    # the Network directly because Network.add_node/add_edge check ids with a
    # linear scan (quadratic at 5,000 edges) and our ids are unique already.
    net = Network(directed=True)
    details_nodes: list[dict[str, Any]] = []
    counts_types: dict[str, int] = {}
    for i, n in enumerate(nodes):
        a = g.nodes[n]
        etype = str(a.get("type") or "_other")
        etype = etype if etype in STYLE["types"] else "_other"
        style = STYLE["types"][etype]
        counts_types[etype] = counts_types.get(etype, 0) + 1
        docs, mentions = int(a.get("document_count", 0) or 0), int(a.get("mention_count", 0) or 0)
        size = min(40.0, 9.0 + 3.5 * math.log2(1 + mentions + 2 * docs))
        x, y = pos[n]
        node = Node(
            i,
            style["shape"],
            label=_short(a.get("name", n), _MAX_LABEL),
            color={
                "background": style["color"],
                "border": "#1f2933",
                "highlight": {"background": style["color"], "border": "#000000"},
                "hover": {"background": style["color"], "border": "#000000"},
            },
            size=round(size, 1),
            x=x,
            y=y,
        )
        net.nodes.append(node.options)
        net.node_ids.append(i)
        net.node_map[i] = node.options
        details_nodes.append(
            {
                "key": str(n),
                "name": _short(a.get("name", n), 300),
                "type": etype,
                "id": a.get("curie"),
                "synonyms": [_short(s, 120) for s in list(a.get("synonyms", ()))[:_MAX_SYNONYMS]],
                "documents": docs,
                "mentions": mentions,
                "degree": 0,
                "edges": [],
            }
        )

    pair_count: dict[tuple[int, int], int] = {}
    for u, v in g.edges():
        p = (min(index[u], index[v]), max(index[u], index[v]))
        pair_count[p] = pair_count.get(p, 0) + 1
    pair_seen: dict[tuple[int, int], int] = {}
    details_edges: list[dict[str, Any]] = []
    counts_classes: dict[str, int] = {}
    max_ev = 1
    used_docs: dict[str, set[str]] = {}
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for j, (u, v, k, a) in enumerate(edges):
        s, t = index[u], index[v]
        cls = str(a.get("relation_class", "association"))
        cstyle = STYLE["classes"].get(cls, STYLE["classes"]["association"])
        counts_classes[cls] = counts_classes.get(cls, 0) + 1
        evidence = list(a.get("evidence", ()))
        n_ev = int(a.get("evidence_count", len(evidence)) or 0)
        max_ev = max(max_ev, n_ev)
        negated, hedged = bool(a.get("negated")), bool(a.get("hedged"))
        direction = a.get("direction")
        label = ("\u2298" if negated else "") + {"increase": "\u2191", "decrease": "\u2193"}.get(str(direction), "")
        color = STYLE["negated_color"] if negated else cstyle["color"]
        options: dict[str, Any] = {
            "color": {"color": color, "highlight": "#111827", "hover": color, "opacity": 0.85},
            "width": round(cstyle["width"] * (1.2 + 1.6 * math.log2(max(1, n_ev))), 2),
            "dashes": [7, 5] if hedged else False,
        }
        if label:
            options["label"] = label
            options["font"] = {"color": color}
        p = (min(s, t), max(s, t))
        if pair_count[p] > 1 and s != t:
            seen = pair_seen.get(p, 0)
            pair_seen[p] = seen + 1
            r = 0.12 + 0.12 * (seen // 2)
            ccw = (seen % 2 == 1) != (s > t)  # curve sides are relative to the edge's own direction
            options["smooth"] = {"enabled": True, "type": "curvedCCW" if ccw else "curvedCW", "roundness": round(r, 2)}
        net.edges.append(Edge(s, t, directed=True, id=j, **options).options)
        shown = evidence[:_MAX_EVIDENCE]
        for ev in shown:
            used_docs.setdefault(str(ev.get("doc_id", "")), set()).update(str(c) for c in ev.get("citations", ()))
        details_edges.append(
            {
                "s": s,
                "t": t,
                "predicate": str(a.get("predicate", k)),
                "class": cls if cls in STYLE["classes"] else "association",
                "biolink": str(a.get("biolink_predicate", "")),
                "direction": str(direction) if direction else None,
                "hedged": hedged,
                "negated": negated,
                "confidence": round(float(a.get("confidence", 0) or 0), 3),
                "n": n_ev,
                "evidence": [
                    {
                        "doc": str(ev.get("doc_id", "")),
                        "section": _short(ev.get("section", ""), 200),
                        "paragraph": int(ev.get("paragraph", 0) or 0),
                        "sentence": _short(ev.get("sentence", ""), _MAX_SENTENCE),
                        "citations": [_short(c, 40) for c in ev.get("citations", ())],
                    }
                    for ev in shown
                ],
            }
        )
        for x in {s, t}:
            details_nodes[x]["edges"].append(j)
            details_nodes[x]["degree"] += 1

    all_docs = g.graph.get("documents", {}) or {}
    documents = {}
    for d in sorted(used_docs):
        info_d = all_docs.get(d, {}) or {}
        refs = info_d.get("references", {}) or {}
        documents[d] = {
            "title": _short(info_d.get("title", ""), 300),
            "pmid": info_d.get("pmid"),
            "doi": info_d.get("doi"),
            "references": {c: _short(refs[c], 300) for c in sorted(used_docs[d]) if c in refs},
        }

    vis_nodes, vis_edges, _heading, _h, _w, _opts = net.get_network_data()
    big = len(vis_edges) > 1500
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": True,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "tooltipDelay": 300,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {
                "size": 14,
                "face": "system-ui, sans-serif",
                "color": "#1f2933",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "arrowStrikethrough": False,
            "selectionWidth": 2,
            "hoverWidth": 0.8,
            "font": {"size": 20, "strokeWidth": 5, "strokeColor": "#ffffff", "align": "horizontal"},
        },
    }
    return {
        "vis": {"nodes": vis_nodes, "edges": vis_edges, "options": options},
        "nodes": details_nodes,
        "edges": details_edges,
        "documents": documents,
        "counts": {"types": counts_types, "classes": counts_classes, "max_evidence": max_ev},
        "style": {
            "types": STYLE["types"],
            "classes": STYLE["classes"],
            "negated_color": STYLE["negated_color"],
            "type_order": _TYPE_ORDER,
            "class_order": _CLASS_ORDER,
        },
        "info": info,
    }


# --------------------------------------------------------------------- page


def render_html(g: nx.MultiDiGraph, *, title: str, max_nodes: int = 2000) -> str:
    """The HTML text of the page (see :func:`write_html`)."""
    import pyvis

    from extractor import __version__

    sub, info = select_nodes(g, max_nodes)
    data = _page_data(sub, info)
    vis_js, vis_version = _vis_js()
    page_js = _inline_script(_asset("graph.js"))
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    n_docs = len(g.graph.get("documents", {}) or {})
    stats = f"{info['nodes_total']:,} concepts \u00b7 {info['edges_total']:,} relations"
    if n_docs:
        stats += f" \u00b7 {n_docs:,} document{'s' if n_docs != 1 else ''}"
    notice = ""
    if info["nodes_shown"] < info["nodes_total"] or info["edges_shown"] < info["edges_total"]:
        notice = (
            '<p class="notice" id="truncated">'
            + html.escape(
                f"Large graph: showing the {info['nodes_shown']:,} best-supported of {info['nodes_total']:,} concepts "
                f"and {info['edges_shown']:,} of {info['edges_total']:,} relations (ranked by evidence sentences, "
                "documents and mentions). The full graph is in graph.json, triples.jsonl and kgx/; "
                "explore any concept with `extractor graph OUT --focus NAME --depth 2 --html FILE`."
            )
            + "</p>"
        )
    values = {
        "CSP": html.escape(csp, quote=True),
        "VERSION": html.escape(str(__version__)),
        "PYVIS_VERSION": html.escape(str(getattr(pyvis, "__version__", "0.3.2"))),
        "VIS_VERSION": html.escape(vis_version),
        "TITLE": html.escape(_short(title, 200) or "Knowledge graph"),
        "STATS": html.escape(stats),
        "NOTICE": notice,
        "CSS": _asset("graph.css").replace("</", "<\\/"),
        "DATA": script_json(data),
        "VIS_JS": vis_js,
        "JS": page_js,
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _asset("template.html"))


def write_html(g: nx.MultiDiGraph, path: Path, *, title: str, max_nodes: int = 2000) -> None:
    """Write the interactive page of ``g`` to ``path``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A graph from :class:`extractor.graph.GraphBuilder` (or any subgraph).
    path : Path
        The HTML file to write (e.g. ``OUT/graph.html``); written atomically.
    title : str
        Shown as the page title and heading (escaped).
    max_nodes : int
        Most concepts drawn; past it the best-supported part is shown and
        the page says so.

    Raises
    ------
    ExportError
        When the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", name="a", type="Drug"); g.add_node("b", name="b", type="Condition")
    >>> _ = g.add_edge("a", "b", key="treats", relation_class="treats", evidence=[], evidence_count=0)
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "graph.html"
    >>> write_html(g, p, title="demo")
    >>> "vis-network" in p.read_text(encoding="utf-8")
    True
    """
    from extractor.writer import atomic_write_text

    text = render_html(g, title=title, max_nodes=max_nodes)
    atomic_write_text(Path(path), text)
    log.info("wrote %s (%d bytes)", path, len(text.encode("utf-8")))
