"""Input and output at the edges of the pipeline.

* :mod:`extractor.io.readers` -- files in, :class:`~extractor.model.Article` out
  (markdown / plain text, PubTator, JATS/NXML, PDF).
* :mod:`extractor.io.jsonio` -- records to and from the JSON dicts of the
  output contract.
* :mod:`extractor.io.exporters` -- results out (JSON, KGX, HTML).

Nothing heavy is imported here, so ``import extractor.io`` stays fast.
"""

__all__: list[str] = []
