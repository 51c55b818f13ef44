"""``tokens.csv``: one row per token of every text unit (written with ``--tokens``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.export.csvfile import write_csv
from pipeline.model import Token

TOKEN_CSV_NAME = "tokens.csv"
TOKEN_CSV_HEADER = ("doc_id", "para_id", "sentence", "i", "surface", "lemma", "pos", "reading", "tag")


def write_tokens(doc_id: str, tokens: Iterable[Token], out_dir: Path) -> str:
    """Write ``tokens.csv`` (UTF-8 with BOM) into ``out_dir``; returns the file name."""
    rows = (
        (doc_id, t.para_id, t.sentence, t.index, t.surface, t.lemma, t.pos, t.reading, t.tag) for t in tokens
    )
    write_csv(out_dir / TOKEN_CSV_NAME, TOKEN_CSV_HEADER, rows)
    return TOKEN_CSV_NAME
