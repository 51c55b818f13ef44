"""PDFium's C functions called with plain ctypes types: handles and out-parameters as addresses.

pypdfium2's raw bindings check every pointer argument against its declared type, which costs
more than many of the calls themselves: a page of 2,000 characters and 1,000 drawn objects
makes tens of thousands of calls. :class:`PlainCalls` gives the same functions declared with
``c_void_p`` for every pointer, so they take and return plain ints (an address; 0 or None for
NULL). The same object reached twice then gives the same number, which is what the readers
use to know a text object again.
"""

from __future__ import annotations

import ctypes
from typing import Any


class PlainCalls:
    """``pypdfium2.raw``'s functions by name (``calls.FPDFText_CountChars(textpage)``), each
    declared with plain types on first use; constants are read from ``raw`` itself."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def __getattr__(self, name: str) -> Any:
        if name == "raw" or name.startswith("__"):
            raise AttributeError(name)
        function = plain_function(getattr(self.raw, name))
        setattr(self, name, function)  # (declared once per reader)
        return function


def plain_function(function: Any) -> Any:
    """``function`` (a pypdfium2 raw function) declared with pointers as ``c_void_p``."""
    return ctypes.CFUNCTYPE(_plain(function.restype), *map(_plain, function.argtypes))(
        ctypes.cast(function, ctypes.c_void_p).value
    )


def _plain(kind: Any) -> Any:
    if isinstance(kind, type) and issubclass(kind, (ctypes._Pointer, ctypes.c_void_p)):
        return ctypes.c_void_p
    return kind


def address(handle: Any) -> int:
    """The address a pypdfium2 handle (a typed pointer) points to."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def out(value: Any) -> int:
    """The address of a ctypes value, to pass where PDFium writes a result."""
    return ctypes.addressof(value)
