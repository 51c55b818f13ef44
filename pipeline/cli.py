"""Command line: parse arguments, call the driver, print. Exit codes: 0 all ok, 1 some failed, 2 usage error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.driver import PipelineConfig, run_batch

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jp-report-extract",
        description="Turn Japanese public-sector report PDFs into clean datasets.",
        epilog="Exit status: 0 all files ok, 1 some files failed, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    extract = commands.add_parser(
        "extract",
        help="extract PDFs and .txt files into one folder per document",
        description="Extract PDF and .txt inputs into OUT/<doc_id>/ plus OUT/manifest.json.",
    )
    extract.add_argument(
        "inputs", nargs="*", type=Path, default=[Path("raw")], metavar="INPUT",
        help="PDF or .txt files, or folders searched recursively for them (default: raw/)",
    )
    extract.add_argument(
        "-o", "--output", type=Path, default=Path("extracted"), metavar="OUT",
        help="output folder (default: extracted/)",
    )
    extract.add_argument(
        "--max-pages", type=int, default=PipelineConfig.max_pages, metavar="N",
        help=f"fail files with more than N pages (default: {PipelineConfig.max_pages})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    if args.command == "extract":
        missing = [str(p) for p in args.inputs if not p.exists()]
        if missing:
            print(f"error: input not found: {', '.join(missing)}", file=sys.stderr)
            return EXIT_USAGE
        config = PipelineConfig(max_pages=args.max_pages)
        entries = run_batch(list(args.inputs), args.output, config)
        return EXIT_SOME_FAILED if any(e.status != "ok" for e in entries) else EXIT_OK
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE
