"""Exporters: the knowledge graph to files.

One module per format, each a pure ``render``/``*_records`` function plus a
path-taking ``write_*`` wrapper (and a loader where the format is read back):

- :mod:`~extractor.io.exporters.html_export`: ``graph.html``, one offline
  interactive page (:func:`write_html`);
- :mod:`~extractor.io.exporters.kgx`: ``kgx/nodes.jsonl`` and
  ``kgx/edges.jsonl`` in KGX JSON Lines with Biolink categories and
  predicates (:func:`write_kgx`, :func:`read_kgx`);
- :mod:`~extractor.io.exporters.graphml`: GraphML with attributes flattened
  to scalars (:func:`write_graphml`, :func:`read_graphml`);
- :mod:`~extractor.io.exporters.graph_json`: ``graph.json``, canonical
  node-link JSON (:func:`write_graph_json`, :func:`read_graph_json`);
- :mod:`~extractor.io.exporters.layout`: the deterministic layout of the page.

The modules are imported lazily by name so that ``import extractor`` stays
light; import the function you need from its module.
"""

__all__ = ["html_export", "kgx", "graphml", "graph_json", "layout"]
