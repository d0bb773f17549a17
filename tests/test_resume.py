"""``--resume``: a run killed with SIGKILL and resumed gives the same files
as an uninterrupted run; unchanged documents are not processed again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from extractor.config import Settings
from extractor.runner import run
from output_tree import output_bytes

FAST = Settings(fast=True)
N_DOCS = 30

SENTENCES = [
    "Metformin reduced HbA1c in patients with type 2 diabetes.",
    "Aspirin reduced the risk of myocardial infarction in adults.",
    "Lisinopril lowered blood pressure in patients with hypertension.",
    "Haloperidol caused tardive dyskinesia in some patients with schizophrenia.",
    "Morphine relieved postoperative pain but caused nausea.",
    "Cisplatin caused nephrotoxicity in patients treated for ovarian cancer.",
]


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        a, b = SENTENCES[i % len(SENTENCES)], SENTENCES[(5 * i + 2) % len(SENTENCES)]
        (folder / f"doc{i:03d}.txt").write_text(f"Report {i}\n\nMethods\n\n{a}\n\nResults\n\n{b} {a}\n")


def finished(out: Path) -> int:
    """Documents recorded as finished in the resume journal (complete lines)."""
    try:
        return (out / ".state" / "journal.jsonl").read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", "-q", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: SIGKILL reaches the workers too
        **kw,
    )


def test_killed_run_resumed_equals_uninterrupted_run(tmp_path):
    src = tmp_path / "in"
    write_corpus(src, N_DOCS)
    reference = run([src], tmp_path / "ref", FAST)
    assert reference.ok and reference.counts["documents_ok"] == N_DOCS

    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("{}")  # an earlier run's report must not survive an unfinished one
    proc = cli("run", str(src), "-o", str(out), "--fast", "--workers", "2")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if finished(out) >= 3:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    done = finished(out)
    assert 3 <= done < N_DOCS, "the run was not interrupted mid-way"
    assert not (out / "report.json").exists()

    resumed = cli("run", str(src), "-o", str(out), "--fast", "--workers", "2", "--resume")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr.decode()
    report = json.loads((out / "report.json").read_text())
    assert report["timings"]["resumed"] >= done - 2  # a file being written at the kill may be redone
    assert report["timings"]["resumed"] < N_DOCS
    got, want = output_bytes(out), output_bytes(tmp_path / "ref")
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


def test_resume_skips_unchanged_documents_and_redoes_changed_ones(tmp_path):
    src = tmp_path / "in"
    write_corpus(src, 5)
    out = tmp_path / "out"
    first = run([src], out, FAST)
    again = run([src], out, FAST, resume=True)
    assert again.timings["resumed"] == 5
    assert again.counts == first.counts

    (src / "doc002.txt").write_text("Report 2\n\nResults\n\nSertraline improved symptoms of depression.\n")
    changed = run([src], out, FAST, resume=True)
    assert changed.timings["resumed"] == 4
    doc = json.loads((out / "documents" / "doc002.json").read_text())
    assert "Sertraline" in doc["text"]

    other_settings = run([src], out, Settings(fast=True, max_nodes=5), resume=True)
    assert other_settings.timings["resumed"] == 5  # the graph cap does not change documents
    no_resume = run([src], out, FAST)
    assert no_resume.timings["resumed"] == 0


def test_journal_drops_a_cut_line_and_withdrawn_records(tmp_path):
    from extractor.writer import StateJournal

    path = tmp_path / ".state" / "journal.jsonl"
    j = StateJournal(path, keep=False)
    for doc, key in (("a", "k1"), ("b", "k2"), ("a", "k3")):
        j.append(doc, json.dumps({"doc_id": doc, "key": key, "counts": {}}) + "\n", key)
    j.close()
    with open(path, "ab") as fh:
        fh.write(b'{"doc_id": "c", "key": "k4", "cou')  # killed mid-line
    j = StateJournal(path, keep=True)
    assert (j.key("a"), j.key("b"), j.key("c")) == ("k3", "k2", None)  # last record wins; the cut line is gone
    j.withdraw("b")
    j.append("c", json.dumps({"doc_id": "c", "key": "k5"}) + "\n", "k5")
    j.close()
    j = StateJournal(path, keep=True)
    assert (j.key("b"), j.key("c"), j.read("c")["key"]) == (None, "k5", "k5")
    j.compact(["a", "c"])
    assert [json.loads(line)["key"] for line in path.read_text().splitlines()] == ["k3", "k5"]
    assert StateJournal(path, keep=False).key("a") is None  # without --resume the journal starts empty


def test_resume_after_inputs_changed_midway_never_reuses_stale_files(tmp_path):
    src = tmp_path / "in"
    write_corpus(src, 3)
    out = tmp_path / "out"
    assert run([src], out, FAST).ok
    (out / ".state" / "doc000.json").write_text("{}")  # a state file of an earlier version: removed
    (src / "doc001.txt").write_text("Report 1\n\nResults\n\nSertraline improved symptoms of depression.\n")
    changed = run([src], out, FAST, resume=True)
    assert changed.timings["resumed"] == 2
    assert not (out / ".state" / "doc000.json").exists()
    (src / "doc001.txt").write_text("Report 1\n\nMethods\n\nMetformin reduced HbA1c in patients with type 2 diabetes.\n")
    back = run([src], out, FAST, resume=True)  # back to other content: doc001 is processed again
    assert back.timings["resumed"] == 2
    assert "Metformin" in json.loads((out / "documents" / "doc001.json").read_text())["text"]


def test_merge_reads_graph_records_and_falls_back_to_documents(tmp_path):
    """Merging uses the journal's graph records; a journal written before
    they existed (no ``graph`` field) gives the same outputs by reading the
    document files."""
    src = tmp_path / "in"
    write_corpus(src, 6)
    out = tmp_path / "out"
    run([src], out, FAST)
    before = {k: v for k, v in output_bytes(out).items() if not k.startswith(".state/")}
    journal = out / ".state" / "journal.jsonl"
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    assert all(r["graph"]["concepts"] for r in records if r.get("key"))
    journal.write_text("".join(
        json.dumps({k: v for k, v in r.items() if k not in ("graph", "title")}) + "\n" for r in records
    ))
    again = run([src], out, FAST, resume=True)
    assert again.timings["resumed"] == 6
    assert {k: v for k, v in output_bytes(out).items() if not k.startswith(".state/")} == before
