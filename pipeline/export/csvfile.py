"""CSV writing shared by every exporter: UTF-8 with BOM, RFC 4180 quoting, CRLF rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
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
