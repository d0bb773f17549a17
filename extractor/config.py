"""Run configuration: one frozen dataclass the CLI fills and the stages read.

Examples
--------
>>> s = Settings()
>>> s.limits.max_file_bytes > 0
True
>>> Settings(fast=True).fast
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Limits", "Settings"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource caps with defaults that a laptop survives.

    Exceeding one is a reported failure of that input, never a crash.

    Parameters
    ----------
    max_file_bytes : int
        Largest input file read (bytes).
    max_chars : int
        Longest article text processed (characters).
    max_sentence_chars : int
        Sentences longer than this are split into chunks for the NLP stage.
    doc_seconds : float
        Per-document time budget for the NLP stages (0 disables it).
    """

    max_file_bytes: int = 64 * 1024 * 1024
    max_chars: int = 5_000_000
    max_sentence_chars: int = 5_000
    doc_seconds: float = 300.0


@dataclass(frozen=True, slots=True)
class Settings:
    """Options of a run.

    Parameters
    ----------
    model : str or None
        Name or path of a spaCy/scispacy NER pipeline to use instead of the
        bundled one (e.g. ``en_ner_bc5cdr_md``).
    fast : bool
        Dictionary NER only (no statistical model): same outputs, faster.
    limits : Limits
        Resource caps.
    max_nodes : int
        Cap on nodes shown in ``graph.html``.
    associations : bool
        Also report ``association`` relations: a drug and a condition,
        outcome or target named together with no typed reading (no cue, a
        population, a reading the document model does not support). Off by
        default: most are co-mentions, not claims.
    """

    model: str | None = None
    fast: bool = False
    limits: Limits = field(default_factory=Limits)
    max_nodes: int = 2000
    associations: bool = False
