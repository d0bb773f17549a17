"""JSON Schemas of the output folder, and a checker of a whole folder.

Input
    A schema name (``triple``, ``claim``, ``document``, ``report``,
    ``kgx_node``, ``kgx_edge``, ``graph``), a record, or an output folder
    written by ``extractor run``.
Output
    The schema (a dict, JSON Schema draft 2020-12) or a list of problems
    (strings ``"<file>[:<line>]: <where>: <what>"``; empty when all is well).

The schemas follow ``CONTRACT.md`` and the dicts of
:mod:`extractor.io.jsonio`; they require the contract's fields and allow
extra ones (the contract lets fields be added). :func:`validate_output`
backs ``extractor verify OUT``.

Examples
--------
>>> schema_names()
['claim', 'document', 'graph', 'kgx_edge', 'kgx_node', 'report', 'triple']
>>> load_schema("triple")["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> validate_record("kgx_node", {"id": "MESH:D1", "name": "x", "category": ["biolink:Drug"],
...                               "provided_by": ["infores:extractor"]})
[]
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

from extractor.errors import ConfigError

__all__ = ["load_schema", "schema_names", "validate_record", "validate_output"]

log = logging.getLogger(__name__)

_SUFFIX = ".schema.json"
#: Problems reported per file before the rest are only counted.
_MAX_PER_FILE = 20


def schema_names() -> list[str]:
    """Names of the shipped schemas, sorted."""
    folder = resources.files("extractor").joinpath("schemas")
    return sorted(p.name[: -len(_SUFFIX)] for p in folder.iterdir() if p.name.endswith(_SUFFIX))


def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (a fresh dict each call).

    Raises
    ------
    ConfigError
        When no schema has that name (the message lists the names).
    """
    return json.loads(_schema_text(name))


@lru_cache(maxsize=None)
def _schema_text(name: str) -> str:
    names = schema_names()
    if name not in names:
        raise ConfigError(f"no schema named {name!r}", stage="schema", fix="use one of: " + ", ".join(names))
    return resources.files("extractor").joinpath("schemas", name + _SUFFIX).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _validator(name: str):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(_schema_text(name)))


def _where(path) -> str:
    out = "$"
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def validate_record(name: str, record: Any) -> list[str]:
    """Problems of one record against schema ``name`` (``[]`` when valid).

    Each problem reads ``"<json path>: <message>"``; messages are cut to
    200 characters (an instance may hold a whole article).
    """
    errors = sorted(_validator(name).iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    out = []
    for e in errors:
        msg = e.message if len(e.message) <= 200 else e.message[:197] + "..."
        out.append(f"{_where(e.absolute_path)}: {msg}")
    return out


# --------------------------------------------------------------------- folder


class _Problems:
    """Collects problems, capping how many are listed per file."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._per_file: dict[str, int] = {}

    def add(self, file: str, message: str) -> None:
        n = self._per_file.get(file, 0) + 1
        self._per_file[file] = n
        if n <= _MAX_PER_FILE:
            self.items.append(f"{file}: {message}")

    def finish(self) -> list[str]:
        for file, n in sorted(self._per_file.items()):
            if n > _MAX_PER_FILE:
                self.items.append(f"{file}: ... and {n - _MAX_PER_FILE} more problems")
        return self.items


def _read_json(path: Path, rel: str, problems: _Problems) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.add(rel, "missing")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(rel, f"unreadable: {exc}")
    except json.JSONDecodeError as exc:
        problems.add(rel, f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    return None


def _jsonl(path: Path, rel: str, problems: _Problems) -> Iterator[tuple[int, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(rel, "missing")
        return
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(rel, f"unreadable: {exc}")
        return
    for n, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 may sit inside a string
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(f"{rel}:{n}", f"not JSON: {exc.msg}")


def _check_offsets(doc: dict[str, Any], rel: str, problems: _Problems) -> None:
    text = doc.get("text", "")
    size = len(text)

    def bad(start: Any, end: Any) -> bool:
        return not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= size)

    for i, s in enumerate(doc.get("sections", ())):
        if bad(s.get("start"), s.get("end")):
            problems.add(rel, f"$.sections[{i}]: span {s.get('start')}..{s.get('end')} outside the text ({size} chars)")
        for j, p in enumerate(s.get("paragraphs", ())):
            if bad(p.get("start"), p.get("end")):
                problems.add(
                    rel, f"$.sections[{i}].paragraphs[{j}]: span {p.get('start')}..{p.get('end')} outside the text"
                )
    for i, s in enumerate(doc.get("sentences", ())):
        if bad(s.get("start"), s.get("end")):
            problems.add(
                rel, f"$.sentences[{i}]: span {s.get('start')}..{s.get('end')} outside the text ({size} chars)"
            )
    for i, m in enumerate(doc.get("mentions", ())):
        start, end = m.get("start"), m.get("end")
        if bad(start, end):
            problems.add(rel, f"$.mentions[{i}]: span {start}..{end} outside the text ({size} chars)")
        elif text[start:end] != m.get("text"):
            problems.add(
                rel,
                f"$.mentions[{i}]: text {m.get('text')!r} differs from the text at {start}..{end}: {text[start:end]!r}",
            )


def _safe_doc_id(doc_id: Any) -> bool:
    s = str(doc_id)
    return bool(s) and "/" not in s and "\\" not in s and s not in (".", "..") and "\x00" not in s


def validate_output(out: Path) -> list[str]:
    """Check an output folder of ``extractor run`` against the contract.

    Checks that ``report.json`` matches its schema; that every document it
    lists as ``ok`` has ``documents/<doc_id>.json`` (matching the schema,
    with offsets inside the text and mention texts equal to the text at
    their offsets) and ``summaries/<doc_id>.md``; that every line of
    ``triples.jsonl``, ``claims.jsonl`` and ``kgx/*.jsonl`` matches its
    schema and that evidence only cites listed documents; that KGX edges
    name known nodes; that ``graph.html`` exists; and ``graph.json``
    (optional) matches its schema.

    Parameters
    ----------
    out : Path
        The output folder.

    Returns
    -------
    list of str
        Problems, each naming the file (and line); empty when the folder
        is valid. At most 20 problems are listed per file, then a count.
    """
    out = Path(out)
    problems = _Problems()
    if not out.is_dir():
        return [f"{out}: not a folder (give the OUT folder of `extractor run`)"]
    report = _read_json(out / "report.json", "report.json", problems)
    if report is None:
        return problems.finish()
    for p in validate_record("report", report):
        problems.add("report.json", p)
    listed = report.get("documents", []) if isinstance(report, dict) else []
    ok_docs: set[str] = set()
    for entry in listed if isinstance(listed, list) else []:
        if not isinstance(entry, dict) or entry.get("status") != "ok":
            continue
        doc_id = entry.get("doc_id")
        if not _safe_doc_id(doc_id):
            problems.add("report.json", f"doc_id {doc_id!r} is not a safe file name")
            continue
        ok_docs.add(str(doc_id))
    for doc_id in sorted(ok_docs):
        rel = f"documents/{doc_id}.json"
        doc = _read_json(out / "documents" / f"{doc_id}.json", rel, problems)
        if doc is not None:
            errs = validate_record("document", doc)
            for p in errs:
                problems.add(rel, p)
            if not errs:
                if doc.get("doc_id") != doc_id:
                    problems.add(rel, f"$.doc_id: {doc.get('doc_id')!r} differs from the file name")
                _check_offsets(doc, rel, problems)
        if not (out / "summaries" / f"{doc_id}.md").is_file():
            problems.add(f"summaries/{doc_id}.md", "missing")
    listed_ids = {str(e.get("doc_id")) for e in listed if isinstance(e, dict)} if isinstance(listed, list) else set()
    if (out / "documents").is_dir():
        for p in sorted((out / "documents").glob("*.json")):
            if p.stem not in listed_ids:
                problems.add(f"documents/{p.name}", "not listed in report.json")

    for fname, schema in (("triples.jsonl", "triple"), ("claims.jsonl", "claim")):
        for n, rec in _jsonl(out / fname, fname, problems):
            errs = validate_record(schema, rec)
            for p in errs:
                problems.add(f"{fname}:{n}", p)
            if not errs:
                for k, ev in enumerate(rec.get("evidence", ())):
                    if ev.get("doc_id") not in ok_docs:
                        problems.add(
                            f"{fname}:{n}",
                            f"$.evidence[{k}].doc_id: {ev.get('doc_id')!r} is not an ok document of report.json",
                        )

    node_ids: set[str] = set()
    for n, rec in _jsonl(out / "kgx" / "nodes.jsonl", "kgx/nodes.jsonl", problems):
        for p in validate_record("kgx_node", rec):
            problems.add(f"kgx/nodes.jsonl:{n}", p)
        if isinstance(rec, dict):
            node_ids.add(str(rec.get("id")))
    for n, rec in _jsonl(out / "kgx" / "edges.jsonl", "kgx/edges.jsonl", problems):
        errs = validate_record("kgx_edge", rec)
        for p in errs:
            problems.add(f"kgx/edges.jsonl:{n}", p)
        if not errs:
            for end in ("subject", "object"):
                if rec[end] not in node_ids:
                    problems.add(f"kgx/edges.jsonl:{n}", f"$.{end}: {rec[end]!r} is not in kgx/nodes.jsonl")

    if not (out / "graph.html").is_file():
        problems.add("graph.html", "missing")
    if (out / "graph.json").exists():
        graph = _read_json(out / "graph.json", "graph.json", problems)
        if graph is not None:
            for p in validate_record("graph", graph):
                problems.add("graph.json", p)
    result = problems.finish()
    log.debug("verify %s: %d problems", out, len(result))
    return result
