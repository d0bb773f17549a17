"""extractor: biomedical articles in, a knowledge graph of claims out.

The package reads articles (markdown / plain text, PubTator, PMC JATS XML,
PDF with a text layer), finds drugs, mechanisms, conditions, outcomes and
adverse effects, links them to MeSH, extracts typed relations and n-ary
claims, folds restated content into one claim and writes JSON, KGX and an
offline interactive graph.

The version is declared here and only here.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
