"""Open inputs: PDFs through pdfplumber (with clear reasons when they cannot be read) and plain text."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.model import Block, Document, PageInfo, SourceInfo
from pipeline.text import join_wrapped_lines, normalize_text


class InputError(Exception):
    """An input that cannot be processed; the message is the reason shown to the user."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def safe_doc_id(path: Path) -> str:
    """The file stem with anything unsafe in a folder name replaced: 'a b/c.pdf' → 'a_b_c'."""
    stem = re.sub(r"[^\w\-.]+", "_", path.stem, flags=re.UNICODE).strip("._")
    return stem or "document"


def _describe_start(head: bytes) -> str:
    text = head[:40].decode("utf-8", "replace").strip()
    if re.match(r"(?i)<!doctype|<html|<\?xml|<head|<body", text):
        return "an HTML/XML page saved with a .pdf name"
    if not head:
        return "an empty file"
    shown = re.sub(r"[^\x20-\x7e]", "?", text[:16])
    return f"it starts with {shown!r}"


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    """Open a PDF with pdfplumber, turning low-level failures into an InputError with a clear reason."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}") from error
    if b"%PDF-" not in head:
        raise InputError(f"not a PDF: {_describe_start(head)}")
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as error:
        raise InputError("encrypted PDF: a password is needed to open it") from error
    except PDFEncryptionError as error:
        raise InputError(f"encrypted PDF with an unsupported scheme: {error}") from error
    except PDFSyntaxError as error:
        raise InputError(f"corrupt or truncated PDF: {error}") from error
    except Exception as error:  # pdfminer raises many types for damaged files
        if "password" in str(error).lower():
            raise InputError("encrypted PDF: a password is needed to open it") from error
        raise InputError(f"corrupt or truncated PDF: {type(error).__name__}: {error}") from error
    try:
        try:
            n_pages = len(pdf.pages)
        except Exception as error:
            raise InputError(f"corrupt or truncated PDF: page tree unreadable ({type(error).__name__})") from error
        if n_pages == 0:
            raise InputError("PDF has no pages")
        yield pdf
    finally:
        pdf.close()


def pdf_source_info(path: Path, sha256: str, pdf: Any) -> SourceInfo:
    meta = pdf.metadata or {}

    def text(key: str) -> str | None:
        value = meta.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        return normalize_text(str(value)) if value else None

    return SourceInfo(
        file_name=path.name,
        sha256=sha256,
        size_bytes=path.stat().st_size,
        producer=text("Producer"),
        creator=text("Creator"),
        metadata_title=text("Title"),
        kind="pdf",
    )


# A line that opens a new block in plain text: bullets, numbering, headings markers.
_TEXT_ITEM_START = re.compile(
    r"^(?:[•・○●◦▪■□◆◇▼▶★☆◎※－\-]|[①-⑳]|[（(]\s*[0-9０-９ア-ン]{1,2}\s*[）)]|[0-9０-９]{1,2}[.．](?!\d)|第[0-9０-９一二三四五六七八九十]+[章節条]|【)"
)


def read_text_document(path: Path, doc_id: str, sha256: str) -> Document:
    """A ``.txt`` input as blocks: blank lines and item markers separate blocks; no geometry."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}") from error
    for encoding in ("utf-8-sig", "cp932", "euc_jp"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("text file is not UTF-8, Shift_JIS or EUC-JP")
    if not content.strip():
        raise InputError("text file is empty")
    doc = Document(
        doc_id=doc_id,
        source=SourceInfo(file_name=path.name, sha256=sha256, size_bytes=len(raw), kind="txt"),
    )
    doc.pages.append(PageInfo(number=1, width=0.0, height=0.0, n_chars=len(content)))
    groups: list[list[str]] = []
    current: list[str] = []
    for raw_line in content.splitlines():
        line = normalize_text(raw_line)
        if not line:
            if current:
                groups.append(current)
                current = []
            continue
        if current and _TEXT_ITEM_START.match(line):
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    for index, group in enumerate(groups, start=1):
        doc.blocks.append(Block(block_id="b%04d" % index, kind="paragraph", text=join_wrapped_lines(group), page=1, bbox=None))
    return doc


__all__ = [
    "InputError",
    "file_sha256",
    "open_pdf",
    "pdf_source_info",
    "read_text_document",
    "safe_doc_id",
]
