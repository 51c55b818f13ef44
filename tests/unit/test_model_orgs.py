"""The statistical ORG model: training on a corpus in the Stockmark format and using it beside
the rules (a tiny corpus written for the test; the real one is in ../shared, not in a clone)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.nlp.config import EntityConfig
from pipeline.nlp.model_orgs import _looks_like_a_name, model_available
from pipeline.nlp.pipeline import build_nlp, tag_text
from tools.train_ner import train

SENTENCES = [
    ("Norvexは新しい工場を建てた。", "Norvex", "法人名"),
    ("Talmiraが製品を発表した。", "Talmira", "法人名"),
    ("Quenzoは東京に本社を置く。", "Quenzo", "法人名"),
    ("山田花子は大阪で生まれた。", "山田花子", "人名"),
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    items = []
    for number in range(80):
        text, name, kind = SENTENCES[number % len(SENTENCES)]
        start = text.index(name)
        items.append({"curid": str(number), "text": text,
                      "entities": [{"name": name, "span": [start, start + len(name)], "type": kind}]})
    corpus = folder / "ner.json"
    corpus.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    report = train(corpus, folder / "out", max_epochs=8, patience=8)
    assert report["sentences_train"] == 72 and report["sentences_held_out"] == 8
    return folder / "out"


def test_training_writes_the_model_with_its_licence_and_report(trained: Path) -> None:
    assert model_available(trained)
    assert "CC-BY-SA 3.0" in (trained / "LICENSE.md").read_text(encoding="utf-8")
    report = json.loads((trained / "training.json").read_text(encoding="utf-8"))
    assert report["best_epoch"] >= 1 and report["history"]


def test_the_model_proposes_orgs_the_rules_do_not_know(trained: Path) -> None:
    config = EntityConfig(org_rules=False, statistical_orgs=True, model_dir=str(trained))
    rows = tag_text("Norvexは新しい工場を建てた。", build_nlp(config), config)
    assert [(r["text"], r["rule"]) for r in rows if r["label"] == "ORG"] == [("Norvex", "model")]


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make train"):
        build_nlp(EntityConfig(statistical_orgs=True, model_dir=str(tmp_path)))


@pytest.mark.parametrize(
    ("classes", "text", "ok"),
    [("P", "ミナトラボ", True), ("NN", "活用事例", False), ("LL", "P.12", False), ("KNS", "ITツール（ソフト", False)],
)
def test_model_spans_need_the_shape_of_a_name(classes: str, text: str, ok: bool) -> None:
    assert _looks_like_a_name(classes, text) is ok
