#!/usr/bin/env bash
# Reproduce extractor/data/ner_model/ from /work/shared/data in one command:
#
#     training/train_ner.sh
#
# Converts BC5CDR train/dev (do_not_train PMIDs removed) with the tokenizer the
# pipeline runs the model on (extractor.tokenizer.dictionary_tokenizer),
# trains config_v5.cfg (3,600 steps, model-best = best dev ents_f), packages the
# pipeline into extractor/data/ner_model/ (checking that the reloaded tokenizer
# equals dictionary_tokenizer) and scores it on dev with /work/shared/tools/score.py:
# the model alone (training/eval_dev.py) and the whole default entity stage
# (scripts/eval_ner.py). Single-threaded; ~12-25 min on one core depending on load.
# Writes only under training/corpus/, training/output/ and extractor/data/ner_model/.
# CONFIG=training/config_v3.cfg TOKENIZER=scispacy reproduces the v3 model
# (scispacy's combined_rule_tokenizer); config_v4.cfg is documented in training/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
data="${DATA:-/work/shared/data}"
config="${CONFIG:-$here/config_v5.cfg}"
tokenizer="${TOKENIZER:-dictionary}"
run="$(basename "$config" .cfg)"; run="${run#config_}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
cd "$root"

# 1. corpora (do_not_train PMIDs removed from train and dev), tokenized like the pipeline
for split in Training Development; do
    python "$here/convert.py" "$data/bc5cdr/CDR_${split}Set.PubTator.txt" "$here/corpus/${split}_$tokenizer.spacy" \
        --exclude "$data/do_not_train.txt" --tokenizer "$tokenizer"
done

# 2. train on BC5CDR train, select on BC5CDR dev
rm -rf "$here/output/$run"
python -m spacy train "$config" --output "$here/output/$run" \
    --paths.train "$here/corpus/Training_$tokenizer.spacy" --paths.dev "$here/corpus/Development_$tokenizer.spacy" \
    --code "$here/functions.py"

# 3. package (drops the training-only tokenizer callback, checks the reloaded tokenizer)
python "$here/package_model.py" "$here/output/$run/model-best" "$root/extractor/data/ner_model" --tokenizer "$tokenizer"

# 4. evaluate with the project's scorer: the model alone, then the default entity stage
python "$here/eval_dev.py" "$root/extractor/data/ner_model" "$here/output/eval_dev"
python "$root/scripts/eval_ner.py" "$data/bc5cdr/CDR_DevelopmentSet.PubTator.txt" --out "$here/output/eval_pipeline"
python /work/shared/tools/score.py pubtator --gold "$data/bc5cdr/CDR_DevelopmentSet.PubTator.txt" \
    --out "$here/output/eval_pipeline"
