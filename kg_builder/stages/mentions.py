"""Mention stage: every fact module's detector reads the cleaned text and returns typed mentions.

spaCy is the frame: a blank "fa" pipeline with one component per fact module (declaring
what it assigns), plus sentences. Detectors match the text with exact character offsets
(regular expressions over the text, not token-aligned spans, so offsets never drift). The
spaCy ``Doc`` stays inside this module; the stage returns the document with its mentions.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..config import Config
from ..facts import MODULES
from ..model import Document, Mention, Sentence
from ..text.sentences import sentences

_EXTENSION = "kgb_mentions"
if not Doc.has_extension(_EXTENSION):
    Doc.set_extension(_EXTENSION, default=None)


def _sentences(doc: Document, config: Config) -> list[Sentence]:
    text = doc.text
    return [Sentence(start=a, end=b, text=text[a:b]) for a, b in sentences(text)]


DETECTORS = {"kgb_sentences": _sentences, **{f"kgb_{m.__name__.rsplit('.', 1)[-1]}": m.detect for m in MODULES}}


def _component(detect):
    def component(sdoc: Doc) -> Doc:
        doc, config = sdoc.user_data["kgb_input"]
        if sdoc._.kgb_mentions is None:
            sdoc._.kgb_mentions = []
        sdoc._.kgb_mentions.extend(detect(doc, config))
        return sdoc
    return component


for _name, _detect in DETECTORS.items():
    if _name not in Language.factories:
        Language.component(_name, assigns=[f"doc._.{_EXTENSION}"], func=_component(_detect))


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The blank Persian spaCy pipeline with our detectors, built once."""
    nlp = spacy.blank("fa")
    for name in DETECTORS:
        nlp.add_pipe(name)
    return nlp


def _order(m: Mention) -> tuple:
    return m.start, -m.end, type(m).__name__


def run(doc: Document, config: Config) -> Document:
    """Return ``doc`` with its mentions, sorted by position."""
    nlp = pipeline()
    sdoc = nlp.make_doc(doc.text)
    sdoc.user_data["kgb_input"] = (doc, config)
    for _, proc in nlp.pipeline:
        sdoc = proc(sdoc)
    return replace(doc, mentions=tuple(sorted(sdoc._.kgb_mentions or [], key=_order)))
