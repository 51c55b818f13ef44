"""The statistical ORG recognizer: a spaCy ``ner`` trained on Wikipedia sentences (``make train``).

The model (``data/ner_model/``) was trained by ``tools/train_ner.py`` on the Stockmark
Wikipedia NER corpus (CC-BY-SA 3.0, see ``data/ner_model/LICENSE.md``) over our own fugashi
tokens. In the pipeline it only proposes ORG candidates with a low priority (``model``): the
rules keep the last word wherever they found something, and on YEAR, MONEY, PROGRAM and on
names' normalization.

Off by default (``EntityConfig.statistical_orgs``) and not shipped: on the dev gold of real
reports it found no organization the rules missed and added many false ones (figures in the
README). ``make train`` builds it locally; ``make eval`` then reports rules alone, model alone
and both, so a better model (another corpus, report text) can be judged the same way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.japanese.markers import BULLET_MARKS, CAPTION_MARKS, HEADING_MARKERS
from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.components import candidates_of
from pipeline.nlp.textview import NAMEISH, NOUNISH
from pipeline.nlp.tokenizer import token_info

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "ner_model"
NER_CONFIG: dict[str, Any] = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": 96,
            "depth": 4,
            "embed_size": 2000,
            "window_size": 1,
            "maxout_pieces": 3,
            "subword_features": True,
        },
    }
}
"""The architecture of the shipped model: a small CNN (HashEmbed of norm, prefix, suffix, shape)."""
NER_PIPE = "ner_orgs"
MIN_MODEL_CHARS = 2
"""Shorter model spans are not names (社, 局)."""

LICENCE = """# Licence and credit of the trained model

The files in this folder are a spaCy `ner` model trained by `tools/train_ner.py` on
"ner-wikipedia-dataset" by Stockmark Inc. (https://github.com/stockmarkteam/ner-wikipedia-dataset),
sentences from Japanese Wikipedia with hand-tagged named entities.

The corpus is licensed under the Creative Commons Attribution-ShareAlike 3.0 licence
(CC-BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/), the licence of Japanese
Wikipedia. The trained weights are a work derived from it and are distributed under the same
licence: CC-BY-SA 3.0, credit to Stockmark Inc. and the Wikipedia contributors. The code of this
project keeps its own licence.
"""


def write_model_notes(folder: Path, report: dict[str, Any]) -> None:
    """The licence and the training report next to the weights."""
    (folder / "LICENSE.md").write_text(LICENCE, encoding="utf-8")
    (folder / "training.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def model_available(folder: Path = MODEL_DIR) -> bool:
    return (folder / "ner" / "model").is_file()


def add_model_orgs(nlp: Language, folder: Path = MODEL_DIR) -> None:
    """Add the trained ``ner`` (as ``ner_orgs``) and the component that turns its ORG spans into
    candidates, before the span writer."""
    if not model_available(folder):
        raise FileNotFoundError(f"{folder}: no trained ORG model here; run `make train` (see README)")
    ner = nlp.add_pipe("ner", name=NER_PIPE, config=NER_CONFIG, before="pipeline_entity_spans")
    ner.from_disk(folder / "ner", exclude=["vocab"])
    nlp.add_pipe("pipeline_model_orgs", before="pipeline_entity_spans")


_NOT_IN_A_NAME = re.compile(r"[：:/@。、，,.…「」『』（）()・]|\d|^[a-z]")
_MARKS = frozenset(BULLET_MARKS + HEADING_MARKERS + CAPTION_MARKS)


def _looks_like_a_name(classes: str, text: str) -> bool:
    """Model spans the name rules would also accept as a name's shape: a noun compound with a
    proper noun, an unknown katakana word or a Latin word in it (not ITツール（ソフトウェア, P.12)."""
    return (
        all(c in NOUNISH for c in classes)
        and any(c in NAMEISH for c in classes)
        and not _NOT_IN_A_NAME.search(text)
        and not _MARKS & set(text)
    )


@Language.factory("pipeline_model_orgs", assigns=["doc._.candidates"])
def make_model_orgs(nlp: Language, name: str) -> ModelOrgs:
    return ModelOrgs()


class ModelOrgs:
    """ORG spans of the statistical model as low-priority candidates (``rule = "model"``)."""

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Candidate]:
        found: list[Candidate] = []
        info = token_info(doc)
        for span in doc.ents:
            if span.label_ != "ORG" or len(span.text.strip()) < MIN_MODEL_CHARS:
                continue
            if not _looks_like_a_name(info.cls[span.start:span.end], span.text):
                continue
            found.append(Candidate("ORG", span.start_char, span.end_char, span.text, type="other", rule="model",
                                   priority=PRIORITY["model"]))
        return found

    def set_annotations(self, doc: Doc, candidates: list[Candidate]) -> None:
        candidates_of(doc).extend(candidates)
