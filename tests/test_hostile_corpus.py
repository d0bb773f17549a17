"""A corrupted corpus through ``extractor run``: the run finishes, reports
every bad input with a reason and its sha256, writes every good document,
and writes nothing outside OUT (no path escape, no XML entity expanded).

The corpus is built in ``tmp_path`` at test time (the 50 MB file too).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
GOOD_TEXT = (
    "Aspirin and platelet function in adults\n\n"
    "Introduction\n\n"
    "Aspirin reduced the risk of myocardial infarction in adults [1]. "
    "Metformin lowered HbA1c in patients with type 2 diabetes [2].\n\n"
    "References\n\n"
    "1. Doe J, Roe R. Aspirin trial. J Med. 2020;1:1-9.\n"
    "2. Poe A. Metformin trial. J Med. 2021;2:3-4.\n"
)
PASSWD_MARK = "root:x:0:0"
BIG_BYTES = 50 * 1024 * 1024


def _pubtator_mixed() -> str:
    good = "111|t|Lithium tremor.\n111|a|Lithium caused tremor in two patients.\n" \
           "111\t0\t7\tLithium\tChemical\tD008094\n"
    past_end = "222|t|Short title.\n222|a|Short abstract.\n222\t5\t900\tbeyond\tDisease\tD1\n"
    escape = "../../x\t0\t3\tabc\tChemical\tD2\n"  # a mention line whose PMID is a path
    return good + "\n" + past_end + "\n" + escape


def build_corpus(folder: Path) -> dict[str, str]:
    """Write the hostile corpus; return ``{file name: expected status}``."""
    folder.mkdir()
    files: dict[str, tuple[bytes, str]] = {
        # good articles
        "good_text.txt": (GOOD_TEXT.encode(), "ok"),
        "good_jats.nxml": ((FIXTURES / "bc5cdr_18363626.nxml").read_bytes(), "ok"),
        # odd names: hidden ones are skipped in a folder scan, so they are also named explicitly
        "..étude..txt": (GOOD_TEXT.replace("Aspirin and", "Étude of").encode(), "ok"),
        "...txt": (GOOD_TEXT.replace("Aspirin and", "Dots and").encode(), "ok"),  # stem ".."
        "a..étude..ü.txt": (GOOD_TEXT.replace("Aspirin and", "Ünïcode of").encode(), "ok"),
        "pmid_path.txt": (b"../../x|t|Path title\n../../x|a|Aspirin reduced pain in adults.\n", "ok"),
        # one good PubTator document, one with offsets past the end, one path-like PMID line
        "mixed.pubtator": (_pubtator_mixed().encode(), "failed"),
        "all_past_end.pubtator": (b"5|t|Tiny.\n5|a|Tiny text.\n5\t0\t9999\tTiny\tChemical\tD1\n", "failed"),
        # broken or hostile
        "truncated.xml": ((FIXTURES / "bc5cdr_18363626.nxml").read_bytes()[:900], "failed"),
        "xxe.xml": (b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><article>&xxe;</article>',
                    "failed"),
        "xxe.nxml": ((b'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                      b"<article><body><p>&xxe;</p></body></article>"), "failed"),
        "laughs.xml": (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                       + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                                  for i in range(1, 10))
                       + b"]><article><body><p>&lol9;</p></body></article>", "failed"),
        "zero.pdf": (b"", "failed"),
        "page.pdf": (b"<!DOCTYPE html><html><body><p>Not a PDF at all.</p></body></html>", "failed"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    with open(folder / "big_line.txt", "wb") as fh:  # one 50 MB line, above max_chars
        chunk = b"word " * (1024 * 1024 // 5) + b"word"
        for _ in range(BIG_BYTES // len(chunk)):
            fh.write(chunk)
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # a folder linked into itself
    expected = {name: status for name, (_, status) in files.items()}
    expected["big_line.txt"] = "failed"
    expected["loop"] = "skipped"
    return expected


def snapshot(root: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` (links not followed) with size and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            p = here / name
            if p == skip:
                continue
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def out_texts(out: Path):
    for p in sorted(out.rglob("*")):
        if p.is_file():
            yield p, p.read_bytes().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """Build the corpus and run ``extractor run IN --out OUT --fast`` once."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder = tmp / "in"
    expected = build_corpus(folder)
    out = tmp / "out"
    before = snapshot(tmp, skip=out)
    parent_before = sorted(os.listdir(tmp.parent))
    named = [str(folder / n) for n in ("..étude..txt", "...txt")]
    result = run_cli("run", str(folder), *named, "--out", str(out), "--fast")
    yield {"tmp": tmp, "folder": folder, "out": out, "expected": expected, "result": result,
           "before": before, "parent_before": parent_before}
    (folder / "big_line.txt").unlink()  # pytest keeps recent tmp folders: do not keep 50 MB


def _inputs(report: dict) -> dict[str, dict]:
    return {Path(i["path"]).name: i for i in report["inputs"]}


def test_run_finishes_with_exit_code_1_and_writes_good_documents(corpus_run):
    result, out = corpus_run["result"], corpus_run["out"]
    assert result.exit_code == 1, result.output
    report = json.loads((out / "report.json").read_text())
    inputs = _inputs(report)
    written = {p.stem for p in (out / "documents").glob("*.json")}
    for name, status in corpus_run["expected"].items():
        if status == "ok":
            assert inputs[name]["status"] == "ok", inputs[name]
            assert inputs[name]["documents"], name
            for doc_id in inputs[name]["documents"]:
                assert doc_id in written, (name, doc_id)
    # the good PubTator document of the mixed file is written, the bad ones listed
    assert "111" in written and "222" not in written
    mixed = inputs["mixed.pubtator"]
    assert mixed["documents"] == ["111"]
    assert any("222" in p and "outside the text" in p for p in mixed["problems"])
    assert any("../../x" in p for p in mixed["problems"])
    ok_docs = [d for d in report["documents"] if d["status"] == "ok"]
    assert len(ok_docs) == len(written)


def test_every_input_is_reported_with_status_reason_and_sha256(corpus_run):
    report = json.loads((corpus_run["out"] / "report.json").read_text())
    inputs = _inputs(report)
    assert set(inputs) == set(corpus_run["expected"])
    for name, status in corpus_run["expected"].items():
        entry = inputs[name]
        assert entry["status"] == status, entry
        path = corpus_run["folder"] / name
        if status != "skipped":
            assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), name
            assert entry["size"] == path.stat().st_size
        if status != "ok":
            reason = entry.get("reason") or ""
            assert reason.strip() and "\n" not in reason, entry
            assert "Traceback" not in reason
    reasons = {name: inputs[name]["reason"].lower() for name in inputs if inputs[name].get("reason")}
    assert "truncated" in reasons["truncated.xml"] or "malformed" in reasons["truncated.xml"]
    for name in ("xxe.xml", "xxe.nxml", "laughs.xml"):
        assert "entit" in reasons[name], reasons[name]
    assert "empty" in reasons["zero.pdf"]
    assert "not a pdf" in reasons["page.pdf"]
    assert "limit" in reasons["big_line.txt"]
    assert "loop" in reasons["loop"] or "visited" in reasons["loop"]


def test_nothing_written_outside_out_and_ids_are_safe(corpus_run):
    tmp, out = corpus_run["tmp"], corpus_run["out"]
    assert snapshot(tmp, skip=out) == corpus_run["before"]
    assert sorted(os.listdir(tmp.parent)) == corpus_run["parent_before"]
    root = out.resolve()
    for p in out.rglob("*"):
        assert not p.is_symlink(), p
        assert root in p.resolve().parents, p
    for p in (out / "documents").glob("*"):
        assert not p.name.startswith("."), p
        assert p.name.isascii() and "/" not in p.stem, p


def test_no_entity_expanded_and_no_file_content_leaked(corpus_run):
    out = corpus_run["out"]
    passwd = Path("/etc/passwd")
    secret = passwd.read_text(errors="replace").splitlines()[0] if passwd.exists() else PASSWD_MARK
    total = 0
    for p, text in out_texts(out):
        total += len(text)
        assert PASSWD_MARK not in text and secret not in text, p
        assert "lollol" not in text, p
    assert total < 20 * 1024 * 1024  # no entity explosion, no 50 MB copy


def test_lower_max_file_mb_reports_big_file_as_too_large(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT)
    big = folder / "big.txt"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    out = tmp_path / "out"
    result = run_cli("run", str(folder), "--out", str(out), "--fast", "--max-file-mb", "1")
    assert result.exit_code == 1, result.output
    inputs = _inputs(json.loads((out / "report.json").read_text()))
    assert inputs["big.txt"]["status"] == "failed"
    assert "above the limit" in inputs["big.txt"]["reason"]
    assert inputs["big.txt"]["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()
    assert inputs["good.txt"]["status"] == "ok"
    assert (out / "documents" / "good.json").exists()
