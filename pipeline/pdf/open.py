"""Open PDFs through pdfplumber, with a clear reason when they cannot be read, and hand
their pages out one at a time as :class:`~pipeline.pdf.page.PdfPage` (each closed once read).

A damaged file often opens (pdfminer rebuilds a lost cross-reference table) and only fails
once a page is read, so :func:`describe_pdf_error` also explains errors raised later.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol

from pipeline.japanese.normalize import normalize_text
from pipeline.model import SourceInfo
from pipeline.pdf.page import PdfPage
from pipeline.sources import InputError, unreadable_reason


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


# What pdfminer was reading when it failed, by the module of the innermost frame in it
_PARSER_PARTS = (("pdffont", "its fonts"), ("cmapdb", "its fonts"), ("pdfinterp", "its content stream"),
                 ("image", "its images"), ("psparser", "its objects"), ("pdfparser", "its objects"),
                 ("pdftypes", "its objects"), ("converter", "its content stream"), ("layout", "its content stream"))


_PARSER_FUNCTIONS = {"get_font": "its fonts", "init_resources": "its resources (fonts, images)",
                     "render_image": "its images"}


def damaged_part(error: BaseException) -> str:
    """A page's failure as a user reads it: "the PDF parser failed on its fonts (KeyError)"."""
    cause = _pdfminer_cause(error)
    frames: list[tuple[str, str]] = []  # (module, function) of pdfminer's frames, outermost first
    for failure in (error, cause):
        traceback = failure.__traceback__
        while traceback is not None:
            code = traceback.tb_frame.f_code
            filename = code.co_filename.replace("\\", "/")
            if "/pdfminer/" in filename:
                frames.append((filename.rsplit("/", 1)[-1].removesuffix(".py"), code.co_name))
            traceback = traceback.tb_next
    module, function = frames[-1] if frames else ("", "")
    part = _PARSER_FUNCTIONS.get(function) or next((name for key, name in _PARSER_PARTS if key == module), "it")
    return f"damaged: the PDF parser (pdfminer) failed on {part} ({type(cause).__name__})"


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


PARSER_LOGGERS = ("pdfminer", "pdfplumber")
MAX_PARSER_MESSAGES = 5
"""Distinct parser messages quoted in the warning (the rest are counted)."""


MAX_DISTINCT_PARSER_MESSAGES = 50
"""Distinct parser messages kept per document (a damaged file can log one per operator); more are counted."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = " ".join(record.getMessage().split())[:160]
        except Exception:  # a record that cannot be formatted is still a problem reported
            message = record.msg if isinstance(record.msg, str) else "unreadable message"
        if message in self.messages or len(self.messages) < MAX_DISTINCT_PARSER_MESSAGES:
            self.messages[message] += 1
        else:
            self.messages["other messages"] += 1


@contextmanager
def parser_messages() -> Iterator[Counter[str]]:
    """Collect what pdfminer and pdfplumber log while a PDF is read (Could not get FontBBox…,
    Data-loss while decompressing…) instead of letting it reach the console without a file
    name; the caller turns them into the document's warnings."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in PARSER_LOGGERS]
    saved = [(logger.propagate, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
        if logger.level == logging.NOTSET or logger.level > logging.WARNING:
            logger.setLevel(logging.WARNING)
    try:
        yield handler.messages
    finally:
        for logger, (propagate, level) in zip(loggers, saved):
            logger.removeHandler(handler)
            logger.propagate = propagate
            logger.setLevel(level)


def parser_warning(counts: Counter[str]) -> str | None:
    """One line for a document's parser messages: the distinct ones with their counts."""
    if not counts:
        return None
    total = sum(counts.values())
    shown = [f"{m} (×{n})" if n > 1 else m for m, n in list(counts.items())[:MAX_PARSER_MESSAGES]]
    rest = len(counts) - len(shown)
    return (f"the PDF parser reported {total} problem" + ("" if total == 1 else "s")
            + ": " + "; ".join(shown) + (f"; and {rest} more" if rest else ""))


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


def check_pdf_start(path: Path) -> None:
    """Raise an InputError unless the file can be read and starts like a PDF (%PDF- in its
    first kilobyte)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise unreadable_reason(error) from error
    if not head:
        raise InputError("empty file (0 bytes), e.g. an aborted download", "empty_file")
    if b"%PDF-" not in head:
        raise InputError(f"not a PDF: {_describe_start(head)}", "not_pdf")


def page_observer() -> PageObserver | None:
    """The observer set by :func:`observe_pages` around this call, if any (for readers that
    do not go through :func:`open_pdf`)."""
    return _page_observer.get()


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    """Open a PDF with pdfplumber, turning low-level failures into an InputError with a clear reason."""
    import pdfplumber

    check_pdf_start(path)
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


class PageNotInFile(LookupError):
    """A page PDFium counts that pdfminer does not find: the page tree declares more pages than it holds."""

    def __init__(self, number: int, count: int) -> None:
        super().__init__(f"page {number} of a file in which pdfminer finds {count} pages")
        self.count = count


class PdfplumberPages:
    """pdfplumber's pages of one file, the file opened on first use: with PDFium reading first,
    most files never need it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pdf: Any = None
        self._failure: Exception | None = None
        """What opening the file or walking its page tree raised (raised again on every later call)."""

    def page(self, number: int) -> Any:
        """Page ``number`` (1-based); raises :class:`PageNotInFile` past the pages pdfminer finds,
        and what pdfplumber raises on a file it cannot open."""
        pages = self._pages()
        if not 1 <= number <= len(pages):
            raise PageNotInFile(number, len(pages))
        return pages[number - 1]

    @property
    def page_count(self) -> int | None:
        """How many pages pdfminer finds in the file; None when the file was never opened (no
        page needed pdfplumber) or pdfminer could not walk its page tree."""
        if self._pdf is None or self._failure is not None:
            return None
        return len(self._pdf.pages)

    def _pages(self) -> list[Any]:
        # (pdfplumber keeps the part of a page tree it walked before failing: a later call
        # would see a short tree, so the first failure stands for the file)
        if self._failure is not None:
            raise self._failure
        try:
            if self._pdf is None:
                import pdfplumber

                self._pdf = pdfplumber.open(self.path)
            return self._pdf.pages
        except Exception as error:  # pdfminer raises many types for damaged files
            self._failure = error
            raise

    def __enter__(self) -> PdfplumberPages:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pdf is not None:
            _close_quietly(self._pdf)
            self._pdf = None


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


def declared_page_count(pdf: Any) -> int | None:
    """The page count the document's page tree states (its root /Count), None when unreadable."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except Exception:  # a damaged or unusual page tree: nothing to compare with
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def pdf_source_info(path: Path, sha256: str, meta: Mapping[str, Any] | None) -> SourceInfo:
    """The source of a PDF, with its document information (``meta``: pdfplumber's ``metadata``
    or PDFium's metadata dict)."""
    meta = meta or {}

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


def iter_pages(pdf: Any) -> Iterator[PdfPage]:
    """Each page of an open PDF, once, closed as soon as the caller moves on."""
    for index, page in enumerate(pdf.pages):
        try:
            yield PdfPage(page, index + 1)
        finally:
            page.close()
            forget_contents(pdf, page)


def forget_contents(pdf: Any, page: Any) -> None:
    """Let go of a read page's content streams: pdfminer keeps each one decoded, in the page and
    in the document's object cache, until the file is closed (about 45 MB over a 1,000-page
    report). A page whose contents are forgotten reads as blank, so only pages read once."""
    cache = getattr(pdf.doc, "_cached_objs", None)
    page_obj = page.page_obj
    for stream in getattr(page_obj, "contents", None) or []:
        if cache is not None:
            cache.pop(getattr(stream, "objid", None), None)
    page_obj.contents = []
