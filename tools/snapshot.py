"""Store the pipeline's outputs on a fixed set of inputs, or compare them with a stored set.

A refactoring must not change what users get. ``snapshot.py save DIR`` runs the command
line (``python -m pipeline extract``, tokens included) over the committed sample and every
PDF of the reference corpus (seed and real) into ``DIR``; ``snapshot.py compare DIR`` runs
it again into a temporary folder and lists every file that differs, byte for byte.
Run timings (``run_log.jsonl``) are not data and are left out.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_DATA = {"run_log.jsonl", ".lock"}


def snapshot_inputs(shared: Path) -> list[Path]:
    """The sample in raw/ plus every PDF of the reference corpus."""
    corpus = shared / "corpus"
    return (
        sorted((ROOT / "raw").glob("*.pdf"))
        + sorted((corpus / "seed").glob("*.pdf"))
        + sorted((corpus / "real").glob("*.pdf"))
    )


def extract(inputs: list[Path], out: Path, jobs: int) -> None:
    """Run the command line as a user does, with tokens, into ``out``."""
    command = [sys.executable, "-m", "pipeline", "extract", *map(str, inputs), "-o", str(out),
               "--tokens", "--force", "--no-progress", "-q", "-j", str(jobs), "--timeout", "0"]
    subprocess.run(command, cwd=ROOT, check=False)


def data_files(folder: Path) -> list[Path]:
    return sorted(
        p.relative_to(folder) for p in folder.rglob("*")
        if p.is_file() and p.name not in NOT_DATA and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def differences(expected: Path, actual: Path) -> list[str]:
    """Files missing on either side or differing in content."""
    left, right = set(data_files(expected)), set(data_files(actual))
    problems = [f"only in the stored snapshot: {p}" for p in sorted(left - right)]
    problems += [f"new file: {p}" for p in sorted(right - left)]
    problems += [
        f"differs: {p}" for p in sorted(left & right) if not filecmp.cmp(expected / p, actual / p, shallow=False)
    ]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("folder", type=Path, help="where the snapshot is stored")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder holding corpus/")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    inputs = snapshot_inputs(args.shared)
    if args.action == "save":
        if args.folder.exists():
            shutil.rmtree(args.folder)
        extract(inputs, args.folder, args.jobs)
        print(f"{len(data_files(args.folder))} files stored in {args.folder} from {len(inputs)} inputs")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        extract(inputs, out, args.jobs)
        problems = differences(args.folder, out)
    for line in problems:
        print(line)
    print(f"{len(problems)} differences" if problems else "identical: every output matches the snapshot byte for byte")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
