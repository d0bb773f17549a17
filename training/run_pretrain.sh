#!/usr/bin/env bash
# usage: training/run_pretrain.sh PRETRAIN_CONFIG OUTDIR SECONDS [extra spacy args]
# single-threaded, time-boxed spacy pretrain of the tok2vec on unlabelled abstracts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cfg="$1"; out="$2"; secs="$3"; shift 3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
timeout --signal=INT "$secs" python -m spacy pretrain "$cfg" "$out" \
  --paths.raw_text "$here/corpus/raw_text.jsonl" --code "$here/functions.py" "$@" || rc=$?
echo "spacy pretrain exit ${rc:-0}"
