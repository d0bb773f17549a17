"""Graph JSON: the knowledge graph as canonical node-link JSON (``OUT/graph.json``).

Input / output
    A ``networkx.MultiDiGraph`` (from :class:`extractor.graph.GraphBuilder`)
    and its node-link dict: ``{"type": "Graph", "schema_version",
    "directed", "multigraph", "graph", "nodes": [{"id", ...}], "edges":
    [{"source", "target", "key", ...}]}`` (schema: ``extractor schema
    graph``). :func:`graph_to_node_link` and :func:`node_link_to_graph` are a
    symmetric pair of pure functions; :func:`write_graph_json` and
    :func:`read_graph_json` wrap them with a path. ``extractor graph OUT``
    reads this file to draw subgraphs of an earlier run.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

import networkx as nx

from extractor.errors import InputFormatError
from extractor.io import jsonio
from extractor.model import SCHEMA_VERSION
from extractor.writer import atomic_write_text

__all__ = ["graph_to_node_link", "node_link_to_graph", "write_graph_json", "read_graph_json"]


def _plain(value: Any) -> Any:
    """JSON-ready copy of an attribute value (tuples and sets to lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, Enum):
        return value.value
    return value


def graph_to_node_link(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link dict of ``g`` (the content of ``graph.json``).

    Inverse of :func:`node_link_to_graph`. Nodes are sorted by key, edges
    by ``(source, target, key)``.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_edge("a", "b", key="treats", evidence_count=1)
    'treats'
    >>> d = graph_to_node_link(g)
    >>> d["edges"]
    [{'evidence_count': 1, 'source': 'a', 'target': 'b', 'key': 'treats'}]
    >>> sorted(node_link_to_graph(d).edges(keys=True))
    [('a', 'b', 'treats')]
    """
    # the structural fields win over same-named attributes
    nodes = [{**_plain(dict(g.nodes[n])), "id": str(n)} for n in sorted(g.nodes, key=str)]
    edges = [
        {**_plain(dict(a)), "source": str(u), "target": str(v), "key": str(k)}
        for u, v, k, a in sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    ]
    return {
        "type": "Graph",
        "schema_version": str(g.graph.get("schema_version", SCHEMA_VERSION)),
        "directed": True,
        "multigraph": True,
        "graph": _plain({k: v for k, v in g.graph.items() if k != "schema_version"}),
        "nodes": nodes,
        "edges": edges,
    }


def node_link_to_graph(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Rebuild a graph from :func:`graph_to_node_link` output.

    Raises
    ------
    InputFormatError
        When ``data`` lacks ``nodes`` / ``edges`` or an edge names an
        unknown node.
    """
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        raise InputFormatError(
            "not a node-link graph (need 'nodes' and 'edges' lists)",
            stage="graph",
            fix="pass the graph.json written by `extractor run`",
        )
    g = nx.MultiDiGraph()
    g.graph.update(data.get("graph", {}))
    g.graph["schema_version"] = data.get("schema_version", SCHEMA_VERSION)
    for rec in sorted(data["nodes"], key=lambda r: str(r.get("id"))):
        if "id" not in rec:
            raise InputFormatError(
                "a node has no 'id'", stage="graph", fix="regenerate graph.json with `extractor run`"
            )
        g.add_node(rec["id"], **{k: v for k, v in rec.items() if k != "id"})
    for rec in sorted(data["edges"], key=lambda r: (str(r.get("source")), str(r.get("target")), str(r.get("key")))):
        u, v = rec.get("source"), rec.get("target")
        if u not in g or v not in g:
            raise InputFormatError(
                f"edge {u!r} -> {v!r} names a node that is not in 'nodes'",
                stage="graph",
                fix="regenerate graph.json with `extractor run`",
            )
        g.add_edge(u, v, key=rec.get("key"), **{k: x for k, x in rec.items() if k not in ("source", "target", "key")})
    return g


def write_graph_json(g: nx.MultiDiGraph, path: Path) -> None:
    """Write ``g`` as canonical node-link JSON (``OUT/graph.json``).

    The same graph always gives the same bytes. The file is written to a
    temporary name and renamed, so a reader never sees half a file.
    """
    data = graph_to_node_link(g)
    atomic_write_text(Path(path), jsonio.dumps(data, sort_keys=True) + "\n")


def read_graph_json(path: Path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_graph_json`.

    Raises
    ------
    InputFormatError
        When the file is missing or is not a node-link graph.
    """
    path = Path(path)
    try:
        data = jsonio.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise InputFormatError(
            "no graph.json", path=path, stage="graph", fix="run `extractor run INPUT -o OUT` first"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFormatError(
            f"cannot read graph JSON: {exc}", path=path, stage="graph", fix="rerun `extractor run` to rewrite it"
        ) from exc
    try:
        return node_link_to_graph(data)
    except InputFormatError as exc:
        raise InputFormatError(exc.message, path=path, stage="graph", fix=exc.fix) from exc
