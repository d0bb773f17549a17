"""The project's tokenizer: scispacy's rules plus hyphen and slash splits.

Input: a spaCy :class:`~spacy.language.Language` (its vocabulary). Output:
a :class:`~spacy.tokenizer.Tokenizer` that the sentence segmenter
(:mod:`extractor.sentences`), the dictionary NER
(:mod:`extractor.dictionary_ner`) and the statistical NER all use, so one
tokenization of a paragraph can serve every stage (the ``--fast`` pipeline
tokenizes each paragraph once).

It is scispacy's ``combined_rule_tokenizer``, also splitting hyphens
between word characters and a closing parenthesis before one
("levodopa-induced" -> "levodopa - induced", "(NTG)-induced" -> "( NTG ) -
induced") and slashes between words ("paclitaxel/carboplatin"): dictionary
keys ignore hyphens, so matches may start or end at one. Citation markers
glued to a word come off it: "pain¹˒²" -> "pain ¹˒²", "pain(1,2)" -> "pain
( 1,2 )". The splits also
keep "3.5-kilobase" and "1999-Nov. 30" whole for the sentence splitter.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> [t.text for t in dictionary_tokenizer(nlp)("Levodopa-induced dyskinesia (LID)-like")]
['Levodopa', '-', 'induced', 'dyskinesia', '(', 'LID', ')', '-', 'like']
"""

from __future__ import annotations

import re
import warnings
from types import SimpleNamespace

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import registry

__all__ = ["dictionary_tokenizer", "blank_english"]

_INFIX = (
    r"(?<=[A-Za-z0-9\]\)])-(?=[A-Za-z0-9\[\(])|(?<=[A-Za-z0-9])\)(?=-)|(?<=[a-z]{2})/(?=[A-Za-z]{2})"
    # a citation glued to its word: "pain(1,2)" (the ")" is a suffix by then);
    # not a range, which names a peptide fragment: "amyloid beta peptide(1-42)"
    r"|(?<=[a-z]{3})\((?=[0-9]{1,3}(?:[,;][0-9]{1,3})*$)"
)
_PREFIX = r"|^\((?=[^()\s]+\)-)"
#: Superscript citation markers and powers after a word: "pain¹˒²", "m²".
_SUP = r"\u2070\u00b9\u00b2\u00b3\u2074-\u2079\u02d2\u207b"
_SUFFIX = rf"|(?:(?<=[^\W\d_])|(?<=[.,;:)\]]))[{_SUP}]+$|(?<=[{_SUP}])[.,;:]$"


def dictionary_tokenizer(nlp: Language) -> Tokenizer:
    """scispacy's tokenizer for ``nlp``'s vocabulary, with the extra splits
    described in the module docstring.

    scispacy's rules are built on a rule-less stand-in of ``nlp`` and the
    tokenizer is made once with the final patterns and every special case:
    each later change of a pattern would re-tokenize the 1,400 special
    cases (about 0.2 s of every start for three changes).
    """
    with warnings.catch_warnings():  # scispacy's rules trip a re FutureWarning
        warnings.simplefilter("ignore", FutureWarning)
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        bare = combined_rule_tokenizer(
            SimpleNamespace(
                vocab=nlp.vocab,
                Defaults=SimpleNamespace(tokenizer_exceptions={}),
                tokenizer=SimpleNamespace(token_match=nlp.tokenizer.token_match),
            )
        )
        rules = dict(nlp.Defaults.tokenizer_exceptions)
        rules.update(bare.rules)  # scispacy's abbreviations keep their full stop
        return Tokenizer(
            nlp.vocab,
            rules,
            prefix_search=_extended(bare.prefix_search, _PREFIX, "search"),
            suffix_search=_extended(bare.suffix_search, _SUFFIX, "search"),
            infix_finditer=_extended(bare.infix_finditer, "|" + _INFIX, "finditer"),
            token_match=bare.token_match,
        )


def _extended(method, extra: str, name: str):
    """``method`` of the pattern ``method`` is bound to, with ``extra``
    appended to that pattern (``method`` unchanged when not bound to one)."""
    pattern = getattr(method, "__self__", None)
    if pattern is None:
        return method
    return getattr(re.compile(pattern.pattern + extra), name)


@registry.tokenizers("extractor.dictionary_tokenizer.v1")
def _dictionary_tokenizer_factory():
    def create(nlp: Language) -> Tokenizer:
        # scispacy copies the token_match of the tokenizer it replaces: the language's default
        nlp.tokenizer = Tokenizer(nlp.vocab, token_match=nlp.Defaults.token_match)
        return dictionary_tokenizer(nlp)

    return create


@registry.tokenizers("extractor.placeholder_tokenizer.v1")
def _placeholder_tokenizer_factory():
    # rule-less, built in microseconds: for a pipeline that is given a tokenizer next
    return lambda nlp: Tokenizer(nlp.vocab)


def blank_english(tokenizer: Tokenizer | None = None) -> Language:
    """``spacy.blank("en")`` with the project's tokenizer (or ``tokenizer``,
    an existing one of the same rules to share).

    spaCy's default English tokenizer is never built, only to be replaced:
    its 5,000 special cases cost about 0.05 s of every start.

    Examples
    --------
    >>> [t.text for t in blank_english()("(NTG)-induced")]
    ['(', 'NTG', ')', '-', 'induced']
    """
    import spacy

    factory = "extractor.placeholder_tokenizer.v1" if tokenizer is not None else "extractor.dictionary_tokenizer.v1"
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": factory}}})
    if tokenizer is not None:
        nlp.tokenizer = tokenizer
    return nlp
