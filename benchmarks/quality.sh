#!/usr/bin/env bash
# Quality figures of the README: the default pipeline on the development
# splits and the seed, scored by shared/tools/score.py (the same figures as
# `extractor evaluate`). Usage: bash benchmarks/quality.sh [--fast]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
out=${OUT:-/tmp/extractor-quality}
mode=("$@")
rm -rf "$out"
mkdir -p "$out"

score() {  # name, gold, input
  extractor -q run "$3" --out "$out/$1" "${mode[@]}" >/dev/null
  echo "== $1"
  python "$shared/tools/score.py" "$4" --gold "$2" --out "$out/$1"
}

score seed "$shared/gold/ketamine_perioperative_pain_sharma2025.gold.json" \
  corpus/ketamine_perioperative_pain_sharma2025.txt article
score bc5cdr_dev "$shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt" \
  "$shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt" pubtator
score biored_dev "$shared/data/biored/Dev.PubTator" "$shared/data/biored/Dev.PubTator" pubtator
