"""Reading a page's character dicts: printed rows, the spaces between characters, overprints.

Both the layout stage (paragraph lines) and the tables stage (cell text) read characters
the same way, so a cell and a paragraph printed alike come out alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from pipeline.japanese.glyphs import is_cjk
from pipeline.settings import require_positive


@dataclass(frozen=True)
class CharSpacing:
    """How characters are read into rows and words (shared by paragraph lines and table cells)."""

    line_merge_share: float = 0.45
    """Characters whose vertical centres are closer than this share of their size sit on one row."""
    latin_space_em: float = 0.18
    """Gap (ems) between two Latin characters read as a word space when no space glyph is printed."""
    cjk_space_em: float = 0.6
    """Gap (ems) next to a CJK character, or between two digits, read as a space (smaller gaps are justification)."""

    def __post_init__(self) -> None:
        require_positive(self, "line_merge_share", "latin_space_em", "cjk_space_em")


def group_rows(chars: list[dict], merge_share: float) -> list[list[dict]]:
    """Cluster characters into printed rows by their vertical centre; each row sorted left to right.

    Characters whose centres are closer than ``merge_share`` of their size share a row.
    """
    # (middle, x0, order, size, char): each character's centre and size worked out once
    placed = sorted(((c["top"] + c["bottom"]) / 2, c["x0"], order, _size(c), c) for order, c in enumerate(chars))
    rows: list[list[tuple[float, float, int, float, dict]]] = []
    anchors: list[tuple[float, float]] = []
    anchor, anchor_size = -1e9, 0.0
    for item in placed:
        middle, size = item[0], item[3]
        if rows and middle - anchor <= merge_share * max(anchor_size, size):
            rows[-1].append(item)
        else:
            rows.append([item])
            anchor, anchor_size = middle, size
            anchors.append((middle, size))
    regrouped = _nearest_rows(rows, anchors, merge_share)
    return [[item[4] for item in sorted(row, key=_BY_X0)] for row in regrouped]


_BY_X0 = itemgetter(1)


def _size(char: dict) -> float:
    return char.get("size") or (char["bottom"] - char["top"])


def _nearest_rows(rows: list[list[tuple]], anchors: list[tuple[float, float]], merge_share: float) -> list[list[tuple]]:
    """Give each character to the row whose first character's centre is nearest: a big 75
    between a small 拡充 above and 労働者1人につき最大…万円 beside it belongs to the row beside it.

    A row's characters come in order of their centres from its first one down, so none is
    nearer the row above; only the tail nearer the next row's centre can move down."""
    centres = [middle for middle, _ in anchors]
    regrouped: list[list[tuple]] = [[] for _ in rows]
    last = len(rows) - 1
    for index, row in enumerate(rows):
        if index == last:
            regrouped[index].extend(row)
            break
        centre, below, below_size = centres[index], centres[index + 1], anchors[index + 1][1]
        tail = len(row)
        while tail > 1 and abs(below - row[tail - 1][0]) < abs(centre - row[tail - 1][0]):
            tail -= 1
        regrouped[index].extend(row[:tail])
        for item in row[tail:]:
            middle, size = item[0], item[3]
            moves = abs(below - middle) <= merge_share * max(below_size, size)
            regrouped[index + 1 if moves else index].append(item)
    return [row for row in regrouped if row]


def spaced_text(chars: list[dict], spacing: CharSpacing) -> str:
    """The text of one printed row, with a space where a space glyph is printed or the gap is wide.

    A gap next to a CJK character, or between two digits (justified lines stretch numbers),
    is a space only beyond ``spacing.cjk_space_em`` ems; between Latin letters beyond
    ``spacing.latin_space_em``.
    """
    pieces: list[str] = []
    previous: dict | None = None
    narrower = min(spacing.cjk_space_em, spacing.latin_space_em)
    for char in chars:
        text = char["text"]
        if not text.strip():
            if pieces and pieces[-1] != " ":
                pieces.append(" ")
            continue
        if previous is not None and pieces and pieces[-1] != " ":
            gap = char["x0"] - previous["x1"]
            size = max(char.get("size") or 0.0, 1.0)
            if gap > narrower * size:  # (most characters touch: no need to ask which kinds they are)
                left, right = pieces[-1][-1], text[0]
                wide_only = is_cjk(left) or is_cjk(right) or (left.isdigit() and right.isdigit())
                if gap > (spacing.cjk_space_em if wide_only else spacing.latin_space_em) * size:
                    pieces.append(" ")
        pieces.append(text)
        previous = char
    return "".join(pieces).strip()


def drop_overprints(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """Drop characters printed again at (almost) the same place: fake bold (pdfplumber #71, #992).

    An O(n) pass: pdfplumber's ``dedupe_chars`` does the same at several times the cost.
    """
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for char in chars:
        key = (char["text"], round(char["x0"] / tolerance), round(char["top"] / tolerance))
        if key not in seen:
            seen.add(key)
            kept.append(char)
    return kept


def centre_inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    """True when the character's centre lies in ``box`` (x0, top, x1, bottom)."""
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def chars_outside(chars: list[dict], boxes: list[tuple[float, float, float, float]]) -> list[dict]:
    """The characters whose centre lies in none of ``boxes`` (:func:`centre_inside`, written out:
    a page's characters are tested against each of its tables)."""
    if not boxes:
        return list(chars)
    kept = []
    for char in chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        for x0, top, x1, bottom in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                break
        else:
            kept.append(char)
    return kept
