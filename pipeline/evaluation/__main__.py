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

from pipeline.driver import PipelineConfig, build_document, write_outputs
from pipeline.evaluation.structure import (
    read_paragraph_texts,
    read_sections_csv,
    running_text_leaks,
    score_paragraphs,
    score_sections,
)
from pipeline.readers import file_sha256, safe_doc_id

TARGETS = {
    "heading_f1": 0.95,
    "parent_accuracy": 0.95,
    "page_accuracy": 0.95,
    "paragraphs_verbatim": 0.97,
}


def evaluate_seed(seed_dir: Path, config: PipelineConfig) -> dict[str, Any]:
    """Extract the seed replica and score structure and paragraphs."""
    pdf = next(iter(sorted(seed_dir.glob("*.pdf"))))
    doc = build_document(pdf, safe_doc_id(pdf), file_sha256(pdf), config)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        write_outputs(doc, out)
        sections = read_sections_csv(out / "sections.csv")
        paragraphs = read_paragraph_texts(out / "paragraphs.csv")
    gold_structure = json.loads((seed_dir / "gold_structure.json").read_text(encoding="utf-8"))
    gold_blocks = json.loads((seed_dir / "gold_blocks.json").read_text(encoding="utf-8"))
    margins = [b.text for b in doc.blocks if b.kind in ("header", "footer", "page_number")]
    return {
        "document": pdf.name,
        "sections": score_sections(sections, gold_structure),
        "paragraphs": score_paragraphs(paragraphs, gold_blocks),
        "running_text_in_paragraphs": running_text_leaks(paragraphs, margins),
    }


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
    args = parser.parse_args(argv)
    seed_dir = args.shared / "corpus" / "seed"
    if not (seed_dir / "gold_structure.json").exists():
        print(f"eval skipped: reference corpus not found at {seed_dir} (it is not part of a clone)")
        return 0
    config = PipelineConfig()
    report = evaluate_seed(seed_dir, config)
    ok = print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
