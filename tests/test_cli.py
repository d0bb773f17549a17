"""The command-line interface: exit codes, messages, help, every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import extractor
from extractor.cli import cli

SEED_GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "ketamine_perioperative_pain_sharma2025.gold.json"

SENTENCES = [
    "Metformin reduced HbA1c in patients with type 2 diabetes.",
    "Aspirin reduced the risk of myocardial infarction in adults.",
    "Lisinopril lowered blood pressure in patients with hypertension.",
    "Haloperidol caused tardive dyskinesia in patients with schizophrenia.",
]


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        a, b = SENTENCES[i % len(SENTENCES)], SENTENCES[(i + 1) % len(SENTENCES)]
        (folder / f"paper{i}.txt").write_text(f"Paper {i}\n\nResults\n\n{a} {b}\n")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    write_corpus(root / "in", 3)
    result = invoke("run", str(root / "in"), "-o", str(root / "out"), "--fast")
    assert result.exit_code == 0, result.output
    return root / "out", result


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"extractor, version {extractor.__version__}\n"


@pytest.mark.parametrize("command", ["run", "evaluate", "graph", "schema", "verify"])
def test_every_command_help_shows_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"extractor {command} " in result.output


def test_run_writes_the_contract_layout_and_a_table(finished_run):
    out, result = finished_run
    for name in ("report.json", "triples.jsonl", "claims.jsonl", "graph.html", "graph.json", "graph.graphml"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["paper0.json", "paper1.json", "paper2.json"]
    assert sorted(p.name for p in (out / "summaries").iterdir()) == [
        "_corpus.md",
        "paper0.md",
        "paper1.md",
        "paper2.md",
    ]
    assert (out / "kgx" / "nodes.jsonl").is_file() and (out / "kgx" / "edges.jsonl").is_file()
    assert "documents ok      3\n" in result.stdout
    assert "documents failed  0\n" in result.stdout
    assert f"output: {out}\n" in result.stdout


def test_run_with_broken_inputs_exits_1_and_names_each_file(tmp_path):
    write_corpus(tmp_path / "in", 2)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "blob.txt").write_bytes(bytes(range(256)))
    result = invoke("run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--fast")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    err = result.stderr.splitlines()
    assert [line for line in err if "empty.txt" in line] == [
        f"ERROR: {tmp_path / 'in' / 'empty.txt'}: read: empty file (check the export; the file has no text)"
    ]
    assert len([line for line in err if "blob.txt" in line]) == 1
    assert "failed (2):" in result.stdout
    assert (tmp_path / "out" / "documents" / "paper0.json").is_file()
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["counts"]["documents_ok"] == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "/no/such/input", "-o", "OUT"], "Path '/no/such/input' does not exist"),
        (["run", "IN", "-o", "OUT", "--workers", "0"], "Invalid value for '-w' / '--workers'"),
        (
            ["run", "IN", "-o", "OUT", "--dask", "local", "--scheduler", "tcp://h:1"],
            "either --dask local or --scheduler",
        ),
        (["run", "IN"], "Missing option '-o' / '--out'"),
        (["schema", "no-such-schema"], "unknown schema 'no-such-schema'"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    (tmp_path / "IN").mkdir()
    args = [str(tmp_path / a) if a in ("IN", "OUT") else a for a in args]
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unknown_model_is_a_usage_error(tmp_path):
    write_corpus(tmp_path / "in", 1)
    result = invoke("run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--model", "no_such_model_xyz")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "model 'no_such_model_xyz' not installed" in result.stderr


def test_library_error_is_one_line_without_traceback(tmp_path):
    write_corpus(tmp_path / "in", 1)
    (tmp_path / "file").write_text("a file, not a folder")
    result = invoke("run", str(tmp_path / "in"), "-o", str(tmp_path / "file" / "out"), "--fast")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {tmp_path / 'file' / 'out'}: write: cannot create output folder: ")
    assert result.stderr.count("\n") == 1


def test_verify_accepts_a_run_and_lists_missing_files(finished_run, tmp_path):
    out, _ = finished_run
    result = invoke("verify", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}: ok\n"

    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    (broken / "documents" / "paper1.json").unlink()
    (broken / "claims.jsonl").write_text("{not json\n")
    result = invoke("verify", str(broken))
    assert result.exit_code == 1
    assert f"{broken / 'documents' / 'paper1.json'}: missing" in result.stderr
    assert f"{broken / 'claims.jsonl'}:1: not valid JSON" in result.stderr


def test_schema_prints_each_schema():
    from extractor.schemas import schema_names

    for name in schema_names():
        result = invoke("schema", name)
        assert result.exit_code == 0
        assert isinstance(json.loads(result.stdout), dict)


def test_graph_focus_writes_a_subgraph(finished_run, tmp_path):
    out, _ = finished_run
    graph = json.loads((out / "graph.json").read_text())
    node = graph["nodes"][0]["id"]
    html = tmp_path / "focus.html"
    result = invoke("graph", str(out), "--focus", node, "--depth", "1", "--html", str(html))
    assert result.exit_code == 0, result.output
    assert html.is_file() and html.stat().st_size > 0
    assert result.stdout.startswith(f"{html}: ")

    result = invoke("graph", str(tmp_path), "--focus", node, "--html", str(html))
    assert result.exit_code == 1
    assert f"{tmp_path / 'graph.json'}: no graph found" in result.stderr


@pytest.mark.skipif(not SEED_GOLD.is_file(), reason="shared gold annotation not present")
def test_evaluate_runs_the_pipeline_when_out_is_empty(tmp_path):
    out = tmp_path / "out"
    result = invoke("evaluate", "--gold", str(SEED_GOLD), "--out", str(out), "--fast")
    assert result.exit_code == 0, result.output
    assert (out / "documents" / "ketamine_perioperative_pain_sharma2025.json").is_file()
    last = result.stdout.strip().splitlines()[-1]
    assert "relations_f1=" in last


@pytest.mark.skipif(not SEED_GOLD.is_file(), reason="shared gold annotation not present")
def test_evaluate_never_runs_over_another_run(finished_run):
    out, _ = finished_run
    before = sorted(p.name for p in (out / "documents").iterdir())
    result = invoke("evaluate", "--gold", str(SEED_GOLD), "--out", str(out), "--fast")
    assert result.exit_code == 2
    assert f"{out} holds another run without document ketamine_perioperative_pain_sharma2025" in result.stderr
    assert sorted(p.name for p in (out / "documents").iterdir()) == before


def test_associations_are_reported_only_on_request(tmp_path):
    """A drug and a condition named together without a typed reading ("Patients
    with gout received morphine") make no triple by default; with
    --associations they make an 'association' triple."""
    article = tmp_path / "note.txt"
    article.write_text("Morphine note\n\nPatients with gout received morphine during the study.\n", encoding="utf-8")
    classes = {}
    for flag in ([], ["--associations"]):
        out = tmp_path / ("assoc" if flag else "plain")
        res = CliRunner().invoke(cli, ["-q", "run", str(article), "-o", str(out), "--fast", *flag])
        assert res.exit_code == 0, res.output
        triples = [json.loads(line) for line in (out / "triples.jsonl").read_text().splitlines()]
        classes[bool(flag)] = {(t["subject"]["name"], t["relation_class"], t["object"]["name"]) for t in triples}
    assert classes[False] == set()
    assert classes[True] == {("Morphine", "association", "Gout")}
