"""``python -m pipeline review DOC_ID``: write (and open) the review page of an extracted document."""

from __future__ import annotations

import argparse
import json
import sys
import webbrowser
from pathlib import Path

from pipeline.review import REVIEW_NAME, ReviewConfig, write_review
from pipeline.sources import file_sha256

EXIT_OK = 0
EXIT_USAGE = 2


class ReviewError(Exception):
    """Why the page cannot be written; the message names the document and what to do."""


def add_review_command(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review",
        help="write OUT/<doc_id>/review.html: the pages with the extraction drawn over them",
        description=(
            "Write OUT/DOC_ID/review.html from OUT/DOC_ID/document.json and the input PDF (found through "
            "OUT/manifest.json in the --input folders): every page as a picture with each block, table "
            "grid and entity mention drawn over it, and a sidebar with the section tree, the tables and the "
            "entities. One self-contained file that works offline."
        ),
    )
    review.add_argument("doc_id", metavar="DOC_ID", help="the document's folder name under OUT")
    review.add_argument("-o", "--output", type=Path, default=Path("extracted"), metavar="OUT",
                        help="the output folder of `extract` (default: extracted/)")
    review.add_argument("--input", type=Path, action="append", default=[], metavar="DIR", dest="input_dirs",
                        help="folder the document's input was extracted from (repeatable; default: raw/)")
    review.add_argument("--no-images", action="store_true",
                        help="leave the page pictures out (no input PDF needed; boxes over blank pages)")
    review.add_argument("--open", action="store_true", help="open the page in the default browser")


def run_review(args: argparse.Namespace) -> int:
    try:
        path = review_document(args.output, args.doc_id, args.input_dirs or [Path("raw")], not args.no_images)
    except ReviewError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    if args.open:
        webbrowser.open(path.resolve().as_uri())
    return EXIT_OK


def review_document(out_root: Path, doc_id: str, input_dirs: list[Path], images: bool = True,
                    config: ReviewConfig | None = None) -> Path:
    """Write the review page of one extracted document; raises ReviewError with the reason."""
    folder = out_root / doc_id
    document_path = folder / "document.json"
    if not document_path.is_file():
        raise ReviewError(f"no extraction of {doc_id!r} in {out_root} (run `make extract` first; "
                          f"the doc_ids are the folder names under {out_root})")
    document = json.loads(document_path.read_text(encoding="utf-8"))
    pdf = None
    if images and document["metadata"].get("kind", "pdf") == "pdf":
        pdf = find_source(out_root, document, input_dirs)
    return write_review(document, pdf, folder, config)


def find_source(out_root: Path, document: dict, input_dirs: list[Path]) -> Path:
    """The input PDF of an extracted document, checked by its sha256 (the pictures must be of
    the very file the extraction was made from)."""
    metadata = document["metadata"]
    keys = [metadata["file_name"]]
    manifest = out_root / "manifest.json"
    if manifest.is_file():
        entries = json.loads(manifest.read_text(encoding="utf-8")).get("documents", [])
        keys = [e["file"] for e in entries if e.get("doc_id") == document["doc_id"]] + keys
    candidates = [folder / key for folder in input_dirs for key in keys] + [Path(key) for key in keys]
    for candidate in candidates:
        if candidate.is_file() and file_sha256(candidate) == metadata["sha256"]:
            return candidate
    looked = ", ".join(str(folder) for folder in input_dirs)
    raise ReviewError(f"the input of {document['doc_id']!r} ({keys[0]}, sha256 {metadata['sha256'][:12]}…) is not in "
                      f"{looked} or has changed since it was extracted; give its folder with --input, or use "
                      f"--no-images")


__all__ = ["REVIEW_NAME", "ReviewError", "add_review_command", "review_document", "run_review"]
