"""`make eval`: run the pipeline on the reference corpus and score it against the gold files.

Skipped, with a message, when the reference corpus (``../shared/corpus``) is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.config import PipelineConfig
from pipeline.convert import Converter, write_outputs
from pipeline.model import MARGIN_KINDS, Document
from pipeline.nlp.units import text_units
from pipeline.sources import file_sha256, safe_doc_id
from tools.evaluation.structure import (
    read_paragraph_texts,
    read_sections_csv,
    running_text_leaks,
    score_paragraphs,
    score_sections,
)
from tools.evaluation.entities import ginza_available, ginza_entities, micro_average, score_entities
from tools.evaluation.tables import score_tables

TARGETS = {
    "heading_f1": 0.95,
    "parent_accuracy": 0.95,
    "page_accuracy": 0.95,
    "paragraphs_verbatim": 0.97,
}
TABLE_TARGETS = {"recall": 1.0, "precision": 1.0, "cell_accuracy": 0.98, "caption_accuracy": 0.9,
                 "header_row_accuracy": 0.9}
ENTITY_TARGETS = {"YEAR": 0.97, "MONEY": 0.97, "ORG": 0.90, "PROGRAM": 0.85}


def evaluate_seed(seed_dir: Path, converter: Converter) -> dict[str, Any]:
    """Extract the seed replica and score structure, paragraphs and tables."""
    pdf = next(iter(sorted(seed_dir.glob("*.pdf"))))
    doc = converter.convert(pdf, safe_doc_id(pdf), file_sha256(pdf)).doc
    report = _score_structure(doc, pdf, seed_dir)
    if (seed_dir / "gold_tables" / "index.json").exists():
        report["tables"] = score_tables(doc.tables, seed_dir / "gold_tables")
    return report


def _score_structure(doc: Document, pdf: Path, seed_dir: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        write_outputs(doc, out)
        sections = read_sections_csv(out / "sections.csv")
        paragraphs = read_paragraph_texts(out / "paragraphs.csv")
    gold_structure = json.loads((seed_dir / "gold_structure.json").read_text(encoding="utf-8"))
    gold_blocks = json.loads((seed_dir / "gold_blocks.json").read_text(encoding="utf-8"))
    margins = [b.text for b in doc.blocks if b.kind in MARGIN_KINDS]
    return {
        "document": pdf.name,
        "sections": score_sections(sections, gold_structure),
        "paragraphs": score_paragraphs(paragraphs, gold_blocks),
        "running_text_in_paragraphs": running_text_leaks(paragraphs, margins),
    }


def evaluate_entities(corpus: Path, converter: Converter, with_ginza: bool) -> dict[str, Any]:
    """Score every document that has a gold entity inventory (``corpus/**/gold_entities.json``)."""
    documents: list[dict[str, Any]] = []
    for gold_path in sorted(corpus.rglob("gold_entities.json")):
        pdfs = sorted(gold_path.parent.glob("*.pdf"))
        if not pdfs:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pdf = pdfs[0]
        doc = converter.convert(pdf, safe_doc_id(pdf), file_sha256(pdf)).doc
        entry: dict[str, Any] = {"document": pdf.name, "ours": score_entities(doc.entities, gold)}
        if with_ginza:
            texts = [unit.text for unit in text_units(doc)]
            entry["ginza"] = score_entities(ginza_entities(texts), gold)
        documents.append(entry)
    result: dict[str, Any] = {"documents": documents}
    if documents:
        result["corpus"] = micro_average([d["ours"] for d in documents])
        if with_ginza:
            result["corpus_ginza"] = micro_average([d["ginza"] for d in documents])
    return result


def print_tables(scores: dict[str, Any]) -> bool:
    print("== tables (gold_tables/index.json)")
    print(f"gold {scores['gold_tables']}, predicted {scores['predicted_tables']}, found {scores['found']}; "
          f"cells compared {scores['cells_compared']}, captions compared {scores['captions_compared']}")
    ok = True
    for name, target in TABLE_TARGETS.items():
        met = scores[name] >= target
        ok &= met
        print(f"  {name:22} {scores[name]:.4f}  target >= {target}  {'ok' if met else 'MISSED'}")
    print(f"  kind_accuracy          {scores['kind_accuracy']:.4f}; continuation_accuracy {scores['continuation_accuracy']:.4f}")
    for label in ("misses", "spurious", "cell_errors", "header_errors", "caption_errors"):
        if scores[label]:
            print(f"  {label}: {json.dumps(scores[label][:8], ensure_ascii=False)}")
    return ok


def print_entities(result: dict[str, Any]) -> bool:
    ok = True
    for entry in result["documents"]:
        print(f"== entities: {entry['document']} (gold_entities.json)")
        ginza = entry.get("ginza")
        for label, target in ENTITY_TARGETS.items():
            ours = entry["ours"][label]
            met = ours["f1"] >= target
            ok &= met
            beside = f"   GiNZA F1 {ginza[label]['f1']:.3f}" if ginza else ""
            print(f"  {label:8} P {ours['precision']:.3f} R {ours['recall']:.3f} F1 {ours['f1']:.3f}  "
                  f"target >= {target}  {'ok' if met else 'MISSED'}{beside}")
            for kind in ("missed", "spurious"):
                if ours.get(kind):
                    print(f"      {kind}: " + " | ".join(str(x) for x in ours[kind][:12]))
    if not result["documents"]:
        print("== entities: no document with a gold inventory found")
    elif "corpus_ginza" not in result:
        print("  (GiNZA comparison: install the optional extra [ginza] to score it side by side)")
    return ok


def print_report(report: dict[str, Any]) -> bool:
    """Print the scores beside their targets; True when every target is met."""
    sections = report["sections"]
    paragraphs = report["paragraphs"]
    figures = {
        "heading_f1": sections["f1"],
        "parent_accuracy": sections["parent_accuracy"],
        "page_accuracy": sections["page_accuracy"],
        "paragraphs_verbatim": paragraphs["verbatim"],
    }
    print(f"== {report['document']}: section tree and paragraphs")
    print(f"headings: gold {sections['gold']}, predicted {sections['predicted']}, matched {sections['matched']}; "
          f"precision {sections['precision']:.3f} recall {sections['recall']:.3f}")
    ok = True
    for name, value in figures.items():
        met = value >= TARGETS[name]
        ok &= met
        print(f"  {name:22} {value:.4f}  target >= {TARGETS[name]}  {'ok' if met else 'MISSED'}")
    print(f"  paragraphs verbatim without the text policy: {paragraphs['verbatim_raw']:.4f}; "
          f"ignoring all spaces: {paragraphs['ignoring_spaces']:.4f} ({paragraphs['sentences']} gold sentences)")
    leaks = report["running_text_in_paragraphs"]
    print(f"  running header/footer/page-number text inside paragraphs: {len(leaks)}")
    ok &= not leaks
    for label, items in (("missed headings", sections["missed"]), ("spurious headings", sections["spurious"]),
                         ("wrong parent", sections["wrong_parent"]), ("wrong page", sections["wrong_page"]),
                         ("sentences not found", paragraphs["not_found"])):
        if items:
            print(f"  {label}: " + " | ".join(items[:10]))
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the pipeline against the reference corpus gold files.")
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding corpus/")
    parser.add_argument("--json", type=Path, help="also write the full report as JSON here")
    parser.add_argument("--no-ginza", action="store_true", help="skip the GiNZA comparison even when installed")
    args = parser.parse_args(argv)
    seed_dir = args.shared / "corpus" / "seed"
    if not (seed_dir / "gold_structure.json").exists():
        print(f"eval skipped: reference corpus not found at {seed_dir} (it is not part of a clone)")
        return 0
    converter = Converter(PipelineConfig())
    report = evaluate_seed(seed_dir, converter)
    ok = print_report(report)
    if "tables" in report:
        ok &= print_tables(report["tables"])
    report["entities"] = evaluate_entities(args.shared / "corpus", converter, ginza_available() and not args.no_ginza)
    ok &= print_entities(report["entities"])
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
