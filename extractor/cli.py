"""Command-line interface: a thin click layer over the library.

Input: command-line arguments. Output: the output folder (via
:func:`extractor.runner.run`), text on stdout, diagnostics on stderr, and the
exit status: 0 success, 1 when an input or document failed (or a user error
such as a missing file), 2 for usage errors.

Logging is configured here and only here (``-v`` / ``-q``); library errors
(:class:`~extractor.errors.ExtractorError`) become one-line messages, never
tracebacks.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from pathlib import Path

import click

import extractor
from extractor.config import Limits, Settings
from extractor.errors import ConfigError, ExtractorError

__all__ = ["cli", "main"]

log = logging.getLogger("extractor.cli")

_PATH_IN = click.Path(exists=True, path_type=Path)
_PMID_LINE = re.compile(r"^(\d+)\|t\|", re.MULTILINE)


class _EchoHandler(logging.Handler):
    """Log records to stderr, through tqdm when a progress bar is showing."""

    bar = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = self.format(record)
            if self.bar is not None:
                self.bar.write(msg, file=sys.stderr)
            else:
                click.echo(msg, err=True)
        except Exception:  # pragma: no cover - logging must never raise
            self.handleError(record)


_HANDLER = _EchoHandler()


def _configure_logging(verbose: int, quiet: int) -> None:
    level = min(max(logging.INFO - 10 * verbose + 10 * quiet, logging.DEBUG), logging.CRITICAL)
    _HANDLER.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("extractor")
    if _HANDLER not in root.handlers:
        root.addHandler(_HANDLER)
    root.setLevel(level)
    for name in ("distributed", "dask"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


def _fail(exc: ExtractorError) -> click.ClickException:
    if isinstance(exc, ConfigError):
        return click.UsageError(str(exc))
    return click.ClickException(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(extractor.__version__, "--version", prog_name="extractor")
@click.option("-v", "--verbose", count=True, help="Debug log output.")
@click.option("-q", "--quiet", count=True, help="Warnings and errors only (-qq: errors only).")
def cli(verbose: int, quiet: int) -> None:
    """Turn biomedical articles into a knowledge graph of claims.

    \b
    Example:
      extractor run corpus/ -o out/
      extractor verify out/
    """
    _configure_logging(verbose, quiet)


# ----------------------------------------------------------------- run


def _settings(
    fast: bool, model: str | None, max_nodes: int, max_file_mb: float | None, doc_seconds: float | None,
    associations: bool = False,
):
    limits = Limits()
    changes = {}
    if max_file_mb is not None:
        changes["max_file_bytes"] = int(max_file_mb * 1024 * 1024)
    if doc_seconds is not None:
        changes["doc_seconds"] = doc_seconds
    if changes:
        from dataclasses import replace

        limits = replace(limits, **changes)
    return Settings(model=model, fast=fast, limits=limits, max_nodes=max_nodes, associations=associations)


class _Progress:
    """A tqdm bar on a terminal, else an INFO line every ``every`` seconds."""

    def __init__(self, enabled: bool, every: float = 10.0) -> None:
        self.bar = None
        self.every = every
        self.t0 = self.last = time.monotonic()
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="doc", file=sys.stderr, dynamic_ncols=True, desc="documents")
            _HANDLER.bar = self.bar

    def __call__(self, done: int, total: int, status) -> None:
        if self.bar is not None:
            if total != self.bar.total:
                self.bar.total = total
            self.bar.update(done - self.bar.n)
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            rate = done / (now - self.t0)
            eta = (total - done) / rate if rate > 0 else float("nan")
            log.info("progress: %d/%d documents, %.1f documents/s, ETA %.0f s", done, total, rate, eta)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            _HANDLER.bar = None


def _print_table(report) -> None:
    c, t = report.counts, report.timings
    rows = [
        ("inputs", f"{c['inputs']} ({sum(i.status == 'failed' for i in report.inputs)} failed)"),
        ("documents ok", c["documents_ok"]),
        ("documents failed", c["documents_failed"]),
        ("sentences", c["sentences"]),
        ("mentions", c["mentions"]),
        ("relations", c["relations"]),
        ("claims", c["claims"]),
        ("seconds", f"{t['total']:.1f} ({t['documents_per_second']:.1f} documents/s, {t['resumed']} resumed)"),
    ]
    for name, value in rows:
        click.echo(f"{name:<18}{value}")
    failures = report.failures
    if failures:
        click.echo(f"failed ({len(failures)}):")
        for name, reason in failures:
            click.echo(f"  {name}: {reason}")
    for err in report.export_errors:
        click.echo(f"export failed: {err}")
    click.echo(f"output: {report.out}")


def _run_options(f):
    for opt in reversed(
        [
            click.option("--fast", is_flag=True, help="Dictionary NER only: faster, no statistical model."),
            click.option("--associations", is_flag=True,
                         help="Also report untyped 'association' relations (co-mentions without a typed reading)."),
            click.option("--model", metavar="NAME", help="spaCy/scispacy NER pipeline to use instead of the bundled one."),
            click.option("--max-nodes", type=click.IntRange(1), default=Settings().max_nodes, show_default=True,
                         help="Cap on nodes shown in graph.html."),
            click.option("--max-file-mb", type=click.FloatRange(0, min_open=True), default=None,
                         help=f"Largest input file read [default: {Limits().max_file_bytes // 2**20}]."),
            click.option("--doc-seconds", type=click.FloatRange(0), default=None,
                         help=f"Time budget per document, 0 = none [default: {Limits().doc_seconds:g}]."),
        ]
    ):  # fmt: skip
        f = opt(f)
    return f


@cli.command("run")
@click.argument("inputs", nargs=-1, required=True, type=_PATH_IN)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("-w", "--workers", type=click.IntRange(1), default=1, show_default=True, help="Worker processes.")
@click.option("--include", multiple=True, metavar="GLOB", help="Only files matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files and folders matching GLOB (repeatable).")
@click.option("--resume", is_flag=True, help="Skip documents already done by an earlier run into OUT.")
@click.option(
    "--dask", type=click.Choice(["local"]), default=None, help="Run on a local Dask cluster of --workers processes."
)
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None, help="Run on an existing Dask scheduler.")
@_run_options
def run_cmd(inputs, out, workers, include, exclude, resume, dask, scheduler, fast, associations, model, max_nodes,
            max_file_mb, doc_seconds):  # fmt: skip
    """Extract claims from INPUT files and folders into OUT.

    INPUT may be files or folders (searched recursively). Exit status is 1
    when any input or document failed (the others are still written).

    \b
    Example:
      extractor run corpus/ paper.txt -o out/ --workers 2
      extractor run data/*.PubTator -o out/ --fast --resume
    """
    from extractor.runner import run

    if dask and scheduler:
        raise click.UsageError("use either --dask local or --scheduler, not both")
    settings = _settings(fast, model, max_nodes, max_file_mb, doc_seconds, associations)
    quiet = logging.getLogger("extractor").getEffectiveLevel() > logging.INFO
    progress = _Progress(enabled=not quiet)
    try:
        report = run(
            inputs,
            out,
            settings,
            workers=workers,
            resume=resume,
            include=include,
            exclude=exclude,
            dask=scheduler or dask,
            progress=progress,
        )
    except ExtractorError as exc:
        raise _fail(exc) from None
    finally:
        progress.close()
    _print_table(report)
    if not report.ok:
        sys.exit(1)


# ----------------------------------------------------------------- evaluate


def _ensure_run(out: Path, doc_ids, inputs, settings) -> None:
    """Run the pipeline on ``inputs`` into ``out`` unless ``out`` has ``doc_ids``
    already; never over another run's folder."""
    from extractor.runner import run

    if all((out / "documents" / f"{d}.json").is_file() for d in doc_ids):
        return
    if out.exists() and any(out.iterdir()):
        raise click.UsageError(
            f"{out} holds another run without document {', '.join(doc_ids[:3])}; "
            "pass an empty or new --out folder (the pipeline then runs first), or --doc"
        )
    log.info("%s: running the pipeline on %s first", out, ", ".join(map(str, inputs)))
    run(inputs, out, settings)


@cli.command("evaluate")
@click.option("--gold", required=True, type=_PATH_IN, help="A .gold.json annotation or a PubTator file.")
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--doc", "doc_id", default=None, help="Document id in OUT to score (.gold.json only).")
@click.option("--input", "input_path", type=_PATH_IN, default=None,
              help="The article the .gold.json annotates (default: its \"document\" field).")  # fmt: skip
@click.option("--corpus", type=click.Choice(["bc5cdr", "biored"]), default=None, help="PubTator corpus flavour.")
@_run_options
def evaluate_cmd(gold, out, doc_id, input_path, corpus, fast, associations, model, max_nodes, max_file_mb,
                 doc_seconds):  # fmt: skip
    """Score OUT against a gold annotation, running the pipeline first if
    OUT does not hold the gold's documents yet.

    \b
    Example:
      extractor evaluate --gold gold/seed.gold.json --out out/
      extractor evaluate --gold bc5cdr/CDR_DevelopmentSet.PubTator.txt --out out/ --fast
    """
    from extractor.evaluate import evaluate_article, evaluate_pubtator
    from extractor.writer import safe_doc_id

    settings = _settings(fast, model, max_nodes, max_file_mb, doc_seconds, associations)
    try:
        if gold.name.endswith(".json"):
            try:
                gold_json = json.loads(gold.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                raise click.ClickException(f"{gold}: not a readable gold JSON file: {exc}") from None
            if input_path is None:
                if not gold_json.get("document"):
                    raise click.UsageError(f'{gold}: no "document" field; pass --input PATH')
                input_path = gold.resolve().parent.parent / gold_json["document"]
                if not input_path.is_file():
                    raise click.UsageError(f"{gold}: document {input_path} not found; pass --input PATH")
            _ensure_run(out, [doc_id or safe_doc_id(Path(input_path).stem)], [input_path], settings)
            result = evaluate_article(gold, out, doc_id=doc_id)
        else:
            text = gold.read_text(encoding="utf-8", errors="replace")
            pmids = sorted(set(_PMID_LINE.findall(text)))
            if not pmids:
                raise click.UsageError(f"{gold}: no PubTator document found (expected lines like 'PMID|t|title')")
            _ensure_run(out, pmids, [gold], settings)
            result = evaluate_pubtator(gold, out, corpus=corpus)
    except ExtractorError as exc:
        raise _fail(exc) from None
    for line in result.lines:
        click.echo(line)
    click.echo(result.summary())


# ----------------------------------------------------------------- graph


@cli.command("graph")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--focus", required=True, metavar="NAME", help="Concept name or id at the centre.")
@click.option("--depth", type=click.IntRange(0), default=1, show_default=True, help="Hops around the concept.")
@click.option(
    "--html", "html", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write."
)
@click.option("--max-nodes", type=click.IntRange(1), default=Settings().max_nodes, show_default=True)
def graph_cmd(out, focus, depth, html, max_nodes):
    """Write the subgraph around one concept of an earlier run as HTML.

    \b
    Example:
      extractor graph out/ --focus "MESH:D007649" --depth 2 --html ketamine.html
    """
    from extractor.graph import focus_subgraph, read_graph_json
    from extractor.io.exporters.html_export import write_html

    path = out / "graph.json"
    if not path.is_file():
        raise click.ClickException(f"{path}: no graph found (run `extractor run ... --out {out}` first)")
    try:
        g = read_graph_json(path)
        sub = focus_subgraph(g, focus, depth)
        write_html(sub, html, title=f"{focus} (depth {depth})", max_nodes=max_nodes)
    except ExtractorError as exc:
        raise _fail(exc) from None
    click.echo(f"{html}: {sub.number_of_nodes()} nodes, {sub.number_of_edges()} edges")


# ----------------------------------------------------------------- schema / verify


@cli.command("schema")
@click.argument("name")
def schema_cmd(name):
    """Print the JSON Schema of one output file kind.

    \b
    Example:
      extractor schema document > document.schema.json
    """
    from extractor.schemas import load_schema, schema_names

    names = list(schema_names())
    if name not in names:
        raise click.UsageError(f"unknown schema {name!r}; choose one of: {', '.join(names)}")
    click.echo(json.dumps(load_schema(name), indent=2, ensure_ascii=False))


@cli.command("verify")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
def verify_cmd(out):
    """Check that OUT is a complete, valid output folder.

    Every document listed in report.json must have its files, and every
    file must parse and match its schema. Exit status 1 lists the problems.

    \b
    Example:
      extractor verify out/
    """
    from extractor.writer import check_output

    problems = check_output(out)
    if problems:
        for p in problems:
            click.echo(p, err=True)
        click.echo(f"{out}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
        sys.exit(1)
    click.echo(f"{out}: ok")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="extractor")
