"""The Dask backend gives the same output folder as the single-process run."""

from __future__ import annotations

import pytest

from extractor.config import Settings
from extractor.errors import ConfigError
from extractor.runner import run
from output_tree import output_bytes

pytest.importorskip("distributed", reason="the dask extra is not installed")

FAST = Settings(fast=True)

SENTENCES = [
    "Metformin reduced HbA1c in patients with type 2 diabetes.",
    "Aspirin reduced the risk of myocardial infarction in adults.",
    "Haloperidol caused tardive dyskinesia in some patients with schizophrenia.",
    "Cisplatin caused nephrotoxicity in patients treated for ovarian cancer.",
]


@pytest.mark.dask
def test_local_cluster_gives_the_single_process_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(10):
        (src / f"a{i}.txt").write_text(f"Trial {i}\n\nResults\n\n{SENTENCES[i % 4]} {SENTENCES[(i + 1) % 4]}\n")
    (src / "empty.txt").write_bytes(b"")
    single = run([src], tmp_path / "single", FAST)
    on_dask = run([src], tmp_path / "dask", FAST, workers=2, dask="local")
    assert on_dask.timings["backend"] == "dask"
    assert single.counts["documents_ok"] == on_dask.counts["documents_ok"] == 10
    assert not on_dask.ok  # empty.txt failed on both
    one, two = output_bytes(tmp_path / "single"), output_bytes(tmp_path / "dask")
    assert sorted(one) == sorted(two)
    assert [k for k in one if one[k] != two[k]] == []


def test_bad_scheduler_address_is_a_config_error(tmp_path):
    (tmp_path / "a.txt").write_text("Text.\n\nAspirin reduced fever.\n")
    with pytest.raises(ConfigError, match="not a Dask scheduler address"):
        run([tmp_path / "a.txt"], tmp_path / "out", FAST, dask="localhost:8786")
