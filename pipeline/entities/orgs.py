"""Organization (ORG) recognizer: gazetteers + suffix rules over fugashi tokens.

What counts (see the brief): municipalities and prefectures, ministries and agencies,
companies, banks and credit unions, universities and faculties, research institutes,
foundations, councils, centers. Generic nouns (金融機関, 中小企業) do not.

How a name is found, strongest evidence first:

1. Gazetteers (``data/prefectures.csv``, ``data/municipalities.csv``,
   ``data/public_bodies.csv``): exact names and standard short names at token boundaries.
2. Legal forms: 株式会社ＡＢＣ, ＡＢＣ株式会社, 公益財団法人ＡＢＣ.
3. Suffixes with a name stem (``data/org_suffixes.csv``): …銀行, …大学, …研究所, …協議会,
   …センター, …製作所, …工業, …社. How much stem a suffix needs is its *mode* (below).
4. Context: an item enumerated with a recognized company (大和製作所、ミナトテック、浜野精密),
   a list closed by a category noun (サンマート、あおば屋など大手チェーン店), a parenthesis
   that describes a company (カワセミ（地元の食品メーカー）), a proper noun that unidic knows as
   a name (固有名詞-一般, e.g. ニトリ).

Everything runs on a ``TextView``: the text folded to half-width (same length), with
spaces between CJK characters removed for matching, and the token arrays of the
tokenizer, so a rule can ask "does this start at a token?" or walk a name stem leftwards.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.entities.linking import Candidate, official_name
from pipeline.entities.numerals import fold_width
from pipeline.stages.tokens import TokenInfo

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Token classes (see pipeline.stages.tokens): which may form part of a name.
NOUNISH = frozenset("PHGKULDNVAFSm")
NAMEISH = frozenset("PHGUL")  # proper nouns, unknown katakana words, Latin words
CONTENT = frozenset("PHGKULDNVA")
ERA_NAMES = frozenset({"明治", "大正", "昭和", "平成", "令和"})

# First words that make a stem generic or deictic: 同社, 本事業, 当該制度, 各銀行, 他大学
DEICTIC_FIRST = frozenset(
    "本 同 当 当該 各 各種 他 諸 両 上記 下記 前記 該 その この あの 某 既存 今回 今後 次期 一部 全 全て 全国 "
    "自 自社 我が 貴 弊 別 新規 一般 通常 主要 関連 所定".split()
)


# First words that make an organization stem generic: 都道府県労働局, 管轄労働局, 地元金融機関
GENERIC_FIRST = frozenset(
    "都道府県 市町村 管轄 所轄 最寄り 地元 県内 市内 町内 村内 国内 海外 民間 大手 外部 関係 全国 各地 該当 "
    "対象 所管 担当 近隣 周辺 公的 別途 上位 下位 直轄 傘下 系列 取引 提携 協力 支援 委託 受託 特例 過半数 "
    "企業 協業 個人 法人 任意 一般 従来 既存 新規 設立 各種".split()
)
# Words that together cannot name an organization (補助金事務局, 経済産業局, 商工会・商工会議所)
GENERIC_ORG_WORDS = frozenset(
    "補助 金 事務 別途 管轄 所轄 都道府県 市町村 地方 地域 産業 経済 労働 研究 開発 技術 支援 事業 行政 政策 "
    "企業 中小 国際 国内 海外 民間 公的 公設 共同 関係 関連 担当 窓口 相談 総合 中央 本部 外部 大手 地元 商工 会 "
    "有限 責任 投資 専門 情報 運営 管理 全国 連絡 推進 協議 審査 事業者 会員 団体 機関 組織".split()
)
# Deictic words inside a stem: what follows them is a back-reference (原則本補助金, 当該事業)
DEICTIC_INSIDE = frozenset({"本", "同", "当", "当該", "各", "該", "上記", "前記", "下記"})

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

    __slots__ = ("text", "key", "_c2o", "starts", "ends", "cls", "start_token", "end_token", "kind")

    def __init__(self, text: str, info: TokenInfo, kind: str | None = None) -> None:
        self.text = text
        self.kind = kind
        self.key, self._c2o = compact(fold_width(text))
        self.starts = info.starts
        self.ends = info.ends
        self.cls = info.cls
        self.start_token = {s: i for i, s in enumerate(info.starts)}
        self.end_token = {e: i for i, e in enumerate(info.ends)}

    def orig(self, position: int) -> int:
        """Original offset of key position ``position`` (``len(key)`` → ``len(text)``)."""
        return position if self._c2o is None else self._c2o[position]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of key span [start, end)."""
        if self._c2o is None:
            return start, end
        return self._c2o[start], self._c2o[end - 1] + 1

    def key_of_orig(self, position: int) -> int:
        """Key position of an original offset (the next kept character when it was removed)."""
        if self._c2o is None:
            return position
        return bisect.bisect_left(self._c2o, position)

    def token_at(self, position: int) -> int:
        """Index of the token that contains original offset ``position`` (-1 if none)."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index >= 0 and position < self.ends[index]:
            return index
        return -1

    def tokens_of(self, start: int, end: int) -> tuple[int, int] | None:
        """Token range [i, j) exactly covering original [start, end), or None if it cuts a token."""
        i = self.start_token.get(start)
        j = self.end_token.get(end)
        if i is None or j is None:
            return None
        return i, j + 1

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


# --- data ---------------------------------------------------------------------------------
def trie_regex(words: Iterable[str]) -> str:
    """One regex for many literal words, as a prefix tree (much faster than a|b|c...).

    Matching is greedy, so the longest word at a position wins (大和郡山市 over 大和).
    """
    trie: dict[str, dict] = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and not ends_here:
            return branches[0]
        single = all(len(b) == 1 for b in branches)
        body = ("[" + "".join(branches) + "]") if single and len(branches) > 1 else "(?:" + "|".join(branches) + ")"
        if len(branches) == 1:
            body = "(?:" + branches[0] + ")"
        return body + ("?" if ends_here else "")

    return build(trie) or "(?!)"


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    """Official name (what the entity is called)."""
    type: str
    label: str = "ORG"
    note: str = ""


@dataclass
class OrgSuffix:
    suffix: str
    type: str
    mode: str
    """legal | legal_prefix | strong | weak | sha | unit | place (see org_suffixes.csv)."""


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]


@dataclass
class OrgData:
    """Everything the ORG rules read from ``data/``; loaded once per data folder."""

    surfaces: dict[str, GazetteerEntry]
    """Folded surface (name or alias) → entry."""
    designated_cities: frozenset[str]
    prefectures: frozenset[str]
    municipalities: frozenset[str]
    suffixes: dict[str, OrgSuffix]
    gazetteer_pattern: re.Pattern[str]
    suffix_pattern: re.Pattern[str]
    prefix_pattern: re.Pattern[str]


@lru_cache(maxsize=4)
def load_org_data(data_dir: str | None = None) -> OrgData:
    folder = Path(data_dir) if data_dir else DATA_DIR
    surfaces: dict[str, GazetteerEntry] = {}
    prefectures: set[str] = set()
    for row in _read_csv(folder / "prefectures.csv"):
        entry = GazetteerEntry(row["name"], "prefecture")
        surfaces[row["name"]] = entry
        prefectures.add(row["name"])
    municipalities: set[str] = set()
    designated: set[str] = set()
    for row in _read_csv(folder / "municipalities.csv"):
        name = row["name"]
        municipalities.add(name)
        if row.get("designated_city") == "1":
            designated.add(name)
        surfaces.setdefault(name, GazetteerEntry(name, "municipality"))
    for row in _read_csv(folder / "public_bodies.csv"):
        entry = GazetteerEntry(row["name"], row["type"], "ORG", row.get("note", ""))
        surfaces[fold_width(row["name"])] = entry
        for alias in filter(None, (row.get("aliases") or "").split("|")):
            surfaces[fold_width(alias)] = entry
    suffixes: dict[str, OrgSuffix] = {}
    for row in _read_csv(folder / "org_suffixes.csv"):
        suffixes[fold_width(row["suffix"])] = OrgSuffix(fold_width(row["suffix"]), row["type"], row["mode"])
    gazetteer_pattern = re.compile(trie_regex(surfaces))
    suffix_names = [s for s, d in suffixes.items() if d.mode != "legal_prefix"]
    suffix_pattern = re.compile("(?=(" + trie_regex(suffix_names) + "))")
    prefix_names = [s for s, d in suffixes.items() if d.mode in ("legal_prefix", "legal")]
    prefix_pattern = re.compile(trie_regex(prefix_names))
    return OrgData(
        surfaces, frozenset(designated), frozenset(prefectures), frozenset(municipalities), suffixes,
        gazetteer_pattern, suffix_pattern, prefix_pattern,
    )


# --- rule priorities (higher wins an overlap) ----------------------------------------------
PRIORITY = {
    "legal": 90, "gazetteer": 80, "ward": 85, "strong": 70, "unit": 70, "weak": 60, "sha": 60,
    "place": 60, "quote": 75, "abbreviation": 65, "municipality_pattern": 55, "enumeration": 40,
    "category": 40, "description": 45, "proper_noun": 30, "propagated": 20,
}

_LATIN_LETTER = re.compile(r"[A-Za-z]")
# A municipality name fused with the next morpheme: 松江市長 (市長), 岐阜県内 (県内), 静岡市民 (市民)
_FUSED_ADMIN = re.compile(r"^[市町村区県府都道][長内外民議役立営有政]")


def _aligned_end(view: TextView, end: int, allow_fused: bool) -> bool:
    if end in view.end_token:
        return True
    if not allow_fused:
        return False
    k = view.token_at(end - 1)
    return k >= 0 and view.starts[k] == end - 1 and bool(_FUSED_ADMIN.match(view.token_text(k)))


def _latin_bounded(view: TextView, kstart: int, kend: int) -> bool:
    key = view.key
    before = key[kstart - 1] if kstart > 0 else " "
    after = key[kend] if kend < len(key) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalpha())


def find_gazetteer_orgs(view: TextView, data: OrgData) -> list[Candidate]:
    """Exact gazetteer names at token boundaries: 岐阜県, 松江市, 経済産業省, 経産省, 国交省, JA."""
    found: list[Candidate] = []
    for match in data.gazetteer_pattern.finditer(view.key):
        surface = match.group()
        entry = data.surfaces[surface]
        start, end = view.orig_span(*match.span())
        if _LATIN_LETTER.match(surface) or _LATIN_LETTER.search(surface[-1:]):
            if not _latin_bounded(view, *match.span()):
                continue
        if start not in view.start_token:
            continue
        if not _aligned_end(view, end, allow_fused=entry.type in ("municipality", "prefecture")):
            continue
        canonical = entry.name if surface != entry.name else None
        found.append(
            Candidate(
                "ORG", start, end, view.text[start:end], type=entry.type, rule="gazetteer",
                priority=PRIORITY["gazetteer"], canonical=canonical,
            )
        )
    return found


def _trim_stem(view: TextView, i: int, first: int) -> int:
    """Where a stem really starts.

    * after 等 / など: 大学等米国・見本州立大学 → 米国・見本州立大学;
    * at the first name word when only common nouns come before it (figure labels run into
      names: 遠隔操作ロボットシステム京都大学 → 京都大学). Stems without a name word are kept.
    """
    for k in range(first - 1, i - 1, -1):
        word = view.token_text(k)
        if word in ("等", "など") or word in DEICTIC_INSIDE:
            i = k + 1
            break
    k = i
    while k < first and view.cls[k] in "NVKAw":
        k += 1
    if i < k < first and view.cls[k] in NAMEISH and view.token_text(k) not in ERA_NAMES and \
            view.starts[k] - view.starts[i] >= 3:
        return k  # (one short word in front stays: 東|信州…)
    return i


def _stem_is_generic(words: list[str]) -> bool:
    if not words:
        return True
    return words[0] in DEICTIC_FIRST


def _has_nameish(view: TextView, i: int, j: int) -> bool:
    return any(view.cls[k] in NAMEISH and view.token_text(k) not in ERA_NAMES for k in range(i, j))


def _content_count(view: TextView, i: int, j: int) -> int:
    return sum(1 for k in range(i, j) if view.cls[k] in CONTENT)


def find_suffix_orgs(view: TextView, data: OrgData, known: list[Candidate]) -> list[Candidate]:
    """Names made of a stem and an organization suffix (…銀行, …大学, …製作所, …社)."""
    found: list[Candidate] = []
    key = view.key
    for match in data.suffix_pattern.finditer(key):
        suffix = match.group(1)
        info = data.suffixes[suffix]
        kstart, kend = match.start(1), match.start(1) + len(suffix)
        start, end = view.orig_span(kstart, kend)
        first = view.start_token.get(start)
        last = view.end_token.get(end)
        if first is None or last is None:
            continue
        j = last + 1
        candidate = _suffix_candidate(view, data, info, first, j, known)
        if candidate is not None:
            found.append(candidate)
    return found


def _suffix_candidate(
    view: TextView, data: OrgData, info: OrgSuffix, first: int, j: int, known: list[Candidate]
) -> Candidate | None:
    mode = info.mode
    if mode == "legal":
        # ＡＢＣ株式会社: any name stem (株式会社ＡＢＣ is handled by find_prefixed_orgs)
        i = walk_stem(view, first, frozenset("PHGKULDNVAFm"), 8)
        if i == first or _stem_is_generic(stem_words(view, i, first)):
            return None
        if not _has_nameish(view, i, first) and any(
            "".join(stem_words(view, i, first)).startswith(g) for g in GENERIC_FIRST
        ):
            return None  # 特例有限会社: a kind of company
        if data.prefix_pattern.search(fold_width(view.span_text(i, first))) or "法人" in view.span_text(i, first):
            return None  # 株式会社有限会社合同会社: a list of legal forms
        return view.candidate("ORG", i, j, type=info.type, rule=f"legal:{info.suffix}", priority=PRIORITY["legal"])
    if mode in ("strong", "unit", "named"):
        if not is_compound_final(view, j, allow="PHG" if mode == "strong" else ""):
            return None
        i = walk_stem(view, first, NOUNISH, 10)
        if i == first:
            # みなと信用金庫: a hiragana name right after a boundary
            return _hiragana_candidate(view, first, j, info) if _hiragana_name(view, first) else None
        i = _trim_stem(view, i, first)
        if i == first:
            return None
        words = stem_words(view, i, first)
        if _stem_is_generic(words):
            return None
        for k in range(first - 1, i, -1):
            if view.cls[k] == "m":
                # 行政手続・中小企業庁: a list joined by ・ in front of a known name
                tail = fold_width(view.text[view.starts[k + 1]:view.ends[j - 1]])
                if tail in data.surfaces:
                    i = k + 1
                break
        nameish = _has_nameish(view, i, first)
        if not nameish:
            content = [view.token_text(k) for k in range(i, first) if view.cls[k] in CONTENT]
            stem_text = "".join(content)
            if content and (any(stem_text.startswith(g) for g in GENERIC_FIRST)
                            or all(w in GENERIC_ORG_WORDS for w in content)):
                return None  # 都道府県労働局, 補助金事務局: a kind of office, not a named one
        if view.cls[i] == "D" and info.type != "bank":
            return None  # 24時間コールセンター: a stem starting with a number is a product, not a name
        if info.suffix in ("学部", "研究科", "大学院") and not any("大学" in w for w in words):
            return None  # 理工学部 alone is generic; 桜台大学理工学部 is a name
        if mode == "unit":
            # …課…室: a section is an organization only with its owner or parent unit in the name
            if not any(w in ("課", "部", "局", "省", "庁", "市", "県", "町", "村", "都", "府") for w in words):
                return None
        elif not (_has_nameish(view, i, first) or _content_count(view, i, first) >= 2
                  or (info.type == "bank" and "D" in view.cls[i:first])
                  or _HIRAGANA_NAME.match(view.span_text(i, first))):
            return None  # (みなと信用金庫, あおぞら銀行: a hiragana word alone can be a name)
        if not _has_nameish(view, i, first) and _DESCRIBES_NAME.match(view.text, view.ends[j - 1]):
            return None  # …コンソーシアムである「きらりプロジェクト」: a description, the name is quoted
        if info.mode == "named" and not _has_nameish(view, i, first):
            return None  # ニューラルネットワーク: a generic network; 北国ものづくりネットワーク: a name
        return view.candidate("ORG", i, j, type=info.type, rule=f"{mode}:{info.suffix}",
                              priority=PRIORITY["strong" if mode == "named" else mode])
    if mode in ("weak", "place"):
        # 山城電気, サンライズ工業, 神戸空港: only name words before the suffix
        if not is_compound_final(view, j, allow="PHG"):
            return None
        i = walk_stem(view, first, frozenset("PHGKULF"), 5)
        if i == first:
            return _hiragana_candidate(view, first, j, info) if _hiragana_name(view, first) else None
        k = view.prev_token(i)
        if k >= 0 and view.cls[k] in "NVAKSD":
            return None  # 自動車産業, 金属工業: the compound goes on with common nouns
        if not _has_nameish(view, i, first):
            # katakana only: a coined compound (サンライズ工業), not one industry word (サービス産業)
            if sum(1 for x in range(i, first) if view.cls[x] == "K") < 2 or any(
                view.cls[x] != "K" for x in range(i, first)
            ):
                return None
        if view.cls[i] == "F" and first - i == 1:
            return None
        return view.candidate("ORG", i, j, type=info.type, rule=f"{mode}:{info.suffix}", priority=PRIORITY[mode])
    if mode == "sha":
        # グラナダテック社, ABC社: katakana or Latin name + 社
        if not is_compound_final(view, j):
            return None
        i = walk_stem(view, first, frozenset("KULGPH"), 4)
        if i == first:
            return None
        k = view.prev_token(i)
        if k >= 0 and view.cls[k] in "NVSDPH":
            return None
        stem = view.span_text(i, first)
        if len(stem) < 2 or not _KATAKANA_LATIN.match(stem):
            return None
        return view.candidate("ORG", i, j, type=info.type, rule="sha", priority=PRIORITY["sha"])
    return None


# a copula and a quoted name right after a noun phrase: it describes the name
_DESCRIBES_NAME = re.compile(r"\s*(?:である|であり|であった)\s*[「『]")

_KATAKANA_LATIN = re.compile(r"^[\u30a0-\u30ffー・A-Za-zＡ-Ｚａ-ｚ0-9０-９&＆. ]+$")
_HIRAGANA_DETERMINERS = frozenset(
    "それぞれ すべて これら それら あれら あらゆる ほか その他 そのほか いずれ どの この その あの おのおの "
    "ほとんど いくつか たくさん わが".split()
)
_HIRAGANA_NAME = re.compile(r"^[\u3041-\u309f]{3,8}$")
_HIRAGANA_RUN = re.compile(r"[\u3041-\u309f]{3,8}$")


def _hiragana_name(view: TextView, first: int) -> bool:
    """わかば鉄道, ひまわり銀行: a hiragana name right after a list comma or the start of the text.

    A determiner or quantifier + の is no name (それぞれの営業所, すべての大学).
    """
    start = view.starts[first]
    before = view.text[:start]
    run = _HIRAGANA_RUN.search(before)
    if not run:
        return False
    if run.group().rstrip("の") in _HIRAGANA_DETERMINERS or run.group() in _HIRAGANA_DETERMINERS:
        return False
    preceding = before[: run.start()].rstrip()
    return not preceding or preceding[-1] in "、,，・「（(　 "


def _hiragana_candidate(view: TextView, first: int, j: int, info: OrgSuffix) -> Candidate | None:
    start = view.starts[first]
    run = _HIRAGANA_RUN.search(view.text[:start])
    if run is None:
        return None
    begin, end = run.start(), view.ends[j - 1]
    return Candidate("ORG", begin, end, view.text[begin:end], type=info.type, rule=f"hiragana:{info.suffix}",
                     priority=PRIORITY["weak"])


def find_prefixed_orgs(view: TextView, data: OrgData) -> list[Candidate]:
    """Names after a legal-form prefix: 株式会社山田製作所, 公益財団法人みどり市振興財団, (株)ABC."""
    found: list[Candidate] = []
    for match in data.prefix_pattern.finditer(view.key):
        info = data.suffixes[match.group()]
        start, end = view.orig_span(*match.span())
        first = view.start_token.get(start)
        if first is None:
            # (株) and （公財） are cut by the tokenizer; start at the bracket
            first = view.token_at(start)
            if first < 0 or view.starts[first] != start:
                continue
        last = view.token_at(end - 1)
        if last < 0:
            continue
        j = last + 1
        k = j
        count = 0
        while k < len(view.cls) and count < 10:
            nxt = view.next_token(k)
            if nxt >= len(view.cls) or view.cls[nxt] not in NOUNISH or view.cls[nxt] == "D":
                break
            if view.token_text(nxt) in ("等", "など", "ら"):
                break
            if count and _starts_prefecture(view, nxt, data):
                break  # 株式会社ABC岐阜県大垣市…: an address follows the name
            if view.cls[nxt] == "m" and not (nxt + 1 < len(view.cls) and view.cls[nxt + 1] in CONTENT):
                break
            k = nxt + 1
            count += 1
        if k == j:
            continue
        tail = view.span_text(j, k)
        if data.prefix_pattern.search(fold_width(tail)) or "法人" in tail:
            continue  # 株式会社有限会社合同会社…: a list of legal forms, not a name
        org_type = info.type
        found.append(view.candidate("ORG", first, k, type=org_type, rule=f"legal:{info.suffix}",
                                    priority=PRIORITY["legal"] + 1))
    return found


def _starts_prefecture(view: TextView, k: int, data: OrgData) -> bool:
    start = view.starts[k]
    head = fold_width(view.text[start:start + 4])
    return any(head.startswith(p) for p in (head[:3], head[:4]) if p in data.prefectures)


def find_municipality_patterns(view: TextView, data: OrgData, known: list[Candidate]) -> list[Candidate]:
    """Wards and municipalities missing from the list (e.g. towns and villages merged away since).

    * 静岡市清水区: a designated city followed by a ward name.
    * 〈proper noun〉市/町/村 enumerated next to a known municipality or right after a prefecture.
    """
    found: list[Candidate] = []
    known_ends = {c.end: c for c in known if c.type in ("municipality", "prefecture")}
    known_starts = {c.start: c for c in known if c.type in ("municipality", "prefecture")}
    if not known_ends:
        return found
    cls = view.cls
    n = len(cls)
    for j in range(n):
        word = view.token_text(j)
        if word not in ("市", "町", "村", "区"):
            continue
        i = j
        while i > 0 and cls[i - 1] in "PHG" and j - i < 2:
            i -= 1
        if word == "区":
            # ward of a designated city: 静岡市|清水|区, 札幌市|北|区
            k = j
            while k > 0 and cls[k - 1] in "PHGN" and j - k < 2 and view.token_text(k - 1) not in ("市",):
                k -= 1
            owner = known_ends.get(view.starts[k]) if k < j else None
            if owner is not None and owner.text in data.designated_cities and is_compound_final(view, j + 1, "PHG"):
                ward = view.candidate("ORG", k, j + 1, type="municipality", rule="ward", priority=PRIORITY["ward"])
                full = Candidate("ORG", owner.start, ward.end, view.text[owner.start:ward.end], type="municipality",
                                 rule="ward", priority=PRIORITY["ward"])
                found.append(full)
                continue
        if i == j or not is_compound_final(view, j + 1, "PHG"):
            continue
        start = view.starts[i]
        if start in known_starts:
            continue
        before = view.text[:start].rstrip()
        after = view.text[view.ends[j]:].lstrip()
        prev_known = any(before.endswith(c.text) or before.endswith(c.text + "、") for c in known_ends.values()
                         if c.end <= start and start - c.end <= 2)
        next_known = after[:1] in ("、", "・") and any(
            c.start > view.ends[j] and c.start - view.ends[j] <= 2 for c in known_starts.values()
        )
        after_prefecture = any(c.end == start and c.type == "prefecture" for c in known_ends.values())
        if prev_known or next_known or after_prefecture:
            candidate = view.candidate("ORG", i, j + 1, type="municipality", rule="municipality_pattern",
                                       priority=PRIORITY["municipality_pattern"])
            found.append(candidate)
            known_ends[candidate.end] = candidate  # 新庄市、鮭川村、真室町: the chain goes on
            known_starts[candidate.start] = candidate
    return found


def find_abbreviations(view: TextView, primary: list[Candidate]) -> list[Candidate]:
    """X（ABC） right after a name: ABC is the same organization (北国…センター（NAMC））."""
    found: list[Candidate] = []
    text = view.text
    for candidate in primary:
        if candidate.label not in ("ORG", "PROGRAM"):
            continue
        rest = text[candidate.end:candidate.end + 40]
        match = re.match(r"\s*[（(]\s*(?:以下[、,]?\s*)?[「『]?([A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ0-9０-９&＆・\-]{1,11})[」』]?\s*[）)]", rest)
        if match is None:
            match = re.match(r"\s*[（(]\s*以下[、,]?\s*[「『]([^」』]{1,20})[」』]", rest)
        if match is None:
            continue
        start = candidate.end + match.start(1)
        end = candidate.end + match.end(1)
        alias = text[start:end]
        if alias[:1] in ("本", "同", "当", "該", "各") or alias.strip() in ("事業", "補助金", "会社", "法人"):
            continue  # （以下「本事業」）: a generic back-reference, not a name
        candidate.aliases.append(alias)
        found.append(Candidate(candidate.label, start, end, alias, type=candidate.type, rule="abbreviation",
                               priority=PRIORITY["abbreviation"], fields={"alias_of": candidate.text}))
    return found


# --- context rules -----------------------------------------------------------------------------
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
    while k < n and view.cls[k] in "PHGKULDNVAFSm" and k - i < 8:
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
            if view.cls[start] == "o" and depth < 3:
                close = _skip_parenthesis(view, start)
                groups.extend(_enumerations(view, start + 1, min(close - 1, n), depth + 1))
                k = max(close, start + 1)
            else:
                k = start + 1
            continue
        paren = view.next_token(end)
        after = _skip_parenthesis(view, paren) if paren < n else paren
        if after > paren and depth < 3:
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
    if not _has_nameish(view, item.i, item.j):
        katakana = all(view.cls[x] == "K" for x in range(item.i, item.j))
        if not katakana or len(view.span_text(item.i, item.j)) < 4:
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
        i = walk_stem(view, j, frozenset("PHGKULNVS"), 6)
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
        if len(view.text[a:b]) < 3 or not any(
            view.cls[x] == "G" and not view.token_text(x).isascii() for x in range(i, j)
        ):
            continue  # コン (a word cut at a line end), DM
        found.append(view.candidate("ORG", i, j, type="company", rule="proper_noun", priority=PRIORITY["proper_noun"]))
    return found


def find_orgs(view: TextView, data: OrgData | None = None) -> list[Candidate]:
    """All ORG candidates of one text (overlaps are resolved later)."""
    data = data or load_org_data()
    primary = find_gazetteer_orgs(view, data)
    primary += find_prefixed_orgs(view, data)
    primary += find_suffix_orgs(view, data, primary)
    primary += find_municipality_patterns(view, data, primary)
    for candidate in primary:
        if candidate.canonical is None and candidate.type == "bank":
            candidate.canonical = official_name(candidate.text)
    context = find_context_orgs(view, primary)
    context += find_described_orgs(view, primary + context)
    everything = primary + context
    everything += find_proper_noun_orgs(view, everything)
    everything += find_abbreviations(view, [c for c in everything if c.priority >= 50])
    return everything
