"""The exception hierarchy of ``extractor``.

Every error the library raises on purpose is an :class:`ExtractorError`. Its
message is one line that names the file (when there is one), the stage and
the fix, because the batch runner copies it verbatim into ``report.json`` and
onto stderr. The CLI turns these errors into ``click.ClickException``; any
other exception is a bug.

Examples
--------
>>> err = InputFormatError("empty file", path="a.txt", stage="read", fix="check the export")
>>> str(err)
'a.txt: read: empty file (check the export)'
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ExtractorError",
    "InputFormatError",
    "InputTooLargeError",
    "ConfigError",
    "ModelNotFoundError",
    "ExportError",
    "BudgetExceededError",
]


class ExtractorError(Exception):
    """Base class of all errors raised by ``extractor``.

    Parameters
    ----------
    message : str
        What went wrong, in one line.
    path : str or Path, optional
        The file concerned.
    stage : str, optional
        The pipeline stage (``read``, ``nlp``, ``export`` ...).
    fix : str, optional
        What the user can do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        stage: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.message = " ".join(str(message).split())
        self.path = str(path) if path is not None else None
        self.stage = stage
        self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = []
        if self.path:
            # one line on stderr even for a file name with a line break in it
            parts.append(self.path.replace("\n", "\\n").replace("\r", "\\r"))
        if self.stage:
            parts.append(self.stage)
        parts.append(self.message)
        text = ": ".join(parts)
        if self.fix:
            text += f" ({self.fix})"
        return text

    @property
    def reason(self) -> str:
        """The one-line reason written to ``report.json`` (no path: the
        report already names the input)."""
        text = f"{self.stage}: {self.message}" if self.stage else self.message
        return f"{text} ({self.fix})" if self.fix else text


class InputFormatError(ExtractorError):
    """An input file cannot be read as an article (empty, binary, truncated,
    undecodable, malformed markup, bad offsets ...)."""


class InputTooLargeError(InputFormatError):
    """An input exceeds a configured resource limit (file size, text length)."""


class BudgetExceededError(ExtractorError):
    """A document took longer than its per-document time budget."""


class ConfigError(ExtractorError):
    """An option or configuration value is invalid."""


class ModelNotFoundError(ConfigError):
    """A spaCy / scispacy model named by the user is not installed."""


class ExportError(ExtractorError):
    """An output file cannot be written."""
