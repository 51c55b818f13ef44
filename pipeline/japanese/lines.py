"""Joining printed lines back into text, and undoing letter-spacing."""

from __future__ import annotations

import re

from pipeline.japanese.glyphs import is_cjk
from pipeline.japanese.markers import CIRCLED_NUMBERS
from pipeline.japanese.normalize import SPACE_RUN


def join_wrapped_lines(lines: list[str]) -> str:
    """Join lines that wrap inside one paragraph or cell.

    No space is put between CJK characters (医療用セ / ンサー → 医療用センサー); a single
    space goes between two Latin words (Internet of / Things → Internet of Things); a word
    hyphenated at a line end loses its hyphen when both sides are Latin letters.
    """
    joined = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not joined:
            joined = line
            continue
        left, right = joined[-1], line[0]
        if left == "-" and len(joined) > 1 and joined[-2].isascii() and joined[-2].isalpha() and right.islower():
            joined = joined[:-1] + line  # hyphen-/ation → hyphenation
        elif left in "-/" and len(joined) > 1 and joined[-2].isalnum() and right.isalnum():
            joined += line  # COVID- / 19 → COVID-19
        elif is_cjk(left) or is_cjk(right):
            joined += line
        elif left.isdigit() and right.isdigit() or left in ",." and right.isdigit():
            joined += line  # a number wrapped at the line end: 20 / 19年 → 2019年
        else:
            joined += " " + line
    return joined


_ITEM_NUMBER = re.compile(rf"^(?:[0-9０-９]{{1,3}}[.．]?|[（(][0-9０-９]{{1,3}}[）)]|[{CIRCLED_NUMBERS}])")


def remove_letter_spacing(text: str) -> str:
    """Undo letter-spacing used to fill a cell: 歳　入　合　計 → 歳入合計.

    Only applies when every space-separated piece is a single CJK character, so that
    normal phrases with spaces between words are left alone.
    """
    pieces = text.split()
    if len(pieces) >= 2 and all(len(p) == 1 and is_cjk(p) for p in pieces):
        return "".join(pieces)
    # an item number before the label, apart or glued to its first character:
    # 1 市　税 → 1 市税, 2地　方　譲　与　税 → 2地方譲与税, (3) 使 用 料 → (3) 使用料
    number = _ITEM_NUMBER.match(pieces[0]) if len(pieces) >= 3 else None
    if number:
        rest = pieces[0][number.end():]
        label = ([rest] if rest else []) + pieces[1:]
        if len(label) >= 2 and all(len(p) == 1 and is_cjk(p) for p in label):
            return number.group() + ("" if rest else " ") + "".join(label)
    return text


def tidy_cell_text(text: str) -> str:
    """Spacing policy for a table cell: U+3000 and runs of spaces become one space; a label
    letter-spaced to fill its cell is closed up (歳　入　合　計 → 歳入合計). Glyphs stay
    as printed (１位 stays １位; typing reads full-width digits)."""
    return remove_letter_spacing(SPACE_RUN.sub(" ", text).strip())
