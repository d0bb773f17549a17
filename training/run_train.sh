#!/usr/bin/env bash
# usage: training/run_train.sh CONFIG OUTDIR SECONDS [extra spacy args]
# single-threaded, time-boxed spacy train; model-best is kept on dev ents_f.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cfg="$1"; out="$2"; secs="$3"; shift 3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
timeout --signal=INT "$secs" python -m spacy train "$cfg" --output "$out" \
  --paths.train "$here/corpus/Training.spacy" --paths.dev "$here/corpus/Development.spacy" \
  --code "$here/functions.py" "$@" || rc=$?
echo "spacy train exit ${rc:-0}"
test -d "$out/model-best"
