"""Open inputs: PDFs through pdfplumber (with clear reasons when they cannot be read) and plain text.

Every reason a file cannot be processed is an :class:`InputError` whose message is the one
line a user sees (console and ``manifest.json``) and whose ``code`` is a stable word for
scripts (``not_pdf``, ``encrypted``, ``corrupt_pdf`` …).
"""

from __future__ import annotations

import errno
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol

from pipeline.model import Block, Document, PageInfo, SourceInfo
from pipeline.text import join_wrapped_lines, normalize_text


class InputError(Exception):
    """An input that cannot be processed; the message is the reason shown to the user."""

    def __init__(self, message: str, code: str = "bad_input") -> None:
        super().__init__(message)
        self.code = code
        """Stable machine-readable kind of failure, e.g. ``not_pdf``, ``encrypted``, ``corrupt_pdf``."""


def unreadable_reason(error: OSError) -> InputError:
    """A file that vanished, is a folder, or cannot be opened: one clear line."""
    detail = error.strerror or str(error)
    if error.errno == errno.ENOENT:
        return InputError(f"cannot read file: {detail} (moved or deleted during the run?)", "unreadable")
    if error.errno == errno.EISDIR:
        return InputError(f"cannot read file: {detail} (a folder with a file name)", "unreadable")
    if error.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"cannot read file: {detail} (check the file's permissions)", "unreadable")
    return InputError(f"cannot read file: {detail}", "unreadable")


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


# What a file that is not a PDF usually turns out to be, by its first bytes.
_KNOWN_STARTS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (perhaps a .docx, .xlsx or .zip)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc/.xls/.ppt)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)


def _describe_start(head: bytes) -> str:
    if not head:
        return "the file is empty (0 bytes), e.g. an aborted download"
    for magic, kind in _KNOWN_STARTS:
        if head.startswith(magic):
            return f"it is {kind}"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].decode("utf-8", "replace")
    if re.match(r"(?i)<!doctype\s+html|<html|<head|<body|<meta|<title", text) or re.search(r"(?i)<html", text):
        title = re.search(r"(?is)<title>\s*(.*?)\s*</title>", head.decode("utf-8", "replace"))
        shown = f" (title: {normalize_text(title.group(1))[:60]!r})" if title and title.group(1).strip() else ""
        return f"it is an HTML page saved under a .pdf name, e.g. an error page from the download{shown}"
    if re.match(r"(?i)<\?xml", text):
        return "it is an XML file saved under a .pdf name"
    shown = re.sub(r"[^\x20-\x7e]", "?", text[:16])
    return f"it starts with {shown!r} instead of '%PDF-'"


def _pdfminer_cause(error: BaseException) -> BaseException:
    """The pdfminer exception pdfplumber wrapped (``PdfminerException(PSEOF(...))``)."""
    seen = 0
    while seen < 5 and type(error).__name__ == "PdfminerException" and error.args:
        inner = error.args[0]
        if not isinstance(inner, BaseException):
            break
        error = inner
        seen += 1
    return error


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split())
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def describe_pdf_error(error: BaseException) -> InputError | None:
    """An InputError for an exception raised by pdfminer/pdfplumber while reading a PDF, else None.

    Damaged files often open (pdfminer rebuilds a lost cross-reference table) and only fail
    once a page is read, so the driver also uses this for errors raised inside the stages.
    """
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = _pdfminer_cause(error)
    if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
        return InputError("encrypted PDF: a password is needed to open it", "encrypted")
    if isinstance(cause, PDFEncryptionError):
        return InputError(f"encrypted PDF with an unsupported scheme ({_short(cause)})", "encrypted")
    module = type(cause).__module__ or ""
    if cause is not error or module.startswith(("pdfminer", "pdfplumber")):
        return InputError(f"corrupt or truncated PDF ({_short(cause)})", "corrupt_pdf")
    parser = _raised_inside_parser(error)
    if parser:  # e.g. a TypeError deep in pdfminer on a damaged object: the file, not our code
        return InputError(f"corrupt or truncated PDF ({_short(error)} in {parser})", "corrupt_pdf")
    return None


def _raised_inside_parser(error: BaseException) -> str | None:
    """'pdfminer' or 'pdfplumber' when the innermost frame of the traceback is in that library."""
    traceback = error.__traceback__
    if traceback is None:
        return None
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    filename = traceback.tb_frame.f_code.co_filename.replace("\\", "/")
    for library in ("pdfminer", "pdfplumber"):
        if f"/{library}/" in filename:
            return library
    return None


class PageObserver(Protocol):
    """Told how many pages a PDF has and when each one has been read (progress reporting)."""

    def opened(self, n_pages: int) -> None: ...

    def page_read(self, number: int) -> None: ...


_page_observer: ContextVar[PageObserver | None] = ContextVar("page_observer", default=None)


@contextmanager
def observe_pages(observer: PageObserver) -> Iterator[None]:
    """Report page counts and page progress of every PDF opened with :func:`open_pdf` in this block."""
    token = _page_observer.set(observer)
    try:
        yield
    finally:
        _page_observer.reset(token)


class _ObservedPages(list):
    """``pdf.pages`` that tells the observer when iteration moves past a page."""

    def __init__(self, pages: list, observer: PageObserver) -> None:
        super().__init__(pages)
        self._observer = observer

    def __iter__(self) -> Iterator[Any]:
        for number, page in enumerate(super().__iter__(), start=1):
            yield page
            self._observer.page_read(number)


class _ObservedPDF:
    """A pdfplumber PDF whose ``pages`` report progress; everything else is the PDF itself."""

    def __init__(self, pdf: Any, observer: PageObserver) -> None:
        self._pdf = pdf
        self.pages = _ObservedPages(pdf.pages, observer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pdf, name)


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    """Open a PDF with pdfplumber, turning low-level failures into an InputError with a clear reason."""
    import pdfplumber

    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise unreadable_reason(error) from error
    if not head:
        raise InputError("empty file (0 bytes), e.g. an aborted download", "empty_file")
    if b"%PDF-" not in head:
        raise InputError(f"not a PDF: {_describe_start(head)}", "not_pdf")
    try:
        pdf = pdfplumber.open(path)
    except OSError as error:
        raise unreadable_reason(error) from error
    except Exception as error:  # pdfminer raises many types for damaged files
        raise (describe_pdf_error(error) or InputError(f"corrupt or truncated PDF ({_short(error)})", "corrupt_pdf")) from error
    try:
        try:
            n_pages = len(pdf.pages)
        except Exception as error:
            reason = describe_pdf_error(error)
            if reason is None or reason.code == "corrupt_pdf":
                reason = InputError(
                    f"corrupt or truncated PDF: page tree unreadable ({_short(_pdfminer_cause(error))})", "corrupt_pdf"
                )
            raise reason from error
        if n_pages == 0:
            raise InputError("PDF has no pages (its page tree is empty)", "no_pages")
        observer = _page_observer.get()
        if observer is not None:
            observer.opened(n_pages)
            yield _ObservedPDF(pdf, observer)
        else:
            yield pdf
    finally:
        _close_quietly(pdf)


def _close_quietly(pdf: Any) -> None:
    """Close a PDF even when its page tree is damaged (pdfplumber's close() walks every page)."""
    try:
        pdf.close()
    except Exception:
        stream = getattr(pdf, "stream", None)
        if stream is not None and not getattr(pdf, "stream_is_external", False):
            try:
                stream.close()
            except Exception:
                pass


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

# Numbering that opens a heading line in plain text (a bulleted line may wrap onto the next).
_TEXT_HEADING_START = re.compile(
    r"^(?:[（(]\s*[0-9０-９]{1,2}\s*[）)]|[0-9０-９]{1,2}[.．](?!\d)|第[0-9０-９一二三四五六七八九十]+[章節条]|【)"
)


def decode_japanese_text(raw: bytes) -> str | None:
    """UTF-8 if it decodes; otherwise Shift_JIS (cp932) or EUC-JP, whichever reads as more hiragana.

    Many EUC-JP files also decode as cp932 without error, into mojibake: decoding alone
    cannot choose, but mojibake has few hiragana (の, は, を…) and real Japanese has many.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings: list[tuple[int, str]] = []
    for encoding in ("cp932", "euc_jp"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((sum(1 for ch in text if "\u3041" <= ch <= "\u309f"), text))
    if not readings:
        return None
    return max(readings, key=lambda reading: reading[0])[1]


def read_text_document(path: Path, doc_id: str, sha256: str) -> Document:
    """A ``.txt`` input as blocks: blank lines and item markers separate blocks; no geometry."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise unreadable_reason(error) from error
    content = decode_japanese_text(raw)
    if content is None:
        raise InputError("text file is not UTF-8, Shift_JIS or EUC-JP", "text_encoding")
    if not content.strip():
        raise InputError("text file is empty", "empty_file")
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
        after_heading = (
            len(current) == 1 and _TEXT_HEADING_START.match(current[0]) and len(current[0]) <= 40
            and not current[0].endswith("。")
        )
        if current and (_TEXT_ITEM_START.match(line) or after_heading):
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
    "PageObserver",
    "describe_pdf_error",
    "observe_pages",
    "unreadable_reason",
    "file_sha256",
    "open_pdf",
    "pdf_source_info",
    "read_text_document",
    "safe_doc_id",
]
