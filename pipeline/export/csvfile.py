"""CSV writing shared by every exporter: UTF-8 with BOM, RFC 4180 quoting, CRLF rows."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

CellValue = str | int | float | bool | None


def format_cell(value: CellValue) -> str:
    """Render one value the same way every time: empty for None, 1/0 for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> str:
    """The CSV as text (no BOM): header first, RFC 4180 quoting, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([format_cell(v) for v in row])
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> None:
    """Write a CSV that Excel opens with Japanese intact (UTF-8 with BOM)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(header, rows).encode("utf-8"))


@contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """A hidden staging path beside ``target`` to write to: renamed over ``target`` when the
    block ends, removed when it fails, so a reader never sees half a file."""
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        yield staging
        staging.replace(target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def write_csv_atomically(target: Path, header: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> Path:
    """Stream a CSV as ``write_csv`` writes it (BOM, CRLF, RFC 4180), atomically."""
    with atomic_target(target) as staging, staging.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows([format_cell(value) for value in row] for row in rows)
    return target
