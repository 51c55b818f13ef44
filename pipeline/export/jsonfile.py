"""Indented JSON written as it is encoded, the same bytes as ``json.dump(..., ensure_ascii=False, indent=N)``.

The standard library encodes indented JSON in Python, each piece handed up through one
generator per level of nesting; a document.json of a few thousand blocks is a million pieces.
Here each value is written by one call per container, its pieces collected into a list that
goes to the file every ``PIECES_PER_WRITE`` pieces (a 1,000-page report is never held as one
string). Strings are escaped by the standard library's own (C) function. Unlike ``json.dump``
it does not look for a value that contains itself (the model never does): that ends in a
RecursionError.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any, TextIO

PIECES_PER_WRITE = 8192
"""Encoded pieces gathered before one write to the file."""


def write_indented_json(value: Any, handle: TextIO, indent: int = 1) -> None:
    """``value`` (dicts with string keys, lists, tuples, strings, numbers, booleans, None) to
    ``handle`` as ``json.dump(value, handle, ensure_ascii=False, indent=indent)`` would write it."""
    _IndentedWriter(handle, " " * indent).write(value)


class _IndentedWriter:
    def __init__(self, handle: TextIO, indent: str) -> None:
        self.handle = handle
        self.indent = indent
        self.pieces: list[str] = []

    def write(self, value: Any) -> None:
        self._value(value, 0)
        self._flush()

    def _flush(self) -> None:
        self.handle.write("".join(self.pieces))
        self.pieces.clear()

    def _value(self, value: Any, level: int) -> None:
        pieces = self.pieces
        if isinstance(value, str):
            pieces.append(encode_basestring(value))
        elif value is None:
            pieces.append("null")
        elif value is True:
            pieces.append("true")
        elif value is False:
            pieces.append("false")
        elif isinstance(value, int):
            pieces.append(int.__repr__(value))
        elif isinstance(value, float):
            pieces.append(_float(value))
        elif isinstance(value, dict):
            self._object(value, level)
        elif isinstance(value, (list, tuple)):
            self._array(value, level)
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        if len(pieces) >= PIECES_PER_WRITE:
            self._flush()

    def _object(self, value: dict, level: int) -> None:
        if not value:
            self.pieces.append("{}")
        else:
            self._members(((encode_basestring(_key(key)) + ": ", item) for key, item in value.items()), "{", "}", level)

    def _array(self, value: list | tuple, level: int) -> None:
        if not value:
            self.pieces.append("[]")
        else:
            self._members((("", item) for item in value), "[", "]", level)

    def _members(self, members: Iterator[tuple[str, Any]], opening: str, closing: str, level: int) -> None:
        """A non-empty object's or array's members (each with its ``"key": `` or nothing), one a line."""
        inner = "\n" + self.indent * (level + 1)
        separator = "," + inner
        self.pieces.append(opening + inner)
        first = True
        for label, item in members:
            if not first:
                self.pieces.append(separator)
            first = False
            if label:
                self.pieces.append(label)
            self._value(item, level + 1)
        self.pieces.append("\n" + self.indent * level + closing)


def _float(value: float) -> str:
    if math.isfinite(value):
        return float.__repr__(value)
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _key(key: Any) -> str:
    """A dict key as the standard library writes it (numbers, booleans and None turned to text)."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, float):
        return _float(key)
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
