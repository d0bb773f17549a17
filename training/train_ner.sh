#!/usr/bin/env bash
# Reproduce extractor/data/ner_model/ from /work/shared/data in one command:
#
#     training/train_ner.sh
#
# Converts BC5CDR train/dev (do_not_train PMIDs removed), trains config_v3.cfg
# (3,600 steps, model-best = best dev ents_f), packages the pipeline into
# extractor/data/ner_model/ and scores it on dev with /work/shared/tools/score.py.
# Single-threaded; ~25 min on one free core. Writes only under training/corpus/,
# training/output/ and extractor/data/ner_model/.
# (The pretraining experiment, config_v4.cfg, is documented in training/README.md.)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
data="${DATA:-/work/shared/data}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
cd "$root"

# 1. corpora (do_not_train PMIDs removed from train and dev)
python "$here/convert.py" "$data/bc5cdr/CDR_TrainingSet.PubTator.txt" "$here/corpus/Training.spacy" \
    --exclude "$data/do_not_train.txt"
python "$here/convert.py" "$data/bc5cdr/CDR_DevelopmentSet.PubTator.txt" "$here/corpus/Development.spacy" \
    --exclude "$data/do_not_train.txt"

# 2. train on BC5CDR train, select on BC5CDR dev
rm -rf "$here/output/v3"
python -m spacy train "$here/config_v3.cfg" --output "$here/output/v3" \
    --paths.train "$here/corpus/Training.spacy" --paths.dev "$here/corpus/Development.spacy" \
    --code "$here/functions.py"

# 3. package (drops the training-only tokenizer callback) and evaluate with the project's scorer
python "$here/package_model.py" "$here/output/v3/model-best" "$root/extractor/data/ner_model"
python "$here/eval_dev.py" "$root/extractor/data/ner_model" "$here/output/eval_dev"
