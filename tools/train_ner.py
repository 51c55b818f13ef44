"""Train the statistical ORG recognizer on the Stockmark Wikipedia NER corpus (``make train``).

The corpus (``../shared/datasets/ner-wikipedia/ner.json``, CC-BY-SA 3.0, Stockmark Inc.) is
tokenized with our fugashi tokenizer, so the model sees the tokens it will see in reports. All
eight entity types are trained (法人名, 政治的組織名 and その他の組織名 as ORG; 人名, 地名, 製品名,
施設名, イベント名 under their own labels), because telling an organization from a place or a
product is what the model has to learn; only ORG is used in the pipeline.

One sentence in ten (every tenth, fixed) is held out to choose the number of epochs; the random
seed is fixed, so the same corpus gives the same model. The result is written to
``pipeline/data/ner_model/`` (the spaCy ``ner`` component only, with its licence and credit).

    python -m tools.train_ner --data ../shared/datasets/ner-wikipedia/ner.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Span
from spacy.training import Example
from spacy.util import filter_spans, minibatch

from pipeline.nlp.model_orgs import MODEL_DIR, NER_CONFIG, write_model_notes
from pipeline.nlp.tokenizer import tokenizer_config

LABELS = {
    "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG", "人名": "PERSON", "地名": "LOC",
    "製品名": "PRODUCT", "施設名": "FACILITY", "イベント名": "EVENT",
}
SEED = 1
HELD_OUT_EVERY = 10
MAX_EPOCHS = 12
PATIENCE = 2
"""Epochs without a better held-out ORG F1 before training stops."""
DROPOUT = 0.2
BATCH_SIZE = 32


def blank_pipeline() -> Language:
    """Our tokenizer and an untrained ``ner`` (the architecture the pipeline loads)."""
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": tokenizer_config()}})
    nlp.add_pipe("ner", config=NER_CONFIG)
    return nlp


def read_examples(nlp: Language, path: Path) -> tuple[list[Example], list[Example], int]:
    """Training and held-out examples, and how many entity spans could not be aligned to tokens."""
    train: list[Example] = []
    held_out: list[Example] = []
    unaligned = 0
    for number, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        doc = nlp.make_doc(item["text"])
        spans = []
        for entity in item["entities"]:
            label = LABELS.get(entity["type"])
            start, end = entity["span"]
            span = doc.char_span(start, end, label=label, alignment_mode="expand") if label else None
            span = _trimmed(span) if span is not None else None
            if span is None:
                unaligned += label is not None
                continue
            spans.append(span)
        entities = [(s.start_char, s.end_char, s.label_) for s in filter_spans(spans)]
        example = Example.from_dict(doc, {"entities": entities})
        (held_out if number % HELD_OUT_EVERY == 0 else train).append(example)
    return train, held_out, unaligned


def _trimmed(span: Span) -> Span | None:
    """The span without white space or punctuation tokens at its edges (the parser cannot learn those)."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_space or span.doc[start].is_punct or not span.doc[start].text.strip()):
        start += 1
    while end > start and (span.doc[end - 1].is_space or span.doc[end - 1].is_punct
                           or not span.doc[end - 1].text.strip()):
        end -= 1
    if end <= start or any(span.doc[k].is_sent_start for k in range(start + 1, end)):
        return None  # (a name across a sentence end cannot be learnt: 「…計画!」キャンペーン)
    return Span(span.doc, start, end, label=span.label_)


def org_f1(nlp: Language, examples: list[Example]) -> float:
    scores = nlp.evaluate(examples)
    return float((scores.get("ents_per_type") or {}).get("ORG", {}).get("f", 0.0))


def train(data: Path, out: Path, max_epochs: int = MAX_EPOCHS, patience: int = PATIENCE) -> dict[str, object]:
    random.seed(SEED)
    spacy.util.fix_random_seed(SEED)
    nlp = blank_pipeline()
    train_examples, held_out, unaligned = read_examples(nlp, data)
    nlp.initialize(lambda: train_examples)
    best, best_epoch, best_bytes = -1.0, 0, b""
    history = []
    for epoch in range(1, max_epochs + 1):
        started = time.perf_counter()
        random.shuffle(train_examples)
        losses: dict[str, float] = {}
        for batch in minibatch(train_examples, size=BATCH_SIZE):
            nlp.update(batch, drop=DROPOUT, losses=losses)
        f1 = org_f1(nlp, held_out)
        history.append({"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 1), "held_out_org_f1": round(f1, 4)})
        print(f"epoch {epoch}: loss {losses.get('ner', 0.0):.1f}, held-out ORG F1 {f1:.4f} "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if f1 > best:
            best, best_epoch, best_bytes = f1, epoch, nlp.get_pipe("ner").to_bytes()
        elif epoch - best_epoch >= patience:
            break
    ner = nlp.get_pipe("ner")
    ner.from_bytes(best_bytes)
    out.mkdir(parents=True, exist_ok=True)
    ner.to_disk(out / "ner")
    report = {
        "corpus": str(data.name), "sentences_train": len(train_examples), "sentences_held_out": len(held_out),
        "unaligned_spans": unaligned, "seed": SEED, "best_epoch": best_epoch, "held_out_org_f1": round(best, 4),
        "history": history,
    }
    write_model_notes(out, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets/ner-wikipedia/ner.json"))
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--epochs", type=int, default=MAX_EPOCHS)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"train_ner: {args.data}: no such file (the Stockmark NER corpus, see README)", file=sys.stderr)
        return 2
    report = train(args.data, args.out, args.epochs)
    print(json.dumps({k: v for k, v in report.items() if k != "history"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
