"""Input files before they are read: their sha256, a doc_id from their name, and the reasons
an input cannot be processed.

Every reason is an :class:`InputError` whose message is the one line a user sees (console
and ``manifest.json``) and whose ``code`` is a stable word for scripts (``not_pdf``,
``encrypted``, ``corrupt_pdf`` …).
"""

from __future__ import annotations

import errno
import hashlib
import re
from pathlib import Path


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
    """The file's sha256 in hex (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def safe_doc_id(path: Path) -> str:
    """The file stem with anything unsafe in a folder name replaced: 'a b/c.pdf' → 'a_b_c'."""
    stem = re.sub(r"[^\w\-.]+", "_", path.stem, flags=re.UNICODE).strip("._")
    return stem or "document"
