"""ORG rules that read context: an item enumerated with a recognized company
(大和製作所、ミナトテック、浜野精密), a list closed by a category noun (サンマート、あおば屋など大手
チェーン店), a parenthesis that describes a company (カワセミ（地元の食品メーカー）), and a
proper noun unidic knows as a name (ニトリ)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.japanese.eras import ERA_NAMES
from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.textview import CONTENT, DEICTIC_FIRST, TextView, has_nameish, stem_words, walk_stem

MAX_ITEM_TOKENS = 8
"""Tokens one enumerated item may have (大和製作所)."""
MAX_PAREN_DEPTH = 3
"""Parentheses inside parentheses searched for enumerations."""
MIN_KATAKANA_NAME_CHARS = 4
"""A katakana-only item this long at least may be a company's name (ミナトテック)."""
DESCRIBED_STEM_TOKENS = 6
"""Tokens of a name described in parentheses (カワセミ（地元の食品メーカー）)."""
MIN_PROPER_NOUN_CHARS = 3
"""A proper-noun name at least this long (ニトリ; not コン, a word cut at a line end)."""

# Category nouns that say the items before them are organizations: …など大手チェーン店, …等の企業
CATEGORY_NOUNS = {
    "企業": "company", "会社": "company", "メーカー": "company", "店": "company", "チェーン": "company",
    "スーパー": "company", "商社": "company", "百貨店": "company", "業者": "company", "事業者": "company",
    "銀行": "bank", "金融機関": "bank", "信金": "bank", "大学": "university", "研究機関": "research_institute",
    "団体": "association",
}
_CATEGORY_CUE = re.compile(r"(?:など|等|といった|のような|の)[^、。]{0,12}?(?:" + "|".join(CATEGORY_NOUNS) + ")")
ORG_TYPES_THAT_SPREAD = frozenset({"company", "bank", "university", "research_institute"})


@dataclass
class _Item:
    i: int
    j: int
    """Token range of the item's name (parenthetical description excluded)."""
    after: int
    """Token index after the item, its parenthesis included."""


def _name_run(view: TextView, i: int) -> int:
    """End of a run of name-like tokens starting at ``i`` (``i`` when none)."""
    k = i
    n = len(view.cls)
    while k < n and view.cls[k] in "PHGKULDNVAFSm" and k - i < MAX_ITEM_TOKENS:
        if view.cls[k] == "m" and not (k + 1 < n and view.cls[k + 1] in CONTENT):
            break
        k += 1
    return k


def _skip_parenthesis(view: TextView, k: int) -> int:
    """Skip a balanced parenthesis that starts at token ``k``; returns the token after it."""
    n = len(view.cls)
    if k >= n or view.cls[k] != "o" or view.token_text(k) not in ("（", "("):
        return k
    depth = 0
    while k < n:
        word = view.token_text(k)
        if view.cls[k] == "o" and word in ("（", "("):
            depth += 1
        elif view.cls[k] == "c" and word in ("）", ")"):
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    return k


_SEPARATORS = frozenset({"、", ",", "，", "や", "及び", "および", "並びに", "と"})


def _enumerations(view: TextView, lo: int = 0, hi: int | None = None, depth: int = 0) -> list[list[_Item]]:
    """Sequences of ≥2 noun phrases separated by 、 や と (each may carry a parenthesis).

    Parentheses are searched too: 企業（ABC（…）、浜野精密（…）、ミナトテック（…））.
    """
    groups: list[list[_Item]] = []
    n = len(view.cls) if hi is None else hi
    k = lo
    current: list[_Item] = []
    while k < n:
        start = view.next_token(k)
        if start >= n:
            break
        end = _name_run(view, start)
        if end > n:
            end = n
        if end == start:
            if len(current) >= 2:
                groups.append(current)
            current = []
            if view.cls[start] == "o" and depth < MAX_PAREN_DEPTH:
                close = _skip_parenthesis(view, start)
                groups.extend(_enumerations(view, start + 1, min(close - 1, n), depth + 1))
                k = max(close, start + 1)
            else:
                k = start + 1
            continue
        paren = view.next_token(end)
        after = _skip_parenthesis(view, paren) if paren < n else paren
        if after > paren and depth < MAX_PAREN_DEPTH:
            groups.extend(_enumerations(view, paren + 1, min(after - 1, n), depth + 1))
        item = _Item(start, end, after)
        nxt = view.next_token(after)
        separator = view.token_text(nxt) if nxt < n else ""
        if separator in _SEPARATORS and separator != "と" or (
            separator == "と" and not current and nxt + 1 < n and view.cls[view.next_token(nxt + 1)] in "PHGKUL"
        ):
            current.append(item)
            k = nxt + 1
            if separator == "と":
                # AとB: a pair, not the start of a longer list (ABCテックと見本大学、画像AIを用いた)
                second_end = _name_run(view, view.next_token(k))
                if second_end > view.next_token(k):
                    nxt_item = view.next_token(k)
                    after2 = _skip_parenthesis(view, view.next_token(second_end))
                    current.append(_Item(nxt_item, second_end, after2))
                    groups.append(current)
                    current = []
                    k = max(after2, nxt_item + 1)
            continue
        current.append(item)
        if len(current) >= 2:
            groups.append(current)
        current = []
        k = max(after, start + 1)
    if len(current) >= 2:
        groups.append(current)
    return groups


def _item_is_namelike(view: TextView, item: _Item) -> bool:
    if not has_nameish(view, item.i, item.j):
        katakana = all(view.cls[x] == "K" for x in range(item.i, item.j))
        if not katakana or len(view.span_text(item.i, item.j)) < MIN_KATAKANA_NAME_CHARS:
            return False
    words = stem_words(view, item.i, item.j)
    if words and words[0] in DEICTIC_FIRST:
        return False
    if view.cls[item.i] == "D":
        return False
    return True


def _only_places(view: TextView, item: _Item) -> bool:
    return all(view.cls[x] == "P" for x in range(item.i, item.j))


def find_context_orgs(view: TextView, known: list[Candidate]) -> list[Candidate]:
    """Items enumerated with known organizations, or followed by a category noun."""
    found: list[Candidate] = []
    if not any(c.type in ORG_TYPES_THAT_SPREAD for c in known) and not _CATEGORY_CUE.search(view.text):
        return found
    by_span = {(c.start, c.end): c for c in known if c.label == "ORG"}
    covered = [(c.start, c.end) for c in known]
    for group in _enumerations(view):
        types: list[str | None] = []
        for item in group:
            hit = by_span.get((view.starts[item.i], view.ends[item.j - 1]))
            types.append(hit.type if hit else None)
        category = _category_after(view, group[-1].after)
        spreading = [t for t in types if t in ORG_TYPES_THAT_SPREAD]
        if not spreading and category is None:
            continue
        unknown_items = [item for item, t in zip(group, types) if t is None]
        all_others_known = len(unknown_items) <= max(1, len(group) // 3)
        for index, (item, found_type) in enumerate(zip(group, types)):
            if found_type is not None:
                continue
            start, end = view.starts[item.i], view.ends[item.j - 1]
            if any(a <= start and end <= b for a, b in covered):
                continue
            if not _item_is_namelike(view, item):
                continue
            if _only_places(view, item) and not (all_others_known and category is None and spreading):
                continue
            if category is not None:
                org_type, rule = category, "category"
            else:
                org_type, rule = _nearest_type(types, index), "enumeration"
            found.append(view.candidate("ORG", item.i, item.j, type=org_type, rule=rule, priority=PRIORITY[rule]))
    return found


def _nearest_type(types: list[str | None], index: int) -> str:
    for distance in range(1, len(types)):
        for k in (index - distance, index + distance):
            if 0 <= k < len(types) and types[k] in ORG_TYPES_THAT_SPREAD:
                return types[k]  # type: ignore[return-value]
    return "company"


def _category_after(view: TextView, k: int) -> str | None:
    """など地元スーパー / 等の企業 / といった大学 right after an enumeration."""
    n = len(view.cls)
    k = view.next_token(k)
    if k >= n or view.token_text(k) not in ("など", "等", "といった", "のような", "の"):
        return None
    k += 1
    for _ in range(5):
        k = view.next_token(k)
        if k >= n:
            return None
        word = view.token_text(k)
        if word in CATEGORY_NOUNS:
            nxt = view.next_token(k + 1)
            if nxt < n and view.token_text(nxt) in CATEGORY_NOUNS:
                return CATEGORY_NOUNS[view.token_text(nxt)]
            return CATEGORY_NOUNS[word]
        if view.cls[k] not in "NVKFSp" or word in ("が", "は", "を", "に"):
            return None
        k += 1
    return None


_DESCRIPTION = re.compile(r"[（(]([^（）()]{0,30}?)(会社|企業|メーカー|スーパー|商社|百貨店|銀行|チェーン店?)[）)]")


def find_described_orgs(view: TextView, known: list[Candidate]) -> list[Candidate]:
    """カワセミ（地元の食品メーカー）, ABC（部品加工会社）: a name described as a company."""
    found: list[Candidate] = []
    covered = [(c.start, c.end) for c in known]
    for match in _DESCRIPTION.finditer(view.text):
        start = match.start()
        k = view.token_at(start)
        if k <= 0:
            continue
        j = k
        i = walk_stem(view, j, frozenset("PHGKULNVS"), DESCRIBED_STEM_TOKENS)
        if i == j:
            continue
        item = _Item(i, j, j)
        if not _item_is_namelike(view, item):
            continue
        # trim common nouns in front of the name: 地元金融機関（第九銀行） is not this rule's job
        while i < j and view.cls[i] in "NV":
            i += 1
        if i == j:
            continue
        a, b = view.starts[i], view.ends[j - 1]
        if any(x <= a and b <= y for x, y in covered):
            continue
        org_type = "bank" if match.group(2) == "銀行" else "company"
        found.append(view.candidate("ORG", i, j, type=org_type, rule="description", priority=PRIORITY["description"]))
    return found


def find_proper_noun_orgs(view: TextView, known: list[Candidate]) -> list[Candidate]:
    """A noun compound headed by a name unidic lists as 固有名詞-一般 (ニトリ, ヤマハ, キヤノン).

    The whole compound must be name words (no common nouns after it), so 北信越 or
    東海地方 (a region) and ISO14001 (a standard) are left alone.
    """
    found: list[Candidate] = []
    cls = view.cls
    if "G" not in cls:
        return found
    covered = [(c.start, c.end) for c in known]
    n = len(cls)
    k = 0
    while k < n:
        if cls[k] != "G" or view.token_text(k) in ERA_NAMES:
            k += 1
            continue
        i = k
        while i > 0 and cls[i - 1] in "GKUL" and view.starts[i] == view.ends[i - 1]:
            i -= 1
        j = k + 1
        while j < n and cls[j] in "GKULH" and view.starts[j] == view.ends[j - 1]:
            j += 1
        k = j
        prev = view.prev_token(i)
        nxt = view.next_token(j)
        if prev >= 0 and cls[prev] in "NVSDFPm" and view.ends[prev] == view.starts[i]:
            continue
        if nxt < n and cls[nxt] in "NVSDPm" and view.starts[nxt] == view.ends[j - 1]:
            continue
        if any(view.token_text(x) in ERA_NAMES for x in range(i, j)):
            continue
        a, b = view.starts[i], view.ends[j - 1]
        if any(x < b and a < y for x, y in covered):
            continue
        if len(view.text[a:b]) < MIN_PROPER_NOUN_CHARS or not any(
            view.cls[x] == "G" and not view.token_text(x).isascii() for x in range(i, j)
        ):
            continue  # コン (a word cut at a line end), DM
        found.append(view.candidate("ORG", i, j, type="company", rule="proper_noun", priority=PRIORITY["proper_noun"]))
    return found
