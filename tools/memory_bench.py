"""`make bench` (memory part): peak memory and wall time of ``extract`` on one 500-page PDF.

The command line is run exactly as a user runs it (``python -m pipeline extract BIG.pdf -o
TMP --force --jobs 1``) in a subprocess under ``/usr/bin/time -v``, which reports the
maximum resident set size of the largest process of the run (the worker that reads the
pages; the parent stays small) and the wall-clock time. Where ``/usr/bin/time -v`` is
missing (macOS, minimal containers) the fallback is ``resource.getrusage(RUSAGE_CHILDREN)``
after the subprocess ends, which reports the same maximum; the output says which was used.

Without ``--pdf`` the test suite's fixture builder (``tests/fixtures/layout.py``: reportlab
and the IPAex font from japanize-matplotlib, both dev extras) builds the PDF: ``--pages``
pages of a heading, two paragraphs and a footer. With ``--real-pages DIR`` the PDF is made of
the pages of every PDF under DIR instead (in path order, over again until ``--pages``), copied
by PDFium: a long report built from real pages, with their fonts, pictures and tables.
``--readers`` measures the same PDF once per page reader. Run it from the repository root
(``python -m tools.memory_bench``) so that ``tests.fixtures`` can be imported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TIME_BINARY = "/usr/bin/time"
LIMIT_MB = 1024
"""Peak memory allowed for the 500-page case."""

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Measurement:
    pages: int
    peak_kb: int
    wall_seconds: float
    method: str
    """``/usr/bin/time -v`` or ``getrusage(RUSAGE_CHILDREN)``."""
    exit_code: int


def build_fixture_pdf(path: Path, pages: int) -> Path:
    """The many-pages fixture of the test suite (needs the dev extras)."""
    from tests.fixtures.layout import build_many_pages_pdf  # noqa: PLC0415  (dev extras only)

    return build_many_pages_pdf(path, pages)


def build_real_pages_pdf(path: Path, sources: list[Path], pages: int) -> Path:
    """A PDF of ``pages`` pages copied from ``sources`` in turn, each from its first page."""
    import pypdfium2 as pdfium

    if not sources:
        raise ValueError("no PDF to take pages from")
    built = pdfium.PdfDocument.new()
    try:
        while len(built) < pages:
            before = len(built)
            for source in sources:
                wanted = pages - len(built)
                if wanted <= 0:
                    break
                document = pdfium.PdfDocument(str(source))
                try:
                    built.import_pages(document, list(range(min(len(document), wanted))))
                finally:
                    document.close()
            if len(built) == before:
                raise ValueError("the PDFs to take pages from have no pages")
        built.save(str(path))
    finally:
        built.close()
    return path


def _gnu_time_available() -> bool:
    if not os.path.exists(TIME_BINARY):
        return False
    try:
        probe = subprocess.run([TIME_BINARY, "-v", "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0 and "Maximum resident set size" in probe.stderr


def _parse_elapsed(text: str) -> float:
    """'1:02.35' or '1:02:03' (h:mm:ss or m:ss) → seconds."""
    parts = [float(p) for p in text.strip().split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def parse_gnu_time(stderr: str) -> tuple[int, float]:
    """Peak RSS (kB) and wall seconds from the report of ``/usr/bin/time -v``."""
    peak = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)", stderr)
    if not peak or not wall:
        raise ValueError("no 'Maximum resident set size' / 'Elapsed' lines in the output of /usr/bin/time -v")
    return int(peak.group(1)), _parse_elapsed(wall.group(1))


def measure(pdf: Path, out_dir: Path, pages: int, jobs: int = 1, reader: str | None = None) -> Measurement:
    """Run ``extract`` on ``pdf`` in a subprocess and measure it."""
    command = [
        sys.executable, "-m", "pipeline", "extract", str(pdf), "-o", str(out_dir),
        "--force", "--quiet", "--no-progress", "--jobs", str(jobs), "--timeout", "0",
        "--max-pages", str(max(pages, 2000)), *(["--reader", reader] if reader else []),
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    if _gnu_time_available():
        result = subprocess.run([TIME_BINARY, "-v", *command], capture_output=True, text=True, env=env)
        peak_kb, wall = parse_gnu_time(result.stderr)
        return Measurement(pages, peak_kb, wall, f"{TIME_BINARY} -v", result.returncode)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_kb = peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, kB on Linux
    return Measurement(pages, peak_kb, wall, "getrusage(RUSAGE_CHILDREN)", result.returncode)


def _check_outputs(out_dir: Path, pages: int) -> str | None:
    """A problem with the run's outputs, or None when the document came out with every page."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"no readable manifest ({error})"
    documents = manifest.get("documents", [])
    if len(documents) != 1 or documents[0].get("status") != "ok":
        return f"extraction failed: {documents}"
    if documents[0].get("pages") != pages:
        return f"expected {pages} pages, manifest says {documents[0].get('pages')}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="pages of the generated PDF (default: 500)")
    parser.add_argument("--pdf", type=Path, help="measure this PDF instead of generating one")
    parser.add_argument("--real-pages", type=Path, metavar="DIR",
                        help="build the PDF from the pages of the PDFs under DIR (e.g. ../shared/corpus)")
    parser.add_argument("--readers", default="", help="comma-separated --reader values to measure in turn "
                        "(default: extract's default reader)")
    parser.add_argument("--jobs", type=int, default=1, help="--jobs passed to extract (default: 1)")
    parser.add_argument("--limit-mb", type=float, default=LIMIT_MB, help=f"fail above this peak (default: {LIMIT_MB})")
    args = parser.parse_args(argv)
    readers = [r.strip() for r in args.readers.split(",") if r.strip()] or [None]
    failed = False
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as folder:
        work = Path(folder)
        pdf = args.pdf
        pages = args.pages
        if pdf is None and args.real_pages is not None:
            sources = sorted(args.real_pages.rglob("*.pdf"))
            if not sources:
                print(f"memory bench skipped: no PDF under {args.real_pages}")
                return 0
            pdf = build_real_pages_pdf(work / f"real_pages_{pages}.pdf", sources, pages)
            built_from = f"built from the pages of {len(sources)} PDFs under {args.real_pages}"
        elif pdf is None:
            try:
                pdf = build_fixture_pdf(work / f"many_pages_{pages}.pdf", pages)
            except ImportError as error:
                print(f"memory bench skipped: cannot build the {pages}-page PDF without the dev extras ({error}); "
                      "install them (make test does) or pass --pdf")
                return 0
            built_from = "generated"
        else:
            import pdfplumber

            with pdfplumber.open(pdf) as opened:
                pages = len(opened.pages)
            built_from = str(pdf)
        for reader in readers:
            result = measure(pdf, work / "out", pages, args.jobs, reader)
            problem = _check_outputs(work / "out", pages) if result.exit_code == 0 else f"extract exited {result.exit_code}"
            shutil.rmtree(work / "out", ignore_errors=True)
            peak_mb = result.peak_kb / 1024
            print(
                f"memory bench: {pages} pages ({built_from}), --jobs {args.jobs}"
                + (f", --reader {reader}" if reader else "")
                + f": peak memory {peak_mb:.0f} MB (max RSS of the largest process, measured with {result.method}), "
                f"wall time {result.wall_seconds:.1f} s ({result.wall_seconds / max(pages, 1) * 1000:.1f} ms/page); "
                f"limit {args.limit_mb:.0f} MB"
            )
            if problem:
                print(f"memory bench FAILED: {problem}")
                failed = True
            elif peak_mb > args.limit_mb:
                print(f"memory bench FAILED: peak {peak_mb:.0f} MB is over the limit of {args.limit_mb:.0f} MB")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
