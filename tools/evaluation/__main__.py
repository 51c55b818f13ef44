"""`make eval`: run the pipeline on the reference corpus and score it against the gold files.

Every document with a gold file is scored: section trees (the seed and ``real/gold/``),
the seed's paragraphs and tables, entity inventories (seed and real). Every PDF of the
corpus also gets a paragraphs.csv audit (chart text, captions and 目次 lines left among
its paragraphs) and its title is compared with the gold's. Skipped, with a message, when
the reference corpus (``../shared/corpus``) is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.config import READERS, PipelineConfig
from pipeline.convert import Converter, write_outputs
from pipeline.model import MARGIN_KINDS, Document
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.model_orgs import model_available
from pipeline.nlp.pipeline import analyze_units, build_nlp
from pipeline.nlp.units import text_units
from pipeline.sources import file_sha256, safe_doc_id
from tools.evaluation.paragraphs import audit_paragraphs, score_title
from tools.evaluation.entities import ginza_available, ginza_entities, micro_average, score_entities
from tools.evaluation.structure import (
    flatten_gold_sections,
    read_paragraph_texts,
    read_sections_csv,
    running_text_leaks,
    score_paragraphs,
    score_sections,
)
from tools.evaluation.facts import micro_facts, score_facts
from tools.evaluation.tables import score_tables

SEED_TARGETS = {"heading_f1": 0.97, "page_accuracy": 0.95, "paragraphs_verbatim": 0.97}
TREE_TARGETS = {"macro_f1": 0.90, "macro_parent_accuracy": 0.85, "min_f1": 0.80}
TABLE_TARGETS = {"recall": 1.0, "precision": 1.0, "cell_accuracy": 0.98, "caption_accuracy": 0.9,
                 "header_row_accuracy": 0.9}
FACT_TARGETS = {"precision": 0.80, "recall": 0.80}
ENTITY_TARGETS = {"YEAR": 0.97, "MONEY": 0.97, "ORG": 0.90, "PROGRAM": 0.85}


class Corpus:
    """The reference corpus: its PDFs and gold files, each PDF extracted once."""

    def __init__(self, root: Path, converter: Converter) -> None:
        self.root = root
        self.converter = converter
        self._documents: dict[Path, Document] = {}

    def document(self, pdf: Path) -> Document:
        if pdf not in self._documents:
            self._documents[pdf] = self.converter.convert(pdf, safe_doc_id(pdf), file_sha256(pdf)).doc
        return self._documents[pdf]

    def gold_files(self, kind: str) -> list[tuple[Path, Path]]:
        """(pdf, gold file) pairs of a kind (``structure``, ``entities``): the seed first, then real/."""
        pairs: list[tuple[Path, Path]] = []
        seed_gold = self.root / "seed" / f"gold_{kind}.json"
        seed_pdfs = sorted((self.root / "seed").glob("*.pdf"))
        if seed_gold.exists() and seed_pdfs:
            pairs.append((seed_pdfs[0], seed_gold))
        for gold in sorted((self.root / "real" / "gold").glob(f"*.gold_{kind}.json")):
            pdf = self.root / "real" / (gold.name.split(".gold_")[0] + ".pdf")
            if pdf.exists():
                pairs.append((pdf, gold))
        return pairs


def sections_of(doc: Document) -> list[dict[str, Any]]:
    """The predicted tree as a user reads it: sections.csv written, then read back."""
    with tempfile.TemporaryDirectory() as folder:
        write_outputs(doc, Path(folder))
        return read_sections_csv(Path(folder) / "sections.csv")


def evaluate_trees(corpus: Corpus) -> dict[str, Any]:
    """Score every gold heading tree; macro figures over the real documents."""
    documents = []
    for pdf, gold_path in corpus.gold_files("structure"):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        score = score_sections(sections_of(corpus.document(pdf)), gold)
        documents.append({"document": pdf.stem, "real": pdf.parent.name == "real", **score})
    real = [d for d in documents if d["real"]]
    macro = {
        "macro_f1": round(sum(d["f1"] for d in real) / len(real), 4) if real else 0.0,
        "macro_parent_accuracy": round(sum(d["parent_accuracy"] for d in real) / len(real), 4) if real else 0.0,
        "min_f1": min((d["f1"] for d in real), default=0.0),
    }
    return {"documents": documents, **macro}


def evaluate_paragraphs(corpus: Corpus) -> dict[str, Any]:
    """The paragraphs.csv audit of every corpus PDF, and each title against its gold."""
    documents = []
    pdfs = sorted((corpus.root / "seed").glob("*.pdf")) + sorted((corpus.root / "real").glob("*.pdf"))
    golds = {pdf.stem: json.loads(gold.read_text(encoding="utf-8")) for pdf, gold in corpus.gold_files("structure")}
    for pdf in pdfs:
        doc = corpus.document(pdf)
        gold = golds.get(pdf.stem, {})
        headings = {key: row["page"] for row in flatten_gold_sections(gold.get("sections", [])) for key in row["keys"]}
        documents.append({
            "document": pdf.stem, "title": doc.title, "title_score": score_title(doc, gold.get("title")),
            **audit_paragraphs(doc, headings),
        })
    rows = sum(d["paragraph_rows"] for d in documents)
    flagged = sum(sum(d["flagged"].values()) for d in documents)
    return {"documents": documents, "flagged_share": round(flagged / rows, 4) if rows else 0.0}


def evaluate_seed(corpus: Corpus) -> dict[str, Any]:
    """The seed replica's paragraphs (verbatim sentences, running text leaks) and tables."""
    seed_dir = corpus.root / "seed"
    pdf = sorted(seed_dir.glob("*.pdf"))[0]
    doc = corpus.document(pdf)
    with tempfile.TemporaryDirectory() as folder:
        write_outputs(doc, Path(folder))
        paragraphs = read_paragraph_texts(Path(folder) / "paragraphs.csv")
    gold_blocks = json.loads((seed_dir / "gold_blocks.json").read_text(encoding="utf-8"))
    margins = [b.text for b in doc.blocks if b.kind in MARGIN_KINDS]
    report: dict[str, Any] = {
        "document": pdf.name,
        "paragraphs": score_paragraphs(paragraphs, gold_blocks),
        "running_text_in_paragraphs": running_text_leaks(paragraphs, margins),
    }
    if (seed_dir / "gold_tables" / "index.json").exists():
        report["tables"] = score_tables(doc.tables, seed_dir / "gold_tables")
    return report


def evaluate_entities(corpus: Corpus, with_ginza: bool) -> dict[str, Any]:
    """Score every document that has a gold entity inventory."""
    documents: list[dict[str, Any]] = []
    for pdf, gold_path in corpus.gold_files("entities"):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = corpus.document(pdf)
        entry: dict[str, Any] = {"document": pdf.stem, "real": pdf.parent.name == "real",
                                 "ours": score_entities(doc.entities, gold)}
        if with_ginza:
            texts = [unit.text for unit in text_units(doc)]
            entry["ginza"] = score_entities(ginza_entities(texts), gold)
        documents.append(entry)
    result: dict[str, Any] = {"documents": documents}
    real = [d for d in documents if d["real"]]
    if real:
        result["real"] = micro_average([d["ours"] for d in real])
        if with_ginza:
            result["real_ginza"] = micro_average([d["ginza"] for d in real])
    return result


def evaluate_facts(corpus: Corpus) -> dict[str, Any]:
    """Score every document that has a gold facts file (the seed's and the real ones)."""
    documents: list[dict[str, Any]] = []
    for pdf, gold_path in corpus.gold_files("facts"):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        entity_path = gold_path.with_name(gold_path.name.replace("gold_facts", "gold_entities"))
        entity_gold = json.loads(entity_path.read_text(encoding="utf-8")) if entity_path.exists() else None
        documents.append({"document": pdf.stem, **score_facts(corpus.document(pdf), gold, entity_gold)})
    return {"documents": documents, "micro": micro_facts(documents)}


def print_facts(result: dict[str, Any], details: bool) -> bool:
    print("== funding facts (gold_facts.json): right = value on the page, with the gold's program, org and year")
    for entry in result["documents"]:
        print(f"  {entry['document'][:28]:28} predicted {entry['n_predicted']:3}  gold {entry['n_gold']:3}  "
              f"found {entry['found']:3}  right {entry['right']:3}")
        if details:
            for kind in ("missed", "spurious"):
                for item in entry[kind]:
                    print(f"      {kind}: {item}")
    micro = result["micro"]
    ok = all(micro[key] >= target for key, target in FACT_TARGETS.items())
    print(f"  micro-averaged: P {micro['precision']:.3f} R {micro['recall']:.3f} F1 {micro['f1']:.3f}  "
          f"target P and R >= {FACT_TARGETS['precision']}  {'ok' if ok else 'MISSED'}")
    return ok


def _met(value: float, target: float) -> str:
    return "ok" if value >= target else "MISSED"


def print_trees(result: dict[str, Any], details: bool) -> bool:
    print("== section trees (gold_structure.json; FORMAT.md rules)")
    print(f"  {'document':28} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'parent':>7}")
    ok = True
    for d in result["documents"]:
        print(f"  {d['document'][:28]:28} {d['gold']:5d} {d['predicted']:5d} {d['precision']:6.3f} "
              f"{d['recall']:6.3f} {d['f1']:6.3f} {d['parent_accuracy']:7.3f}")
        if not d["real"]:
            ok &= d["f1"] >= SEED_TARGETS["heading_f1"]
    for name, target in TREE_TARGETS.items():
        ok &= result[name] >= target
        print(f"  {name:24} {result[name]:.4f}  target >= {target}  {_met(result[name], target)}")
    if details:
        for d in result["documents"]:
            for label in ("missed", "spurious", "wrong_parent"):
                if d[label]:
                    print(f"  {d['document']} {label} ({len(d[label])}): " + " | ".join(d[label][:25]))
    return ok


def print_paragraphs(result: dict[str, Any], details: bool) -> None:
    print("== paragraphs.csv audit: 'paragraph' rows that look like 目次 lines, captions or chart text")
    print(f"  {'document':28} {'rows':>5} {'para':>5} {'toc':>4} {'capt':>4} {'chart':>5} {'share':>6}  "
          "kinds filtered out (toc / figure_text / caption)   title")
    for d in result["documents"]:
        kinds, flags = d["kinds"], d["flagged"]
        print(f"  {d['document'][:28]:28} {d['rows']:5d} {d['paragraph_rows']:5d} {flags['toc']:4d} {flags['caption']:4d} "
              f"{flags['chart_text']:5d} {d['flagged_share']:6.3f}  {kinds.get('toc', 0):4d} / {kinds.get('figure_text', 0):4d} "
              f"/ {kinds.get('caption', 0):4d}   {d['title_score'] or '-'}: {d['title']}")
        if details:
            for flag, examples in d["examples"].items():
                if examples:
                    print(f"      {flag}: " + " | ".join(examples))
    print(f"  all documents: {result['flagged_share']:.4f} of 'paragraph' rows flagged")


def print_seed(report: dict[str, Any]) -> bool:
    paragraphs = report["paragraphs"]
    print(f"== {report['document']}: paragraphs")
    ok = paragraphs["verbatim"] >= SEED_TARGETS["paragraphs_verbatim"]
    print(f"  paragraphs_verbatim    {paragraphs['verbatim']:.4f}  target >= {SEED_TARGETS['paragraphs_verbatim']}  "
          f"{_met(paragraphs['verbatim'], SEED_TARGETS['paragraphs_verbatim'])}")
    print(f"  paragraphs verbatim without the text policy: {paragraphs['verbatim_raw']:.4f}; "
          f"ignoring all spaces: {paragraphs['ignoring_spaces']:.4f} ({paragraphs['sentences']} gold sentences)")
    leaks = report["running_text_in_paragraphs"]
    print(f"  running header/footer/page-number text inside paragraphs: {len(leaks)}")
    if paragraphs["not_found"]:
        print("  sentences not found: " + " | ".join(paragraphs["not_found"][:10]))
    ok &= not leaks
    if "tables" in report:
        ok &= print_tables(report["tables"])
    return ok


def print_tables(scores: dict[str, Any]) -> bool:
    print("== tables (gold_tables/index.json)")
    print(f"gold {scores['gold_tables']}, predicted {scores['predicted_tables']}, found {scores['found']}; "
          f"cells compared {scores['cells_compared']}, captions compared {scores['captions_compared']}")
    ok = True
    for name, target in TABLE_TARGETS.items():
        ok &= scores[name] >= target
        print(f"  {name:22} {scores[name]:.4f}  target >= {target}  {_met(scores[name], target)}")
    print(f"  kind_accuracy          {scores['kind_accuracy']:.4f}; continuation_accuracy {scores['continuation_accuracy']:.4f}")
    for label in ("misses", "spurious", "cell_errors", "header_errors", "caption_errors"):
        if scores[label]:
            print(f"  {label}: {json.dumps(scores[label][:8], ensure_ascii=False)}")
    return ok


REAL_TABLE_TARGETS = {"recall": 1.0, "cell_accuracy": 0.97}
"""Real documents' gold holds only their hard tables, so precision is not scored there."""


def evaluate_real_tables(corpus: Corpus) -> dict[str, Any]:
    """The hand-made gold tables of real reports (``real/gold/tables``), per table and together."""
    gold_dir = corpus.root / "real" / "gold" / "tables"
    if not (gold_dir / "index.json").exists():
        return {}
    pdf_names = sorted({entry["pdf"] for entry in json.loads((gold_dir / "index.json").read_text(encoding="utf-8"))})
    documents = []
    for name in pdf_names:
        pdf = corpus.root / "real" / name
        if pdf.exists():
            documents.append({"pdf": name, **score_tables(corpus.document(pdf).tables, gold_dir, name)})
    found = sum(d["found"] for d in documents)
    gold = sum(d["gold_tables"] for d in documents)
    cells = sum(d["cells_compared"] for d in documents)
    equal = sum(round(d["cell_accuracy"] * d["cells_compared"]) for d in documents)
    return {
        "documents": documents, "gold_tables": gold, "found": found,
        "recall": round(found / gold, 4) if gold else 0.0,
        "cell_accuracy": round(equal / cells, 4) if cells else 0.0, "cells_compared": cells,
    }


def print_real_tables(result: dict[str, Any], details: bool) -> bool:
    if not result:
        return True
    print("== tables of real reports (real/gold/tables)")
    for entry in result["documents"]:
        print(f"  {entry['pdf'][:34]:34} found {entry['found']}/{entry['gold_tables']}  "
              f"cells {entry['cell_accuracy']:.3f} ({entry['cells_compared']})  "
              f"header rows {entry['header_row_accuracy']:.2f}  kind {entry['kind_accuracy']:.2f}  "
              f"continuation {entry['continuation_accuracy']:.2f}")
        for label in ("misses", "cell_errors", "header_errors"):
            if entry[label] and (details or label == "misses"):
                print(f"      {label}: {json.dumps(entry[label][:8], ensure_ascii=False)}")
    ok = True
    for name, target in REAL_TABLE_TARGETS.items():
        ok &= result[name] >= target
        print(f"  {name:22} {result[name]:.4f}  target >= {target}  {_met(result[name], target)}")
    return ok


ORG_VARIANTS = {
    "rules alone": EntityConfig(),
    "model alone": EntityConfig(org_rules=False, statistical_orgs=True),
    "rules + model": EntityConfig(statistical_orgs=True),
}
"""How ORG is found in each variant ``make eval`` compares (the model is the one ``make train`` wrote)."""


def evaluate_org_variants(corpus: Corpus) -> dict[str, Any]:
    """ORG and PROGRAM F1 of the real documents with the rules alone, the trained model alone and both."""
    if not model_available():
        return {}
    pairs = [(pdf, json.loads(gold.read_text(encoding="utf-8"))) for pdf, gold in corpus.gold_files("entities")
             if pdf.parent.name == "real"]
    result: dict[str, Any] = {}
    for variant, config in ORG_VARIANTS.items():
        nlp = build_nlp(config)
        scores = []
        for pdf, gold in pairs:
            units = text_units(corpus.document(pdf))
            scores.append(score_entities(analyze_units(units, nlp, config).entities, gold))  # type: ignore[arg-type]
        result[variant] = {"micro": micro_average(scores), "documents": scores}
    return result


def print_org_variants(result: dict[str, Any]) -> None:
    if not result:
        print("== ORG, rules and model: no trained model (run `make train`)")
        return
    print("== ORG, rules and model (real documents, micro-averaged)")
    for variant, entry in result.items():
        figure = entry["micro"]["ORG"]
        print(f"  {variant:14} P {figure['precision']:.3f} R {figure['recall']:.3f} F1 {figure['f1']:.3f}   "
              "per document: " + " ".join(f"{d['ORG']['f1']:.2f}" for d in entry["documents"]))


def print_entities(result: dict[str, Any], details: bool) -> bool:
    print("== entities (gold_entities.json): F1 per label")
    print(f"  {'document':28} " + " ".join(f"{label:>8}" for label in ENTITY_TARGETS))
    for entry in result["documents"]:
        print(f"  {entry['document'][:28]:28} " + " ".join(f"{entry['ours'][label]['f1']:8.3f}" for label in ENTITY_TARGETS))
        if details:
            for label in ENTITY_TARGETS:
                for kind in ("missed", "spurious"):
                    if entry["ours"][label].get(kind):
                        print(f"      {label} {kind}: " + " | ".join(str(x) for x in entry["ours"][label][kind][:12]))
    ok = True
    if "real" in result:
        print("  real documents, micro-averaged:")
        for label, target in ENTITY_TARGETS.items():
            figure = result["real"][label]
            ok &= figure["f1"] >= target
            beside = f"   GiNZA F1 {result['real_ginza'][label]['f1']:.3f}" if "real_ginza" in result else ""
            print(f"  {label:8} P {figure['precision']:.3f} R {figure['recall']:.3f} F1 {figure['f1']:.3f}  "
                  f"target >= {target}  {_met(figure['f1'], target)}{beside}")
    if not result["documents"]:
        print("  no document with a gold inventory found")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the pipeline against the reference corpus gold files.")
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding corpus/")
    parser.add_argument("--json", type=Path, help="also write the full report as JSON here")
    parser.add_argument("--no-ginza", action="store_true", help="skip the GiNZA comparison even when installed")
    parser.add_argument("--only", choices=("trees", "paragraphs", "seed", "entities", "facts"), action="append",
                        help="score only these parts (repeatable)")
    parser.add_argument("--details", action="store_true", help="list missed and spurious items per document")
    parser.add_argument("--reader", choices=READERS, default="pdfplumber", help="how PDF pages are read")
    args = parser.parse_args(argv)
    root = args.shared / "corpus"
    if not (root / "seed" / "gold_structure.json").exists():
        print(f"eval skipped: reference corpus not found at {root} (it is not part of a clone)")
        return 0
    corpus = Corpus(root, Converter(PipelineConfig(reader=args.reader)))
    parts = set(args.only or ("trees", "paragraphs", "seed", "entities", "facts"))
    report: dict[str, Any] = {}
    ok = True
    if "trees" in parts:
        report["trees"] = evaluate_trees(corpus)
        ok &= print_trees(report["trees"], args.details)
    if "paragraphs" in parts:
        report["paragraphs"] = evaluate_paragraphs(corpus)
        print_paragraphs(report["paragraphs"], args.details)
    if "seed" in parts:
        report["seed"] = evaluate_seed(corpus)
        ok &= print_seed(report["seed"])
    if "seed" in parts:
        report["real_tables"] = evaluate_real_tables(corpus)
        ok &= print_real_tables(report["real_tables"], args.details)
    if "entities" in parts:
        report["entities"] = evaluate_entities(corpus, ginza_available() and not args.no_ginza)
        ok &= print_entities(report["entities"], args.details)
        report["org_variants"] = evaluate_org_variants(corpus)
        print_org_variants(report["org_variants"])
    if "facts" in parts:
        report["facts"] = evaluate_facts(corpus)
        ok &= print_facts(report["facts"], args.details)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
