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
def segmenter():
    """The sentence segmenter, built once per test session."""
    from extractor.sentences import make_segmenter

    return make_segmenter()
