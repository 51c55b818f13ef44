"""Which formats the corpus-wide tables are written in: CSV always, Parquet on request."""

from __future__ import annotations

import importlib.util

FORMATS = ("csv", "parquet")
DEFAULT_FORMATS = ("csv",)
PARQUET_INSTALL = 'pip install -e ".[parquet]"'


class FormatError(ValueError):
    """An unknown output format, or one whose library is not installed."""


def parse_formats(text: str) -> tuple[str, ...]:
    """``"csv,parquet"`` → ``("csv", "parquet")``: known names, each once, CSV always included
    (the data package and the Parquet files are made from the CSVs)."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    return check_formats(names)


def check_formats(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The formats in canonical order; raises FormatError for an unknown or empty list."""
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise FormatError(f"unknown format {', '.join(map(repr, unknown)) or '(none)'}; choose from {', '.join(FORMATS)}")
    return tuple(name for name in FORMATS if name in names or name == "csv")


def require_parquet() -> None:
    """Raise FormatError with the install command when pyarrow (Parquet's library) is missing."""
    if importlib.util.find_spec("pyarrow") is None:
        raise FormatError(f"Parquet output needs pyarrow, which is not installed: {PARQUET_INSTALL}")
