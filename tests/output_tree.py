"""Test helper: the bytes of an output folder, for determinism comparisons."""

from __future__ import annotations

import json
from pathlib import Path


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` by relative path; ``report.json`` without its
    ``timings`` (the only part of a run's output that may change)."""
    files = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.name == "report.json":
                d = json.loads(data)
                d.pop("timings")
                data = json.dumps(d, sort_keys=True).encode()
            files[p.relative_to(out).as_posix()] = data
    return files
