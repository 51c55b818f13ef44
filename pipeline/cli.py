"""Command line: arguments in, a batch run or tagged text out (no logic of its own).

Exit codes: 0 all files ok, 1 some files failed, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.batch import BatchOptions, OutputLocked, run_batch
from pipeline.batch.dask_pool import DaskUnavailable
from pipeline.batch.options import EXECUTORS
from pipeline.config import READERS, PipelineConfig
from pipeline.export.formats import FormatError, parse_formats
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.user_gazetteer import GazetteerError, read_user_gazetteers
from pipeline.review.command import add_review_command, run_review
from pipeline.settings import SettingError
from pipeline.version import __version__

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

EXIT_STATUS_HELP = (
    "exit status: 0 all files ok, 1 some files failed, 2 usage error, 130 interrupted. "
    "Unchanged files that were skipped count as ok; failures are listed with their reason in "
    "OUT/manifest.json; a usage error is a bad option, a missing input or an output folder in use by "
    "another run; after an interrupt (Ctrl-C, SIGTERM) finished documents are kept and recorded and the "
    "others keep their earlier outputs."
)


def _whole_number(text: str, minimum: int, meaning: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be {meaning}: {text!r}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1, "at least 1")


def _jobs(text: str) -> int:
    return _whole_number(text, 0, "0 (one per CPU) or more")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more: {text!r}")
    return value


def _formats(text: str) -> tuple[str, ...]:
    try:
        return parse_formats(text)
    except FormatError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jp-report-extract",
        description="Turn Japanese public-sector report PDFs into clean datasets.",
        epilog=EXIT_STATUS_HELP,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_extract_command(commands)
    _add_tag_command(commands)
    add_review_command(commands)
    return parser


def _add_extract_command(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser(
        "extract",
        help="extract PDFs and .txt files into one folder per document",
        description=(
            "Extract PDF and .txt inputs into OUT/<doc_id>/ plus OUT/manifest.json. Each file runs in a "
            "worker process: a bad file is recorded with its reason and the others carry on. Each "
            "document folder is written under OUT/.staging/ and renamed into place only when complete. Files whose "
            "sha256 and pipeline version are unchanged since the last run are skipped. Run times go to "
            "OUT/run_log.jsonl, never into the data files."
        ),
        epilog=EXIT_STATUS_HELP,
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
        "-j", "--jobs", type=_jobs, default=0, metavar="N",
        help="process N files at a time in worker processes; 0 means one per CPU (default: 0). "
        "Outputs are the same for any N",
    )
    extract.add_argument(
        "--timeout", type=_seconds, default=BatchOptions.timeout_seconds, metavar="SECONDS",
        help="stop a file that takes more processing (CPU) time than this and record it as timed out; "
        "0 means no limit "
        f"(default: {BatchOptions.timeout_seconds:g})",
    )
    extract.add_argument(
        "--max-pages", type=_positive_int, default=PipelineConfig.max_pages, metavar="N",
        help=f"fail files with more than N pages (default: {PipelineConfig.max_pages})",
    )
    extract.add_argument(
        "--tokens", action="store_true",
        help="also write tokens.csv per document (doc_id, para_id, sentence, i, surface, lemma, pos, reading, tag; large)",
    )
    _add_format_option(extract)
    _add_gazetteer_option(extract)
    _add_review_option(extract)
    _add_executor_options(extract)
    _add_reader_option(extract)
    extract.add_argument(
        "--force", action="store_true",
        help="process every file again, even when its sha256 and the pipeline version are unchanged",
    )
    extract.add_argument(
        "--prune", action="store_true",
        help="delete the output folders of inputs that are gone (by default they are kept and reported)",
    )
    extract.add_argument(
        "-q", "--quiet", action="store_true", help="print only failures and the summary",
    )
    extract.add_argument(
        "--no-progress", action="store_true",
        help="plain log lines even on a terminal (progress bars are shown only when stderr is a terminal)",
    )


def _add_executor_options(extract: argparse.ArgumentParser) -> None:
    extract.add_argument(
        "--executor", choices=EXECUTORS, default="processes",
        help="where files run: processes (worker processes on this machine, --jobs) or dask (the workers of a "
        "Dask cluster, --scheduler; needs the [dask] extra and a folder all machines share) (default: processes)",
    )
    extract.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="with --executor dask: the scheduler (tcp://HOST:8786), or local:N to start a cluster of N worker "
        "processes on this machine",
    )


def _add_reader_option(extract: argparse.ArgumentParser) -> None:
    extract.add_argument(
        "--reader", choices=READERS, default=PipelineConfig.reader,
        help="how PDF pages are read: pdfplumber (pdfminer; the reference), pdfium (PDFium: faster) or auto "
        "(PDFium, and pdfplumber for a page PDFium cannot read or draws without its text) (default: pdfplumber)",
    )


def _add_review_option(extract: argparse.ArgumentParser) -> None:
    extract.add_argument(
        "--review", action="store_true",
        help="also write review.html per document: its pages with the extraction drawn over them (see `review`)",
    )


def _add_gazetteer_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--gazetteer", action="append", default=[], metavar="FILE.csv", dest="gazetteers",
        help="your own organizations and programs (CSV: label,name,aliases,type; or a folder of such CSVs); "
        "repeatable. Their names win over the rules. A gazetteers/ folder in the current folder is read too, "
        "and editing any of them redoes the files on the next run",
    )


def _add_format_option(extract: argparse.ArgumentParser) -> None:
    extract.add_argument(
        "--format", type=_formats, default=BatchOptions.formats, metavar="FORMATS", dest="formats",
        help="formats of the corpus-wide tables, comma-separated: csv (always written, with datapackage.json) "
        "and parquet (also OUT/<name>.parquet; needs pyarrow). Without parquet, Parquet files of an earlier run "
        "are removed (default: csv)",
    )


def _add_tag_command(commands: argparse._SubParsersAction) -> None:
    tag = commands.add_parser(
        "tag",
        help="print the entities found in a piece of text as JSON lines",
        description="Tag TEXT (or standard input when TEXT is absent or '-') and print one JSON line per "
        "entity mention: label, text, value, fields (type, approx, bound, fiscal…) and char offsets.",
    )
    tag.add_argument("text", nargs="*", metavar="TEXT", help="text to tag; several words are joined by spaces")
    _add_gazetteer_option(tag)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    if args.command == "extract":
        return _extract(args)
    if args.command == "tag":
        return _tag(args)
    if args.command == "review":
        return run_review(args)
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def _extract(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.inputs if not p.exists()]
    if missing:
        print(f"error: input not found: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if args.output.exists() and not args.output.is_dir():
        print(f"error: output {args.output} exists and is not a folder", file=sys.stderr)
        return EXIT_USAGE
    gazetteers = _gazetteers(args.gazetteers)
    if isinstance(gazetteers, str):
        print(f"error: {gazetteers}", file=sys.stderr)
        return EXIT_USAGE
    config = PipelineConfig(max_pages=args.max_pages, write_tokens=args.tokens, write_review=args.review,
                            reader=args.reader, entities=EntityConfig(gazetteers=gazetteers))
    try:
        options = BatchOptions(
            jobs=args.jobs, timeout_seconds=args.timeout or None, force=args.force, prune=args.prune,
            quiet=args.quiet, progress=False if args.no_progress else None, formats=args.formats,
            executor=args.executor, scheduler=args.scheduler,
        )
    except SettingError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        entries = run_batch(list(args.inputs), args.output, config, options=options)
    except (OutputLocked, FormatError, DaskUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OSError as error:
        print(f"error: cannot write to {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_SOME_FAILED if any(e.status == "failed" for e in entries) else EXIT_OK


DEFAULT_GAZETTEER_FOLDER = Path("gazetteers")
"""Read by default when it exists in the current folder (the project root)."""


def _gazetteers(named: list[str]) -> tuple[str, ...] | str:
    """The user gazetteers to read (named ones, then gazetteers/), or what is wrong with them."""
    default = DEFAULT_GAZETTEER_FOLDER
    has_lists = default.is_dir() and any(p.suffix.lower() == ".csv" for p in default.iterdir())
    paths = [*named, *([str(default)] if has_lists else [])]
    try:
        read_user_gazetteers(paths)  # checked once here, so a bad list stops the run before any file
    except GazetteerError as error:
        return str(error)
    return tuple(paths)


def _tag(args: argparse.Namespace) -> int:
    from pipeline.nlp.pipeline import build_nlp, tag_text  # noqa: PLC0415

    text = " ".join(args.text) if args.text and args.text != ["-"] else sys.stdin.read()
    if not text.strip():
        print("error: no text to tag (give TEXT or pipe it on standard input)", file=sys.stderr)
        return EXIT_USAGE
    gazetteers = _gazetteers(args.gazetteers)
    if isinstance(gazetteers, str):
        print(f"error: {gazetteers}", file=sys.stderr)
        return EXIT_USAGE
    config = EntityConfig(gazetteers=gazetteers)
    nlp = build_nlp(config)
    for row in tag_text(text, nlp, config):
        print(json.dumps(row, ensure_ascii=False))
    return EXIT_OK
