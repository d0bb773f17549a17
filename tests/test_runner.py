"""The batch runner: failures reported per input, determinism across worker
counts, writes confined to the output folder, time budget, atomic writes."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import pytest

from extractor.config import Limits, Settings
from extractor.errors import ExportError
from extractor.pipeline import Extractor
from extractor.runner import run
from extractor.writer import OutputLayout, atomic_write_text, safe_doc_id
from output_tree import output_bytes

FAST = Settings(fast=True)

SENTENCES = [
    "Metformin reduced HbA1c in patients with type 2 diabetes.",
    "Aspirin reduced the risk of myocardial infarction in adults.",
    "Lisinopril lowered blood pressure in patients with hypertension.",
    "Haloperidol caused tardive dyskinesia in some patients with schizophrenia.",
    "Morphine relieved postoperative pain but caused nausea and respiratory depression.",
    "Sertraline improved symptoms of major depressive disorder.",
    "Cisplatin caused nephrotoxicity in patients treated for ovarian cancer.",
    "Atorvastatin lowered LDL cholesterol and reduced cardiovascular events.",
]


def write_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` small plain-text abstracts with varied drugs and conditions."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        a, b = SENTENCES[i % len(SENTENCES)], SENTENCES[(3 * i + 1) % len(SENTENCES)]
        p = folder / f"abstract_{i:02d}.txt"
        p.write_text(
            f"Study {i} of drug effects\n\nBackground\n\n{a} {b}\n\nResults\n\n{b} No other effect was seen.\n"
        )
        paths.append(p)
    return paths


def broken_folder(root: Path) -> None:
    write_corpus(root / "good", 3)
    (root / "bad").mkdir()
    (root / "bad" / "empty.txt").write_bytes(b"")
    (root / "bad" / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "bad" / "latin1.txt").write_bytes("Caf\xe9 study\n\nAspirin reduced fever in adults.\n".encode("cp1252"))
    (root / "bad" / "truncated.xml").write_text(
        "<?xml version='1.0'?><article><front><article-meta><title-group><article-title>Aspirin"
    )
    (root / "bad" / "offsets.PubTator").write_text(
        "111|t|Aspirin and fever\n111|a|Aspirin reduced fever.\n111\t0\t7\tAspirin\tChemical\tD001241\n\n"
        "222|t|Heparin and bleeding\n222|a|Heparin caused bleeding.\n222\t500\t507\tHeparin\tChemical\tD006493\n"
    )


def test_good_documents_written_bad_ones_reported(tmp_path, caplog):
    broken_folder(tmp_path / "in")
    out = tmp_path / "out"
    with caplog.at_level(logging.ERROR, logger="extractor"):
        report = run([tmp_path / "in"], out, FAST)
    assert not report.ok
    data = json.loads((out / "report.json").read_text())
    by_path = {Path(i["path"]).name: i for i in data["inputs"]}
    assert by_path["empty.txt"]["status"] == "failed"
    assert "empty file" in by_path["empty.txt"]["reason"]
    assert by_path["binary.txt"]["status"] == "failed"
    assert "binary" in by_path["binary.txt"]["reason"]
    assert by_path["truncated.xml"]["status"] == "failed"
    assert by_path["truncated.xml"]["reason"].startswith("read: ")
    assert by_path["latin1.txt"]["status"] == "ok"  # decoded as cp1252, not lost
    assert by_path["offsets.PubTator"]["status"] == "failed"
    assert "222" in by_path["offsets.PubTator"]["reason"]
    assert by_path["offsets.PubTator"]["documents"] == ["111"]
    ok = sorted(d["doc_id"] for d in data["documents"] if d["status"] == "ok")
    assert ok == ["111", "abstract_00", "abstract_01", "abstract_02", "latin1"]
    for doc_id in ok:
        assert json.loads((out / "documents" / f"{doc_id}.json").read_text())["doc_id"] == doc_id
        assert (out / "summaries" / f"{doc_id}.md").read_text().strip()
    assert sorted(p.stem for p in (out / "documents").glob("*.json")) == ok
    for name in ("triples.jsonl", "claims.jsonl", "graph.html", "graph.json", "graph.graphml"):
        assert (out / name).is_file(), name
    assert (out / "kgx" / "nodes.jsonl").is_file() and (out / "kgx" / "edges.jsonl").is_file()
    assert (out / "summaries" / "_corpus.md").is_file()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for name in ("empty.txt", "binary.txt", "truncated.xml", "offsets.PubTator"):
        assert name in logged
    assert data["counts"]["documents_ok"] == 5


def test_same_outputs_with_one_and_two_workers(tmp_path):
    write_corpus(tmp_path / "in", 12)
    r1 = run([tmp_path / "in"], tmp_path / "o1", FAST, workers=1)
    r2 = run([tmp_path / "in"], tmp_path / "o2", FAST, workers=2)
    assert r1.ok and r2.ok
    assert r1.counts["relations"] > 0
    one, two = output_bytes(tmp_path / "o1"), output_bytes(tmp_path / "o2")
    assert sorted(one) == sorted(two)
    assert [k for k in one if one[k] != two[k]] == []
    assert r2.timings["workers"] == 2 and r2.timings["backend"] == "processes"


def test_document_failure_does_not_stop_the_run(tmp_path, monkeypatch):
    write_corpus(tmp_path / "in", 4)
    real = Extractor.process

    def flaky(self, article):
        if article.doc_id == "abstract_01":
            raise ValueError("stage exploded\non two lines")
        return real(self, article)

    monkeypatch.setattr(Extractor, "process", flaky)
    report = run([tmp_path / "in"], tmp_path / "out", FAST)
    status = {d.doc_id: (d.status, d.reason) for d in report.documents}
    assert status["abstract_01"] == ("failed", "internal error: ValueError: stage exploded on two lines")
    assert [s for d, (s, _) in status.items() if d != "abstract_01"] == ["ok"] * 3
    assert not (tmp_path / "out" / "documents" / "abstract_01.json").exists()
    assert report.failures == [("abstract_01 (%s)" % (tmp_path / "in" / "abstract_01.txt"), status["abstract_01"][1])]


def test_a_crashing_worker_fails_only_its_document(tmp_path, monkeypatch):
    write_corpus(tmp_path / "in", 10)
    real = Extractor.process

    def crash(self, article):
        if article.doc_id == "abstract_03":
            os._exit(9)  # a segfault or the OOM killer, as the pool sees it
        return real(self, article)

    monkeypatch.setattr(Extractor, "process", crash)
    report = run([tmp_path / "in"], tmp_path / "out", FAST, workers=2)
    failed = [(d.doc_id, d.reason) for d in report.documents if d.status == "failed"]
    assert failed == [
        (
            "abstract_03",
            "nlp: worker process died (out of memory or a crash) "
            "(retry with fewer --workers or a smaller --max-file-mb)",
        )
    ]
    assert report.counts["documents_ok"] == 9


def test_time_budget_is_enforced(tmp_path, monkeypatch):
    write_corpus(tmp_path / "in", 2)
    real = Extractor.process

    def slow(self, article):
        if article.doc_id == "abstract_00":
            while True:
                pass
        return real(self, article)

    monkeypatch.setattr(Extractor, "process", slow)
    settings = Settings(fast=True, limits=Limits(doc_seconds=0.5))
    report = run([tmp_path / "in"], tmp_path / "out", settings)
    status = {d.doc_id: d for d in report.documents}
    assert status["abstract_00"].status == "failed"
    assert "time budget exceeded" in status["abstract_00"].reason
    assert status["abstract_01"].status == "ok"


def test_nothing_written_outside_out_and_out_inside_input_is_skipped(tmp_path):
    src = tmp_path / "in"
    write_corpus(src, 3)
    (src / "sub").mkdir()
    (src / "sub" / "abstract_00.txt").write_text((src / "abstract_00.txt").read_text())
    before = {p for p in tmp_path.rglob("*")}
    out = src / "out"
    run([src], out, FAST)
    report = run([src], out, FAST)  # OUT lies inside the input folder: not read back
    after = {p for p in tmp_path.rglob("*")}
    assert {p for p in after - before if out not in p.parents and p != out} == set()
    assert sorted(d.doc_id for d in report.documents) == ["abstract_00", "abstract_00-2", "abstract_01", "abstract_02"]
    assert {d.doc_id: d.source for d in report.documents}["abstract_00-2"].endswith("sub/abstract_00.txt")
    assert not list(out.rglob("*.tmp*"))


def test_stale_outputs_of_vanished_documents_are_removed(tmp_path):
    paths = write_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    run([tmp_path / "in"], out, FAST)
    paths[2].unlink()
    run([tmp_path / "in"], out, FAST)
    assert sorted(p.stem for p in (out / "documents").glob("*.json")) == ["abstract_00", "abstract_01"]
    assert sorted(p.stem for p in (out / "summaries").glob("*.md")) == ["_corpus", "abstract_00", "abstract_01"]


def test_safe_doc_ids_and_layout_refuses_escapes(tmp_path):
    assert safe_doc_id("../../etc/passwd") == "etc_passwd"
    assert safe_doc_id("_corpus") == "doc_corpus"
    assert safe_doc_id("a" * 300).startswith("a" * 50) and len(safe_doc_id("a" * 300)) <= 120
    lay = OutputLayout(tmp_path / "out")
    with pytest.raises(ExportError, match="path escapes the output folder"):
        lay.document("../outside")


def test_atomic_writes_leave_old_content_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    atomic_write_text(target, "old")

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", no_space)
    with pytest.raises(ExportError, match="f.json: write: cannot write file: No space left on device"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_background_writer_writes_files_before_the_journal_record(tmp_path):
    from extractor.writer import BackgroundWriter, StateJournal

    lay = OutputLayout(tmp_path / "out")
    lay.create()
    journal = StateJournal(lay.journal, keep=False)
    seen = []
    append = journal.append

    def checked_append(doc_id, line, key):  # the files exist when the record is written
        seen.append((doc_id, lay.document(doc_id).is_file(), lay.summary(doc_id).is_file()))
        append(doc_id, line, key)

    journal.append = checked_append
    writer = BackgroundWriter(lay, journal, max_pending=2)
    for i in range(20):
        writer.submit(f"d{i}", "{}\n", "# s\n", json.dumps({"doc_id": f"d{i}", "key": "k"}) + "\n", "k")
    writer.close()
    journal.close()
    assert seen == [(f"d{i}", True, True) for i in range(20)]
    assert writer.seconds > 0 and sorted(journal.records) == sorted(f"d{i}" for i in range(20))


def test_a_disk_error_while_writing_documents_fails_the_run(tmp_path, monkeypatch):
    import extractor.writer

    real = extractor.writer.atomic_write_text

    def full_disk(path, text):
        if "summaries" in str(path):
            raise ExportError("cannot write file: No space left on device", path=path, stage="write")
        real(path, text)

    monkeypatch.setattr(extractor.writer, "atomic_write_text", full_disk)
    with pytest.raises(ExportError, match="No space left on device"):
        run(write_corpus(tmp_path / "in", 4), tmp_path / "out", FAST)
    assert not (tmp_path / "out" / "report.json").exists()


def test_report_shows_seconds_per_stage_and_graphml_is_networkx_byte_for_byte(tmp_path):
    import networkx as nx

    from extractor.io.exporters.graphml import flatten_graph, read_graphml

    report = run(write_corpus(tmp_path / "in", 6), tmp_path / "out", FAST, workers=2)
    timings = json.loads((tmp_path / "out" / "report.json").read_text())["timings"]
    stages = {k: v for k, v in timings.items() if k.startswith("stage:")}
    assert set(Extractor.STAGES) | {"summary"} == {k.removeprefix("stage:") for k in stages}
    assert all(v >= 0 for v in stages.values()) and stages["stage:ner"] > 0
    # the stages are parts of "process" (each figure is rounded to 1 ms)
    assert sum(stages.values()) <= timings["process"] + 0.0005 * (len(stages) + 1)
    # the one-time pipeline load is reported apart; the documents/s figure is the steady state
    assert 0 < timings["warm_up"] < timings["total"]
    assert timings["documents_per_second"] > 6 / timings["total"]
    assert report.counts["documents_ok"] == 6
    # the streamed GraphML writer gives exactly what networkx's writer gives
    written = (tmp_path / "out" / "graph.graphml").read_text(encoding="utf-8")
    g = read_graphml(tmp_path / "out" / "graph.graphml")
    assert g.number_of_edges() > 0
    assert written == "\n".join(nx.generate_graphml(flatten_graph(g), encoding="utf-8")) + "\n"


def test_graphml_text_escapes_like_networkx():
    import networkx as nx

    from extractor.io.exporters.graphml import flatten_graph, graphml_text

    g = nx.MultiDiGraph(id='G"1')
    odd = 'a&<b>"\n\u00e9'
    g.add_node(odd, name="x\r\ny\u2028z \U0001f600", empty="", flag=True, score=0.5, n=3, syn=["q", "<r>"], opt=None)
    g.add_node("lonely")
    g.add_edge(odd, "lonely", key="k\t1", weight=1.0, note="\t tab")
    g.add_edge("lonely", "lonely")
    h = flatten_graph(g)
    assert graphml_text(h) == "\n".join(nx.generate_graphml(h, encoding="utf-8")) + "\n"
    assert graphml_text(nx.MultiDiGraph()) == "\n".join(nx.generate_graphml(nx.MultiDiGraph())) + "\n"


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked from a warmed-up parent on Linux only")
def test_workers_inherit_the_parents_pipeline_instead_of_building_their_own(tmp_path, monkeypatch):
    log_file = tmp_path / "warm_ups.txt"
    real = Extractor.warm_up

    def counted(self, **kwargs):
        with open(log_file, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        real(self, **kwargs)

    monkeypatch.setattr(Extractor, "warm_up", counted)
    report = run(write_corpus(tmp_path / "in", 8), tmp_path / "out", FAST, workers=2)
    assert report.ok and report.counts["documents_ok"] == 8
    assert log_file.read_text().split() == [str(os.getpid())]  # built once, in the parent
    nothing = run([], tmp_path / "empty", FAST, workers=2)  # no document: no pipeline built at all
    assert nothing.counts["documents"] == 0 and log_file.read_text().split() == [str(os.getpid())]
