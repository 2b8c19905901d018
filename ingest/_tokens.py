"""Cheap whole-doc token filters, read from integer attributes before any Token is built."""

from __future__ import annotations

from spacy.attrs import POS, TAG
from spacy.parts_of_speech import IDS
from spacy.tokens import Doc

__all__ = ["pos_ids", "with_pos"]


def pos_ids(*names: str) -> frozenset[int]:
    """The integer ids of coarse part-of-speech tags: ``pos_ids("NOUN", "PROPN")``."""
    return frozenset(IDS[name] for name in names)


def with_pos(doc: Doc, ids: frozenset[int], *, tag_prefix: str = "") -> list[int]:
    """Indices of the tokens whose ``pos`` is one of ``ids`` (or, given ``tag_prefix``, whose
    ``tag_`` starts with it), in document order.

    A rule that only fires on some parts of speech loops over these instead of the whole
    doc: every ``doc[i]`` builds a new Token and every ``tok.pos_`` is a StringStore lookup,
    while this reads one array.

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = Doc(spacy.blank("en").vocab, words=["talks", "ended"], pos=["NOUN", "VERB"])
    >>> with_pos(doc, pos_ids("VERB"))
    [1]
    """
    # ``tolist`` first: iterating a numpy array boxes every element, and ``np.isin`` costs
    # more than this on a few hundred tokens
    if not tag_prefix:
        return [i for i, p in enumerate(doc.to_array(POS).tolist()) if p in ids]
    strings = doc.vocab.strings
    tags = doc.to_array(TAG).tolist()
    wanted = {t for t in set(tags) if strings[t].startswith(tag_prefix)}
    return [i for i, (p, t) in enumerate(zip(doc.to_array(POS).tolist(), tags, strict=True))
            if p in ids or t in wanted]
