"""Organization (ORG) recognizer: gazetteers + suffix rules over fugashi tokens.

What counts: municipalities and prefectures, ministries and agencies,
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

import re

from pipeline.japanese.eras import ERA_NAMES
from pipeline.japanese.normalize import fold_width
from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.gazetteer import OrgData, OrgSuffix, load_org_data
from pipeline.nlp.names import official_name
from pipeline.nlp.recognizers.abbreviations import find_abbreviations
from pipeline.nlp.recognizers.foreign_orgs import find_foreign_government_orgs, find_latin_orgs
from pipeline.nlp.recognizers.org_context import find_context_orgs, find_described_orgs, find_proper_noun_orgs
from pipeline.nlp.textview import (
    CONTENT,
    DEICTIC_FIRST,
    DEICTIC_INSIDE,
    NAMEISH,
    NOUNISH,
    TextView,
    has_nameish,
    is_compound_final,
    stem_words,
    walk_stem,
)

# First words that make an organization stem generic: 都道府県労働局, 管轄労働局, 地元金融機関
GENERIC_FIRST = frozenset(
    "都道府県 市町村 管轄 所轄 最寄り 地元 県内 市内 町内 村内 国内 海外 民間 大手 外部 関係 全国 各地 該当 "
    "対象 所管 担当 近隣 周辺 公的 別途 上位 下位 直轄 傘下 系列 取引 提携 協力 支援 委託 受託 特例 過半数 "
    "企業 協業 個人 法人 任意 一般 従来 既存 新規 設立 各種".split()
)
LEGAL_STEM_TOKENS = 8
"""Tokens a name before a legal form may have (ＡＢＣ株式会社)."""
NAME_STEM_TOKENS = 10
"""Tokens a name before a strong suffix may have (北国先端材料研究センター)."""
WEAK_STEM_TOKENS = 5
"""Name words before a weak suffix (サンライズ工業)."""
SHA_STEM_TOKENS = 4
"""Katakana or Latin words before 社 (グラナダテック社)."""
PREFIXED_NAME_TOKENS = 10
"""Tokens a name after a legal-form prefix may have (株式会社山田製作所)."""
_LEGAL_STEM = frozenset("PHGKULDNVAFm")
_NAME_WORD_STEM = frozenset("PHGKULF")
_SHA_STEM = frozenset("KULGPH")
# Job titles that follow a company name (株式会社ABC代表取締役, ABC株式会社 シニアディレクター)
JOB_TITLE_WORDS = frozenset(
    "代表 代表取締役 取締役 社長 副社長 会長 専務 常務 執行役員 役員 理事長 理事 監事 所長 支店長 部長 課長 室長 "
    "主任 主席 研究員 顧問 社員 職員 従業員 担当者 CEO CTO COO CFO プレジデント バイスプレジデント "
    "ディレクター マネージャー マネジャー フェロー".split()
)
# Words right after a legal form that show it is used as a word, not before a name (合同会社化, 合同会社以外)
NOT_A_NAME_AFTER_FORM = frozenset("以外 以上 形態 組織 設立 登記 同士 向け 等 化 制度 法 又は 及び".split())
MIN_TRIMMED_CHARS = 3
"""Common nouns in front of a name are trimmed only when they are at least this long."""

# Words that together cannot name an organization (交付金事務局, 経済産業局, 商工会・商工会議所)
GENERIC_ORG_WORDS = frozenset(
    "補助 金 事務 別途 管轄 所轄 都道府県 市町村 地方 地域 産業 経済 労働 研究 開発 技術 支援 事業 行政 政策 "
    "企業 中小 国際 国内 海外 民間 公的 公設 共同 関係 関連 担当 窓口 相談 総合 中央 本部 外部 大手 地元 商工 会 "
    "有限 責任 投資 専門 情報 運営 管理 全国 連絡 推進 協議 審査 事業者 会員 団体 機関 組織".split()
)


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


# Office titles written right after a body's name (経済産業大臣, 中小企業庁長官, …局長)
_OFFICE_TITLES = frozenset({"長", "大臣", "長官", "局長"})


def _office_title_follows(view: TextView, end: int) -> bool:
    """The token after a name is an office's title (労働局|長, 庁|長官), not an award it gives
    (…局長|賞) nor a word that starts alike (JR|長野駅)."""
    k = view.start_token.get(end)
    if k is None:
        k = view.token_at(end)
        if k < 0 or view.starts[k] != end:
            return False
    if view.token_text(k) not in _OFFICE_TITLES:
        return False
    nxt = view.next_token(k + 1)
    return not (nxt < len(view.cls) and view.token_text(nxt).startswith("賞"))


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
        if _office_title_follows(view, end) and entry.type not in ("municipality", "prefecture"):
            continue  # 見本県労働局長, 経済産業大臣: an office (見本市長 and …局長賞 keep the body)
        if not _aligned_end(view, end, allow_fused=entry.type in ("municipality", "prefecture")) and not (
            entry.type == "national_gov" and view.key[match.end():match.end() + 1] == "令"
        ):
            continue  # (国土交通省令第1号, 大蔵省令: an ordinance names its ministry)
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
            view.starts[k] - view.starts[i] >= MIN_TRIMMED_CHARS:
        return k  # (one short word in front stays: 東|信州…)
    return i


def _stem_is_generic(words: list[str]) -> bool:
    if not words:
        return True
    return words[0] in DEICTIC_FIRST


def _content_count(view: TextView, i: int, j: int) -> int:
    return sum(1 for k in range(i, j) if view.cls[k] in CONTENT)


def find_suffix_orgs(view: TextView, data: OrgData) -> list[Candidate]:
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
        candidate = _suffix_candidate(view, data, info, first, j)
        if candidate is not None:
            found.append(candidate)
    return found


def _suffix_candidate(view: TextView, data: OrgData, info: OrgSuffix, first: int, j: int) -> Candidate | None:
    """The name ending with the suffix at tokens [first, j), by how much stem the suffix needs."""
    if info.mode == "legal":
        return _legal_candidate(view, data, info, first, j)
    if info.mode in ("strong", "unit", "named"):
        return _named_unit_candidate(view, data, info, first, j)
    if info.mode in ("weak", "place"):
        return _name_word_candidate(view, info, first, j)
    if info.mode == "sha":
        return _sha_candidate(view, info, first, j)
    return None


def _legal_candidate(view: TextView, data: OrgData, info: OrgSuffix, first: int, j: int) -> Candidate | None:
    """ＡＢＣ株式会社: any name stem (株式会社ＡＢＣ is handled by find_prefixed_orgs)."""
    i = walk_stem(view, first, _LEGAL_STEM, LEGAL_STEM_TOKENS)
    if i == first or _stem_is_generic(stem_words(view, i, first)):
        return None
    if view.starts[i] > 0 and view.text[view.starts[i] - 1] in "./:_-=?#" and view.cls[i] == "L":
        return None  # …/10-1.html株式会社ABC: the end of an address, the form starts the next name
    words = [k for k in range(i, first) if view.cls[k] not in "mw"]
    if len(words) == 1 and words[0] < first - 1 and view.cls[words[0]] in "NVS" and len(view.token_text(words[0])) == 1:
        return None  # 注・合同会社: one common kanji set off by ・ is a label, not a name (森株式会社 is one)
    if not has_nameish(view, i, first) and any(
        "".join(stem_words(view, i, first)).startswith(g) for g in GENERIC_FIRST
    ):
        return None  # 特例有限会社: a kind of company
    if data.prefix_pattern.search(fold_width(view.span_text(i, first))) or "法人" in view.span_text(i, first):
        return None  # 株式会社有限会社合同会社: a list of legal forms
    return view.candidate("ORG", i, j, type=info.type, rule=f"legal:{info.suffix}", priority=PRIORITY["legal"])


def _named_unit_candidate(view: TextView, data: OrgData, info: OrgSuffix, first: int, j: int) -> Candidate | None:
    """…銀行, …大学, …研究所, …協議会 (strong), …課…室 (unit), …ネットワーク (named): a noun stem."""
    mode = info.mode
    spaced = _space_before(view, j)
    if not is_compound_final(view, j, allow="PHG" if mode == "strong" else "") and not spaced:
        return None  # (a space closes a name: 見本支局 総務課)
    i = walk_stem(view, first, NOUNISH, NAME_STEM_TOKENS)
    if i == first:
        # みなと信用金庫: a hiragana name right after a boundary
        return _hiragana_candidate(view, first, j, info) if _hiragana_name(view, first) else None
    i = _trim_stem(view, i, first)
    if i == first:
        return None
    i, under_owner = _after_owner_space(view, data, i, first)
    if i == first:
        return None
    words = stem_words(view, i, first)
    if _stem_is_generic(words):
        return None
    if under_owner and info.mode == "unit":
        return None  # 見本経済産業局 企画室: a section of a national office is a contact address
    for k in range(first - 1, i, -1):
        if view.cls[k] == "m":
            # 行政手続・中小企業庁: a list joined by ・ in front of a known name;
            # 商工会議所・県連合会: a known name on the left, the right part stands alone
            tail = fold_width(view.text[view.starts[k + 1]:view.ends[j - 1]])
            head = fold_width(view.text[view.starts[i]:view.ends[k - 1]])
            if tail in data.surfaces or head in data.surfaces:
                i = k + 1
                words = stem_words(view, i, first)
            break
    if not under_owner and not _stem_names_one(view, info, i, first, j, words):
        return None
    if spaced and not under_owner and not has_nameish(view, i, first) and not is_compound_final(view, j):
        return None  # 造園組合 理容組合 酪農協同組合連合会: kinds of bodies listed with spaces
    return view.candidate("ORG", i, j, type=info.type, rule=f"{mode}:{info.suffix}",
                          priority=PRIORITY["strong" if mode == "named" else mode])


# Last characters of a national office's name, after which a space starts one of its units
# (総務省 自治行政局, 見本経済産業局 企画部)
_NATIONAL_OWNER_ENDS = ("省", "庁", "局", "グループ")
_MUNICIPAL_WORDS = ("市", "県", "町", "村", "都", "府", "区")


def _after_owner_space(view: TextView, data: OrgData, i: int, first: int) -> tuple[int, bool]:
    """Where a name starts when another organization's name and a space come before it.

    総務省 自治行政局 → 自治行政局, under a national office (a named bureau, though its
    words are generic; the caller drops sections, 課 and 室, found this way). 造園組合 理容組合
    → 理容組合: a list. Municipal units keep their owner: 新潟市 企業立地課 stays one name.
    """
    for k in range(first, i, -1):
        if not _space_before(view, k):
            continue
        owner = fold_width(view.span_text(i, k))
        if owner.endswith(_NATIONAL_OWNER_ENDS) and not any(w in owner for w in _MUNICIPAL_WORDS):
            return k, True
        if not any(w in owner for w in _MUNICIPAL_WORDS) and any(
            owner.endswith(suffix) for suffix, info in data.suffixes.items() if info.mode != "unit"
        ):
            return k, False  # (見本市 経済局 支援課 stays one name: a city's units)
        break
    return i, False


def _space_before(view: TextView, k: int) -> bool:
    """True when spaces (not a line end) separate token ``k`` from the token before it."""
    if k <= 0 or k >= len(view.cls):
        return False
    gap = view.text[view.ends[k - 1]:view.starts[k]]
    return bool(gap) and gap.isspace() and "\n" not in gap


def _national_section(view: TextView, i: int, first: int) -> bool:
    """A 課/室 whose owner in the same name is a national office (経済産業省産業人材課)."""
    words = stem_words(view, i, first)
    national = any(w.endswith(("省", "庁", "局")) for w in words)
    return national and not any(w in _MUNICIPAL_WORDS for w in words)


def _stem_names_one(view: TextView, info: OrgSuffix, i: int, first: int, j: int, words: list[str]) -> bool:
    """The stem names one organization rather than a kind of one (都道府県労働局, 理工学部)."""
    nameish = has_nameish(view, i, first)
    if not nameish:
        content = [view.token_text(k) for k in range(i, first) if view.cls[k] in CONTENT]
        stem_text = "".join(content)
        if content and (any(stem_text.startswith(g) for g in GENERIC_FIRST)
                        or all(w in GENERIC_ORG_WORDS for w in content)):
            return False  # 管轄労働局, 交付金事務局: a kind of office, not a named one
    if view.cls[i] == "D" and info.type != "bank":
        return False  # 24時間コールセンター: a stem starting with a number is a product, not a name
    if info.suffix in ("学部", "研究科", "大学院") and not any("大学" in w for w in words):
        return False  # 理工学部 alone is generic; 桜台大学理工学部 is a name
    if info.mode == "unit":
        # …課…室: a section is an organization only with its owner or parent unit in the name
        if not any(w in ("課", "部", "局", "省", "庁", "市", "県", "町", "村", "都", "府") for w in words):
            return False
        if _national_section(view, i, first):
            return False  # 経済産業省産業人材課: the ministry is the organization
    elif not (nameish or _content_count(view, i, first) >= 2
              or (info.type == "bank" and "D" in view.cls[i:first])
              or _HIRAGANA_NAME.match(view.span_text(i, first))):
        return False  # (みなと信用金庫, あおぞら銀行: a hiragana word alone can be a name)
    if not nameish and _DESCRIBES_NAME.match(view.text, view.ends[j - 1]):
        return False  # …コンソーシアムである「きらりプロジェクト」: a description, the name is quoted
    # ニューラルネットワーク: a generic network; 北国ものづくりネットワーク: a name
    return info.mode != "named" or nameish


def _name_word_candidate(view: TextView, info: OrgSuffix, first: int, j: int) -> Candidate | None:
    """山城電気, サンライズ工業, 神戸空港: only name words before the suffix."""
    if not is_compound_final(view, j, allow="PHG"):
        return None
    i = walk_stem(view, first, _NAME_WORD_STEM, WEAK_STEM_TOKENS)
    if i == first:
        return _hiragana_candidate(view, first, j, info) if _hiragana_name(view, first) else None
    k = view.prev_token(i)
    if k >= 0 and view.cls[k] in "NVAKSD":
        return None  # 自動車産業, 金属工業: the compound goes on with common nouns
    if not has_nameish(view, i, first):
        # katakana only: a coined compound (サンライズ工業), not one industry word (サービス産業)
        if sum(1 for x in range(i, first) if view.cls[x] == "K") < 2 or any(
            view.cls[x] != "K" for x in range(i, first)
        ):
            return None
    if view.cls[i] == "F" and first - i == 1:
        return None
    return view.candidate("ORG", i, j, type=info.type, rule=f"{info.mode}:{info.suffix}", priority=PRIORITY[info.mode])


def _sha_candidate(view: TextView, info: OrgSuffix, first: int, j: int) -> Candidate | None:
    """グラナダテック社, ABC社: katakana or Latin name + 社."""
    if not is_compound_final(view, j):
        return None
    i = walk_stem(view, first, _SHA_STEM, SHA_STEM_TOKENS)
    if i == first:
        return None
    k = view.prev_token(i)
    if k >= 0 and view.cls[k] in "NVSDPH":
        return None
    stem = view.span_text(i, first)
    if len(stem) < 2 or not _KATAKANA_LATIN.match(stem):
        return None
    return view.candidate("ORG", i, j, type=info.type, rule="sha", priority=PRIORITY["sha"])


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
        if info.mode == "legal" and _legal_candidate(view, data, info, first, j) is not None:
            continue  # ＡＢＣ株式会社 代表取締役: the form closes the name before it
        k = j
        count = 0
        while k < len(view.cls) and count < PREFIXED_NAME_TOKENS:
            nxt = view.next_token(k)
            if nxt >= len(view.cls) or view.cls[nxt] not in NOUNISH or view.cls[nxt] == "D":
                break
            if view.token_text(nxt) in ("等", "など", "ら") or (count and view.token_text(nxt) in JOB_TITLE_WORDS):
                break  # 株式会社ABC代表取締役: the name ends before a job title (株式会社フェロー… is a name)
            if count == 0 and (view.cls[nxt] == "S" or view.token_text(nxt) in NOT_A_NAME_AFTER_FORM):
                break  # 合同会社化, 合同会社以外: the legal form as a word, no name follows
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
                                    priority=PRIORITY["legal_prefix"]))
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


_PARENT_TYPES = frozenset({"research_institute", "university", "gov_agency"})


def _parent_and_institute(view: TextView, found: list[Candidate]) -> list[Candidate]:
    """A listed body and its institute written as one name: 人間文化研究機構国立国語研究所."""
    institutes = {c.start: c for c in found if c.type == "research_institute"}
    joined: list[Candidate] = []
    for parent in found:
        if parent.rule != "gazetteer" or parent.type not in _PARENT_TYPES:
            continue
        institute = institutes.get(parent.end)
        if institute is not None:
            joined.append(Candidate("ORG", parent.start, institute.end, view.text[parent.start:institute.end],
                                    type=institute.type, rule="gazetteer_institute",
                                    priority=max(parent.priority, institute.priority)))
    return joined


def find_orgs(view: TextView, data: OrgData | None = None) -> list[Candidate]:
    """All ORG candidates of one text (overlaps are resolved later)."""
    data = data or load_org_data()
    primary = find_gazetteer_orgs(view, data)
    primary += find_prefixed_orgs(view, data)
    primary += find_suffix_orgs(view, data)
    primary += find_municipality_patterns(view, data, primary)
    primary += find_foreign_government_orgs(view, data)
    primary += _parent_and_institute(view, primary)
    if _LATIN_LETTER.search(view.key):
        primary += find_latin_orgs(view)
    for candidate in primary:
        if candidate.canonical is None and candidate.type == "bank":
            candidate.canonical = official_name(candidate.text)
    context = find_context_orgs(view, primary)
    context += find_described_orgs(view, primary + context)
    everything = primary + context
    everything += find_proper_noun_orgs(view, everything)
    everything += find_abbreviations(view, [c for c in everything if c.is_strong])
    return everything
