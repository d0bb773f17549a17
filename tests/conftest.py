"""Shared test fixtures (keep small; one line of docs each)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
SEED_NAME = "ketamine_perioperative_pain_sharma2025.txt"


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    """Folder of real article fixtures, one or more per reader format."""
    return ARTICLES


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article (markdown) as shipped in the fixtures."""
    return ARTICLES / SEED_NAME


@pytest.fixture(scope="session")
def fast_extractor():
    """A warmed-up ``--fast`` Extractor (dictionary pipeline), shared by the session."""
    from extractor.config import Settings
    from extractor.pipeline import Extractor

    ex = Extractor(Settings(fast=True))
    ex.warm_up()
    return ex


@pytest.fixture(scope="session")
def segmenter():
    """The sentence segmenter, built once per test session."""
    from extractor.sentences import make_segmenter

    return make_segmenter()


# --------------------------------------------------------------- hypothesis
# "ci" (default): fixed seed, bounded examples, so the fuzz tests are
# reproducible and quick; "long": many more examples, random seed, for
# local runs (`pytest tests/test_fuzz_*.py --hypothesis-profile=long`).
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=2000,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=2000,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")


def _one_line_error(exc: BaseException) -> None:
    """Assert ``exc`` is an ExtractorError with a non-empty one-line message."""
    from extractor.errors import ExtractorError

    assert isinstance(exc, ExtractorError), f"{type(exc).__name__} escaped: {exc!r}"
    assert exc.message.strip(), "empty error message"
    assert "\n" not in str(exc) and "\r" not in str(exc), f"multi-line message: {str(exc)!r}"


def _check_article(article) -> None:
    """Assert every offset of ``article`` lies inside its text, start <= end,
    spans nest (paragraph in section) and citations are digit strings."""
    import re

    from extractor.model import Article

    digits = re.compile(r"[0-9]+")
    assert isinstance(article, Article)
    n = len(article.text)

    def span(obj, what):
        assert isinstance(obj.start, int) and isinstance(obj.end, int), what
        assert 0 <= obj.start <= obj.end <= n, f"{what} {obj.start}-{obj.end} outside text of {n}"

    for sec in article.sections:
        span(sec, f"section {sec.name!r}")
        for p in sec.paragraphs:
            span(p, f"paragraph {sec.name!r}/{p.index}")
            assert sec.start <= p.start and p.end <= sec.end, f"paragraph outside section {sec.name!r}"
            assert all(isinstance(c, str) and digits.fullmatch(c) for c in p.citations), p.citations
    for s in article.sentences:
        span(s, "sentence")
        assert all(isinstance(c, str) and digits.fullmatch(c) for c in s.citations), s.citations
    for a in article.annotations:
        span(a, "annotation")
        assert article.text[a.start:a.end] == a.text
    for r in article.references:
        assert isinstance(r.n, str) and isinstance(r.text, str)
    assert article.doc_id and "/" not in article.doc_id and "\\" not in article.doc_id
    assert not article.doc_id.startswith(".")


@pytest.fixture(scope="session")
def check_article():
    """Function asserting an Article's offsets, spans and citations are sane."""
    return _check_article


@pytest.fixture(scope="session")
def check_error():
    """Function asserting an exception is a typed one-line ExtractorError."""
    return _one_line_error
