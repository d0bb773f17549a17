"""Registered spaCy functions needed *only while training* the NER model.

Input: a blank ``en`` pipeline created by ``spacy train``.
Output: the same pipeline with the tokenizer the project runs the model on:
``extractor.tokenizer.dictionary_tokenizer`` (scispacy's
``combined_rule_tokenizer`` plus hyphen / ")-" / "word/word" splits; shipped
since v5) or scispacy's ``combined_rule_tokenizer`` alone (v1-v4).

``spacy train --code training/functions.py`` imports this module so that
``[initialize.before_init]`` can swap the tokenizer before the corpus is read.
The packaging step (``training/package_model.py``) removes the callback from
the shipped config: spaCy serialises the tokenizer's prefix/suffix/infix rules
and exceptions, so the shipped pipeline reloads with ``spacy.load(path)`` and
tokenizes identically without importing this module.
"""

from __future__ import annotations

from typing import Callable

import spacy
from spacy.language import Language

__all__ = [
    "make_dictionary_tokenizer_callback",
    "make_scispacy_tokenizer_callback",
    "make_scispacy_tokenizer",
]


@spacy.registry.callbacks("extractor_dictionary_tokenizer.v1")
def make_dictionary_tokenizer_callback() -> Callable[[Language], Language]:
    """Return a ``before_init`` callback installing the pipeline's tokenizer.

    The model is trained on the tokens ``extractor.ner.build_pipeline`` gives
    it (:func:`extractor.tokenizer.dictionary_tokenizer`), so that
    "levodopa-induced" is "levodopa - induced" both in training and at run time.

    Returns
    -------
    Callable[[Language], Language]
        Function that replaces ``nlp.tokenizer`` in place and returns ``nlp``.
    """

    def _install(nlp: Language) -> Language:
        from extractor.tokenizer import dictionary_tokenizer

        nlp.tokenizer = dictionary_tokenizer(nlp)
        return nlp

    return _install


@spacy.registry.callbacks("extractor_scispacy_tokenizer.v1")
def make_scispacy_tokenizer_callback() -> Callable[[Language], Language]:
    """Return a ``before_init`` callback installing scispacy's tokenizer.

    Returns
    -------
    Callable[[Language], Language]
        Function that replaces ``nlp.tokenizer`` in place and returns ``nlp``.
    """

    def _install(nlp: Language) -> Language:
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        nlp.tokenizer = combined_rule_tokenizer(nlp)
        return nlp

    return _install


@spacy.registry.tokenizers("extractor_scispacy_tokenizer.v1")
def make_scispacy_tokenizer() -> Callable[[Language], object]:
    """Return a ``[nlp.tokenizer]`` factory building scispacy's tokenizer.

    Used by ``spacy pretrain`` (which runs no ``before_init`` callback) so that
    pretraining sees the same tokens as training.

    Returns
    -------
    Callable[[Language], Tokenizer]
    """

    def _create(nlp: Language):
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        # scispacy reads nlp.tokenizer.token_match, which does not exist yet
        nlp.tokenizer = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        return combined_rule_tokenizer(nlp)

    return _create
