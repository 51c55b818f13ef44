"""The text of a unit as the name rules see it: folded to half-width, white space between CJK
characters removed, with the tokenizer's arrays to ask "does this start at a token?" or to
walk a name stem leftwards."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.japanese.eras import ERA_NAMES
from pipeline.japanese.normalize import fold_width
from pipeline.nlp.candidate import Candidate

if TYPE_CHECKING:  # (a type only: the CLI reads user gazetteers without loading spaCy)
    from pipeline.nlp.tokenizer import TokenInfo

# Token classes (see pipeline.nlp.tokenizer): which may form part of a name.
NOUNISH = frozenset("PHGKULDNVAFSm")


NAMEISH = frozenset("PHGUL")  # proper nouns, unknown katakana words, Latin words


CONTENT = frozenset("PHGKULDNVA")


# --- the text as the rules see it -----------------------------------------------------------
_WHITE = re.compile(r"\s+")


def compact(folded: str) -> tuple[str, list[int] | None]:
    """Remove white space unless it separates two ASCII letters/digits; map back to offsets.

    Returns the compact text and, when anything was removed, the original offset of each
    compact character plus a final sentinel (``len(folded)``).
    """
    if not _WHITE.search(folded):
        return folded, None
    pieces: list[str] = []
    c2o: list[int] = []
    position = 0
    for match in _WHITE.finditer(folded):
        a, b = match.span()
        if a > position:
            pieces.append(folded[position:a])
            c2o.extend(range(position, a))
        left = folded[a - 1] if a > 0 else ""
        right = folded[b] if b < len(folded) else ""
        if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
            pieces.append(" ")
            c2o.append(a)
        position = b
    if position < len(folded):
        pieces.append(folded[position:])
        c2o.extend(range(position, len(folded)))
    c2o.append(len(folded))
    return "".join(pieces), c2o


@lru_cache(maxsize=65536)
def compact_key(text: str) -> str:
    """How a name is matched: folded to half-width, spaces between CJK characters removed."""
    return compact(fold_width(text))[0].strip()


class TextView:
    """A unit's text prepared for matching, with its token arrays.

    ``key`` is the text folded to half-width ASCII (``fold_width``), with white space
    removed wherever a CJK character or a digit is on either side (``岐阜 県`` → ``岐阜県``,
    ``XYZ 株式会社`` → ``XYZ株式会社``; ``HOKURIKU SMART PROJECT`` keeps its spaces).
    ``orig(i)`` maps a position in ``key`` back to the original text.
    """

    __slots__ = ("text", "key", "_c2o", "starts", "ends", "cls", "_start_token", "_end_token", "kind")

    def __init__(self, text: str, info: TokenInfo, kind: str | None = None) -> None:
        self.text = text
        self.kind = kind
        self.key, self._c2o = compact(fold_width(text))
        self.starts = info.starts
        self.ends = info.ends
        self.cls = info.cls
        self._start_token: dict[int, int] | None = None
        self._end_token: dict[int, int] | None = None

    @property
    def start_token(self) -> dict[int, int]:
        """Start offset of each token → its index (made on first use)."""
        if self._start_token is None:
            self._start_token = {s: i for i, s in enumerate(self.starts)}
        return self._start_token

    @property
    def end_token(self) -> dict[int, int]:
        """End offset of each token → its index (made on first use)."""
        if self._end_token is None:
            self._end_token = {e: i for i, e in enumerate(self.ends)}
        return self._end_token

    def forget_token_offsets(self) -> None:
        """Drop ``start_token`` and ``end_token`` (made again if asked for): a document's views
        are kept for the names found later in it, and these two are most of their size."""
        self._start_token = self._end_token = None

    def orig(self, position: int) -> int:
        """Original offset of key position ``position`` (``len(key)`` → ``len(text)``)."""
        return position if self._c2o is None else self._c2o[position]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of key span [start, end)."""
        if self._c2o is None:
            return start, end
        return self._c2o[start], self._c2o[end - 1] + 1

    def token_at(self, position: int) -> int:
        """Index of the token that contains original offset ``position`` (-1 if none)."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index >= 0 and position < self.ends[index]:
            return index
        return -1

    def token_text(self, i: int) -> str:
        return self.text[self.starts[i]:self.ends[i]]

    def span_text(self, i: int, j: int) -> str:
        return self.text[self.starts[i]:self.ends[j - 1]]

    def prev_token(self, i: int) -> int:
        """Index of the token before ``i``, skipping white space (no line ends); -1 at the start."""
        k = i - 1
        while k >= 0 and self.cls[k] == "w" and "\n" not in self.token_text(k):
            k -= 1
        return k if k >= 0 and self.cls[k] != "w" else -1

    def next_token(self, j: int) -> int:
        """Index of the first non-space token at or after ``j``; ``len`` at the end."""
        k = j
        n = len(self.cls)
        while k < n and self.cls[k] == "w" and "\n" not in self.token_text(k):
            k += 1
        return k if k < n and self.cls[k] != "w" else n

    def candidate(self, label: str, i: int, j: int, **kwargs: object) -> Candidate:
        start, end = self.starts[i], self.ends[j - 1]
        return Candidate(label=label, start=start, end=end, text=self.text[start:end], **kwargs)  # type: ignore[arg-type]


def walk_stem(view: TextView, first: int, allowed: frozenset[str], limit: int) -> int:
    """Walk left from token ``first`` (exclusive) over tokens whose class is in ``allowed``.

    Returns the index of the leftmost token of the stem (``first`` when there is none).
    Single spaces between tokens are crossed; a middle dot ・ only between two name tokens.
    """
    i = first
    count = 0
    while count < limit:
        k = view.prev_token(i)
        if k < 0 or view.cls[k] not in allowed:
            break
        if view.cls[k] == "m":
            before = view.prev_token(k)
            if before < 0 or view.cls[before] not in CONTENT:
                break
        i = k
        count += 1
    while i < first and view.cls[i] in "mS" and view.cls[i] != "D":
        i += 1  # a stem does not start with ・ or a bare suffix
    return i


def stem_words(view: TextView, i: int, j: int) -> list[str]:
    return [view.token_text(k) for k in range(i, j) if view.cls[k] != "w"]


def is_compound_final(view: TextView, j: int, allow: str = "") -> bool:
    """True when the noun compound ends at token ``j`` (exclusive): nothing noun-like follows.

    ``allow`` lists token classes that may follow anyway (P/H/G for 山川電鉄北野線).
    等 and など may always follow (第九銀行等).
    """
    k = view.next_token(j)
    if k >= len(view.cls):
        return True
    c = view.cls[k]
    if c in allow or c == "D":
        return True  # 交付金 2019年度補正: a number after a name starts a new phrase
    if c not in NOUNISH or c == "m":
        return c != "m" or not (k + 1 < len(view.cls) and view.cls[k + 1] in CONTENT)
    return view.token_text(k) in ("等", "ら", "など")


# First words that make a stem generic or deictic: 同社, 本事業, 当該制度, 各銀行, 他大学
DEICTIC_FIRST = frozenset(
    "本 同 当 当該 各 各種 他 諸 両 上記 下記 前記 該 その この あの 某 既存 今回 今後 次期 一部 全 全て 全国 "
    "自 自社 我が 貴 弊 別 新規 一般 通常 主要 関連 所定".split()
)


# Deictic words inside a stem: what follows them is a back-reference (原則本補助金, 当該事業)
DEICTIC_INSIDE = frozenset({"本", "同", "当", "当該", "各", "該", "上記", "前記", "下記"})


def has_nameish(view: TextView, i: int, j: int) -> bool:
    """A proper noun, an unknown katakana word or a Latin word among tokens [i, j) (era names aside)."""
    return any(view.cls[k] in NAMEISH and view.token_text(k) not in ERA_NAMES for k in range(i, j))
