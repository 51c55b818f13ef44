"""Policy-instrument (PROGRAM) recognizer: named subsidies, grants, laws, plans, projects.

Rules, all general (``data/program_suffixes.csv``, ``data/programs.csv``):

* A suffix closes a noun compound whose stem names the instrument: …補助金, …交付金,
  …助成金 (any non-generic stem: 設備導入補助金, 販路開拓補助金, not 松江市補助金 nor 国庫補助金),
  …法 / …計画 / …プロジェクト / …制度 (two content words: 地域産業振興法, 観光振興計画, not
  基本計画), …事業 (two content words, one of them a policy verb such as 支援, 推進, 創出,
  育成: 販路開拓支援事業, not 委託事業 or 大規模イベント事業).
* A name in 「」 that ends with a program suffix (「若手人材の定着と育成促進事業」).
* A list item or table cell that is nothing but a program name keeps its whole text
  (若手と熟練者とのネットワーク構築支援事業).
* Latin names: HOKURIKU SMART PROJECT, ABC Program.
* Xに指定: the designation a place receives (国家戦略特区に指定された).
* A short list of national schemes without a distinctive suffix (地域おこし協力隊, 構造改革特区).
"""

from __future__ import annotations

import re

from pipeline.japanese.markers import LIST_ITEM_MARK
from pipeline.japanese.normalize import fold_width
from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.gazetteer import ProgramData, ProgramSuffix, load_program_data, owner_names
from pipeline.nlp.recognizers.abbreviations import find_abbreviations
from pipeline.nlp.recognizers.laws import find_basic_codes, find_law_titles, is_cited, law_with_order
from pipeline.nlp.textview import (
    CONTENT,
    DEICTIC_FIRST,
    DEICTIC_INSIDE,
    NOUNISH,
    TextView,
    is_compound_final,
    stem_words,
    walk_stem,
)

# Verbal nouns that make a …事業 a policy program: 販路開拓支援事業, 人材育成事業, 設備導入促進事業
POLICY_WORDS = frozenset(
    "支援 推進 促進 振興 創出 整備 育成 強化 構築 創成 創生 連携 活性 確保 定着 誘致 再生 応援 普及 導入 実証 "
    "対策 交付 助成 補助 開拓 拠点 モデル 立地 進出 高度 革新 改善 承継 再編 復興 防止 保全 開発 研究 交流 "
    "緊急 特別 重点".split()
)
# Words that make X法 a law rather than a method (熱処理法, 測定法)
LAW_WORDS = frozenset(
    "基本 基準 禁止 規制 保護 措置 適正 管理 防止 臨時 特別 権 取締 安全 保険 年金 福祉 衛生 環境 契約 取引 "
    "雇用 労働 税 自治 地方自治 独占 公正 会社 商 民 刑 訴訟 手続 義務 責任 等 関する 係る 特例 改革 計画 事業 "
    "施行 設置 整備 補助 助成 交付 開発 利用 活用 確保 保全 循環 再生 公害 災害 社会 教育 研究 業".split()
)

# First words that make a program stem generic: 公的年金制度, 各種支援制度, 対象事業
PROGRAM_GENERIC_FIRST = frozenset("都道府県 市町村 管轄 所轄 公的 別途 該当 対象 所管 担当 関係 民間 一般 通常 既存".split())

# Last words that make a stem a description of several: 所管法律, 関係法令, 関連事業
STEM_GENERIC_LAST = frozenset("所管 関係 関連 各種 主要 所轄 該当 対象".split())

# Words that, with POLICY_WORDS, make X計画 a public plan (観光振興計画, 雇用促進計画)
PLAN_WORDS = frozenset("向上 革新 再生 復興 活性 牽引 創生 総合 基本 行動 実施 推進 整備 振興 改善 承継 継続".split())

# Stems that alone are generic (国庫補助金, 委託事業, 基本計画, 調査プロジェクト)
GENERIC_STEMS = frozenset(
    "補助 委託 受託 助成 支援 事業 基本 実施 経営 行動 整備 全体 年度 中期 長期 短期 計画 研究 開発 共同 "
    "モデル 公共 民間 国家 地域 産業 市町村 地方 国 県 市 町 村 都 府 国庫 関連 個別 総合 重点 具体 特別 緊急 臨時 "
    "新規 継続 各種 一般 通常 特定 既存 予算 試験 調査 大規模 小規模 中小 企業 中小企業 技術 人材 施策 "
    "政策 制度 融資 資金 設備 投資 施設 建設 工事 運営 管理 事務 自主 独自 主要 会員 年間 新 旧 本 同 当 各 "
    "補正 当初 交付 上乗せ 活動 取組 取り組み 対象 該当 所管 関係 次 前 後 今 今回 初 第 全国 国内 海外 法人 "
    "税 個人 事業者 会社 同法 本法 新法 旧法 改正 施行 関係法 特別法 一般法 基本法".split()
)


_STEM_NO_NUMBER = frozenset(NOUNISH - {"D"})
MAX_STEM_TOKENS = 15
"""Tokens a program name before its suffix may have (…地域産業活性化支援補助金)."""
MIN_ONE_WORD_NAME_CHARS = 4
"""A one-word stem names a program when it is a proper name this long (みなと補助金 aside)."""
MAX_SUFFIX_CHARS = 8
"""The longest program suffix looked for at the end of a quoted name (…プロジェクト)."""
MIN_LOANWORD_SCHEME_CHARS = 5
"""A scheme named by one loanword (マイナンバー制度) has a word this long; shorter ones are common
words (ポイント制度)."""
DESIGNATION_STEM_TOKENS = 6
"""Tokens of a designation's name (国家戦略特区に指定)."""
_ORDINAL_WORDS = frozenset({"第", "回", "期", "次", "年", "年度", "号", "弾", "条", "度", "月", "日", "時点"})


def _is_katakana(text: str) -> bool:
    return all("ァ" <= ch <= "ヶ" or ch == "ー" for ch in text)


def _stem_ok(
    view: TextView, info: ProgramSuffix, i: int, first: int, municipal_names: frozenset[str], cited: bool = False
) -> bool:
    words = stem_words(view, i, first)
    if not words:
        return False
    if words[0] in DEICTIC_FIRST and not (words[0] in PROGRAM_GENERIC_FIRST and len(words) >= 3):
        return False
    if words[0] in ("新", "旧") and len(words) == 1:
        return False
    content = [w for k, w in zip(range(i, first), words) if view.cls[k] in CONTENT]
    if not content or words[-1] in STEM_GENERIC_LAST or "兼" in words:
        return False  # 見本庁所管法律 (which laws, not one); 販売計画兼設備投資計画 (two)
    if words[0] in PROGRAM_GENERIC_FIRST and (len(content) < 3 or all(w in GENERIC_STEMS for w in content[1:])):
        return False  # 公的年金制度, 所管の…; but 一般事業者育成計画 names a plan
    if info.type == "law" and words[-1] in METHOD_WORDS:
        return False  # 熱処理法に基づく, 測定法: a method, not a law
    if cited and info.type == "law":
        # 建設業法第3条, 環境基本法上の: a law, cited; not 個別法に基づく
        return len(content) >= 2 or content[0] not in GENERIC_STEMS or words[-1].endswith("業")  # 建設業法第3条
    if info.type == "law" and words[-1] == "基本" and len(content) >= 2:
        return True  # the 基本法 family: 環境基本法, 食料基本法
    stem = "".join(words)
    if stem in municipal_names or (stem.endswith(("市", "県", "町", "村", "省", "庁", "府", "都")) and len(content) <= 2
                                   and view.cls[i] in "PHG"):
        return False  # 松江市補助金, 経済産業省補助金: whose subsidy, not which one
    if view.cls[i] == "D":
        return False  # 2019年度補助金
    if info.mode == "money":
        if len(content) == 1 and content[0] in GENERIC_STEMS:
            return False
        return not all(w in GENERIC_STEMS for w in content) or len(content) >= 2 and not all(
            w in ("国", "県", "市", "国庫", "各種", "補助", "交付", "補正") for w in content)
    if len(content) < 2:
        if info.suffix in ("制度", "税制") and len(stem) >= MIN_LOANWORD_SCHEME_CHARS and _is_katakana(stem):
            return True  # マイナンバー制度, クールビズ制度; not ポイント制度
        return info.mode == "latin" or (len(stem) >= MIN_ONE_WORD_NAME_CHARS and view.cls[i] in "PHGUL")
    if all(w in GENERIC_STEMS for w in content):
        return False
    if info.type == "plan":
        # 観光振興計画, 販路拡大計画, 防災対策強化計画; not 資金繰り計画 or 長期修繕計画
        return any(w in POLICY_WORDS or w in PLAN_WORDS for w in content)
    if info.type == "law" and info.suffix == "法":
        # 地域産業振興法, 建設業法, 河川法; not 熱処理法 (a method)
        return any(w in LAW_WORDS or w in POLICY_WORDS for w in content)
    if info.mode == "project":
        return any(w in POLICY_WORDS or any(w.startswith(p) for p in ("支援", "推進", "促進", "創出", "育成"))
                   for w in content)
    return True


def find_suffix_programs(view: TextView, data: ProgramData, municipal_names: frozenset[str]) -> list[Candidate]:
    """…補助金 / …交付金 / …法 / …計画 / …事業 / …プロジェクト with a naming stem."""
    found: list[Candidate] = []
    for match in data.suffix_pattern.finditer(view.key):
        suffix = match.group(1)
        info = data.suffixes[suffix]
        kstart = match.start(1)
        start, end = view.orig_span(kstart, kstart + len(suffix))
        first = view.start_token.get(start)
        last = view.end_token.get(end)
        if first is None or last is None:
            continue
        j = last + 1
        cited = info.type == "law" and is_cited(view, end)
        if info.mode == "project" and view.key[:kstart].endswith(_MONEY_SUFFIXES):
            continue  # 省力化補助金事業: the program is the subsidy
        # a program name may be followed by the act done with it: 販路開拓補助金創設, …補助金活用
        follow_ok = cited or is_compound_final(view, j) or (
            info.mode == "money" and j < len(view.cls) and (
                view.cls[view.next_token(j)] == "V" or view.token_text(view.next_token(j)) == "事業")
        )
        if not follow_ok:
            continue
        i = walk_stem(view, first, _STEM_NO_NUMBER, MAX_STEM_TOKENS)
        # 第3回地域…, 2019年度基本計画: an ordinal or a year in front is not part of the name
        while i < first and view.token_text(i) in _ORDINAL_WORDS and view.prev_token(i) >= 0 and \
                view.cls[view.prev_token(i)] == "D":
            i += 1
        for k in range(first - 1, i - 1, -1):
            if view.token_text(k) in DEICTIC_INSIDE:
                i = k + 1  # 原則本補助金: 本補助金 is a back-reference
                break
        i = _after_owner_gap(view, i, first)
        if i == first or view.cls[view.prev_token(first)] == "m" or not _stem_ok(
            view, info, i, first, municipal_names, cited
        ):
            continue  # (…・法: a list item, not a name)
        candidate = view.candidate("PROGRAM", i, j, type=info.type, rule=f"suffix:{info.suffix}",
                                   priority=PRIORITY["suffix"])
        candidate = _with_latin_prefix(view, candidate)
        found.append(law_with_order(view, candidate) if info.type == "law" else _with_variant(view, candidate))
    return found


_MONEY_SUFFIXES = ("補助金", "助成金", "交付金")
# How the name of the body that runs a program ends: 見本研究機構 素材開発…イニシアティブ
_OWNER_ENDINGS = ("機構", "省", "庁", "協会", "大学", "研究所", "センター", "株式会社", "財団", "学会", "会議所", "組合")


def _after_owner_gap(view: TextView, i: int, first: int) -> int:
    """A stem that starts with the owner's name and a space keeps only what follows the space:
    文部科学省 ABC推進事業 → ABC推進事業 (a space inside a name, 見本 観光事業法, stays)."""
    for k in range(first - 1, i, -1):
        before = view.text[view.starts[i]:view.starts[k]]
        if before[-1:].isspace() and before.rstrip().endswith(_OWNER_ENDINGS):
            return view.next_token(k)
    return i
# A Latin word joined to the name by a hyphen: Net-Zero事業, e-Gov制度
_LATIN_PREFIX = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$")


LATIN_PREFIX_WINDOW = 64
"""Characters before a name searched for a hyphenated Latin word that belongs to it."""


def _with_latin_prefix(view: TextView, candidate: Candidate) -> Candidate:
    """A hyphenated Latin name before the suffix is one word with it: Net-Zero事業."""
    window = max(0, candidate.start - LATIN_PREFIX_WINDOW)  # (search near the name, not the whole text)
    match = _LATIN_PREFIX.search(view.text, window, candidate.start + _latin_tail(candidate.text))
    if match is None or match.start() >= candidate.start:
        return candidate
    return Candidate("PROGRAM", match.start(), candidate.end, view.text[match.start():candidate.end],
                     type=candidate.type, rule=candidate.rule, priority=candidate.priority)


def _latin_tail(text: str) -> int:
    """Length of the Latin letters and digits the name starts with (Tech of Tech事業)."""
    k = 0
    while k < len(text) and text[k].isascii() and text[k].isalnum():
        k += 1
    return k


# Last words of a stem that make …法 a method, not a law: 熱処理法, 測定法, 工法, 分析法
METHOD_WORDS = frozenset(
    "処理 加工 測定 計測 分析 解析 計算 算定 評価 試験 検査 製造 製 工 手 方 技 調理 栽培 培養 合成 抽出 精製 "
    "推定 予測 統計 検定 近似 設計 施工 修復 治療 診断 指導 学習 記述 表記 用".split()
)
# A variant named after a subsidy in brackets: …補助金＜創業型＞, …補助金【小規模型ビジネス枠】
_VARIANT = re.compile(r"^[＜<【〈《][^＜<>＞【】〈〉《》。、]{1,20}(?:型|枠|コース|部門)[^＜<>＞【】〈〉《》。、]{0,6}[＞>】〉》]")
# A series of yearly rounds named with the year run into the name: 省力化補助金2030
_NAME_YEAR = re.compile(r"^[ \t]?(?:19|20)[0-9]{2}(?![0-9年度月万億千百件人社円%.,])")


def _with_variant(view: TextView, candidate: Candidate) -> Candidate:
    """A subsidy's name with the variant or the year printed right after it."""
    folded = fold_width(view.text[candidate.end:candidate.end + 32])
    match = _VARIANT.match(view.text[candidate.end:]) or (
        _NAME_YEAR.match(folded) if candidate.type in ("subsidy", "grant") else None
    )
    if match is None:
        return candidate
    end = candidate.end + match.end()
    return Candidate("PROGRAM", candidate.start, end, view.text[candidate.start:end], type=candidate.type,
                     rule=candidate.rule, priority=candidate.priority)


# The quoted name, after a label that says where it is printed: 「別紙2：ABC利活用ポリシー」
_QUOTED = re.compile(r"「(?:[^「」。:]{1,8}:\s*)?([^「」。]{2,60})」")
_LATIN_PROGRAM = re.compile(
    r"(?<![A-Za-z])((?:[A-Z][A-Za-z0-9\-]*[ ]?){1,6}(?:PROJECT|Project|PROGRAM|Program|PROGRAMME|Initiative|INITIATIVE))(?![A-Za-z])"
)


def find_quoted_programs(view: TextView, data: ProgramData) -> list[Candidate]:
    """「…事業」「…プロジェクト」: a quoted name that ends with a program suffix."""
    found: list[Candidate] = []
    text = fold_width(view.text)
    for match in _QUOTED.finditer(text):
        inner = match.group(1).strip()
        info = _suffix_of(inner, data)
        if info is None:
            continue
        core = re.sub(r"\s+", "", inner[: -len(info.suffix)])
        if not core or core in GENERIC_STEMS or core[0] in "本同当各" or len(core) < 2:
            continue
        start = match.start(1) + (len(match.group(1)) - len(match.group(1).lstrip()))
        end = start + len(inner)
        if not _quoted_stem_ok(view, info, start, end):
            continue
        found.append(Candidate("PROGRAM", start, end, view.text[start:end], type=info.type, rule="quote",
                               priority=PRIORITY["quote"]))
    for match in _LATIN_PROGRAM.finditer(text):
        start, end = match.span(1)
        found.append(Candidate("PROGRAM", start, end, view.text[start:end], type="project", rule="latin",
                               priority=PRIORITY["latin"]))
    return found


_COINED = re.compile(r"^[\u3041-\u30ffーA-Za-z0-9 ]{2,}$")


def _quoted_stem_ok(view: TextView, info: ProgramSuffix, start: int, end: int) -> bool:
    """The last noun compound of a quoted name must name something (not 「補助対象事業」).

    A quoted name may be one coined word (「きらりプロジェクト」), but its words may not all
    be generic, it may not start with a number (「4.補助対象事業」), and 法 must be its own
    word (「…支払の方法」 is not a law).
    """
    first = view.start_token.get(end - len(info.suffix))
    last = view.end_token.get(end)
    begin = view.start_token.get(start)
    if first is None or last is None or begin is None:
        return False
    i = first
    while i > begin and view.cls[i - 1] in NOUNISH:
        i -= 1  # back to the start of the last noun compound
    words = [view.token_text(k) for k in range(i, first) if view.cls[k] in CONTENT]
    if view.cls[begin] == "D" or (words and view.cls[i] == "D"):
        return False
    if not words:
        # 「きらりプロジェクト」: a coined kana name; 「…に関する法律」: a law's full title
        head = view.text[view.starts[begin]:view.starts[first]]
        return bool(_COINED.match(head)) or info.suffix in ("法律", "条例")
    if all(w in GENERIC_STEMS for w in words):
        return False
    if info.type == "law" and info.suffix == "法":
        return any(w in LAW_WORDS or w in POLICY_WORDS for w in words)
    return True


def _suffix_of(text: str, data: ProgramData) -> ProgramSuffix | None:
    for length in range(min(MAX_SUFFIX_CHARS, len(text)), 0, -1):
        info = data.suffixes.get(text[-length:])
        if info is not None and info.mode != "latin":
            return info
    return None


# Trailing parenthesis, year or note after a name: …事業（2019）, …交付金 2019 年度補正 …
_TRAILING = re.compile(r"\s*(?:[（(][^（）()]*[）)]\s*)+$")
_PARTICLE_WORDS = frozenset({"の", "と", "との", "における", "による", "に", "係る", "関する", "おける", "よる", "ため", "のため", "向け", "等", "及び", "・"})


WHOLE_TEXT_MAX_CHARS = 60
"""A unit longer than this is not one name."""
WHOLE_TEXT_MIN_CHARS = 4


def extend_to_whole_text(view: TextView, candidates: list[Candidate], data: ProgramData) -> list[Candidate]:
    """A unit whose whole text is one program name keeps the whole text as the name.

    若手と熟練者とのネットワーク構築支援事業 (a list item) → the whole item, not only
    ネットワーク構築支援事業. The text may only add nouns and the particles of a name
    (の, と, における, による...), never a verb. Returns a new candidate when no rule
    found the name's end but the whole item is a title (…推進事業 in a list item).
    """
    span = _name_span(view)
    if span is None:
        return []
    begin, end_all = span
    text = view.text
    for candidate in candidates:
        if candidate.label == "PROGRAM" and candidate.end == end_all and candidate.start > begin:
            candidate.start = begin
            candidate.text = text[begin:end_all]
            candidate.rule = "whole_text"
            candidate.priority = PRIORITY["whole_text"]
            return []
        if candidate.label == "PROGRAM" and candidate.end == end_all:
            return []
    quoted = text[begin - 1:begin] in ("「", "『")
    if not quoted and view.kind not in ("list_item", "table_cell"):
        return []  # a paragraph or heading that is only a title-like phrase is too weak a signal
    return _whole_text_program(text[begin:end_all], begin, end_all, data)


def _name_span(view: TextView) -> tuple[int, int] | None:
    """Where the unit's name would be: its text without a list marker, trailing parentheses
    and quotes, when that is a run of nouns and name particles only."""
    text = view.text
    body = LIST_ITEM_MARK.sub("", text)
    offset = len(text) - len(body)
    body_stripped = _TRAILING.sub("", body).rstrip()
    begin = offset + (len(body_stripped) - len(body_stripped.lstrip()))
    end_all = offset + len(body_stripped)
    if text[begin:begin + 1] in ("「", "『") and text[end_all - 1:end_all] in ("」", "』"):
        begin, end_all = begin + 1, end_all - 1
    if end_all - begin > WHOLE_TEXT_MAX_CHARS or end_all - begin < WHOLE_TEXT_MIN_CHARS:
        return None
    first = view.token_at(begin)
    if first < 0 or view.starts[first] != begin or view.cls[first] not in CONTENT | {"F"}:
        return None
    last = view.token_at(end_all - 1)
    if last < 0 or view.ends[last] != end_all:
        return None
    for k in range(first, last + 1):
        c = view.cls[k]
        word = view.token_text(k)
        if c in "vaxocp" and word not in _PARTICLE_WORDS:
            return None
        if c == "w" and "\n" in word:
            return None
    return begin, end_all


def _whole_text_program(whole: str, begin: int, end: int, data: ProgramData) -> list[Candidate]:
    """A whole unit ending with a project suffix whose last compound names a policy action
    (…人材育成支援事業; not 補助・委託事業)."""
    compact = re.sub(r"\s+", "", whole)
    info = _suffix_of(compact, data)
    if info is None or info.mode != "project":
        return []  # other suffixes are found by the suffix rule or not at all
    head = re.split(r"の|と|による|における", compact)[-1]
    if len(head) < WHOLE_TEXT_MIN_CHARS or head in GENERIC_STEMS:
        return []
    stem = head[: -len(info.suffix)]
    parts = [p for p in re.split(r"[・等]", stem) if p]
    if not parts or all(p in GENERIC_STEMS for p in parts):
        return []
    if not any(word in stem for word in POLICY_WORDS if len(word) >= 2):
        return []
    return [Candidate("PROGRAM", begin, end, whole, type=info.type, rule="whole_text",
                      priority=PRIORITY["whole_text"])]


def find_designations(view: TextView) -> list[Candidate]:
    """Xに指定 / Xの指定を受け: the status a place is designated as (国家戦略特区に指定された)."""
    found: list[Candidate] = []
    for match in re.finditer(r"(?:に|として)指定", view.text):
        k = view.token_at(match.start())
        if k <= 0:
            continue
        i = walk_stem(view, k, frozenset("PHGKULNVFS"), DESIGNATION_STEM_TOKENS)
        if i == k:
            continue
        words = stem_words(view, i, k)
        content = [w for x, w in zip(range(i, k), words) if view.cls[x] in CONTENT]
        if len(content) < 2 or words[0] in DEICTIC_FIRST or all(w in GENERIC_STEMS for w in content):
            continue
        found.append(view.candidate("PROGRAM", i, k, type="designation", rule="designation",
                                    priority=PRIORITY["designation"]))
    return found


def find_gazetteer_programs(view: TextView, data: ProgramData) -> list[Candidate]:
    """National schemes without a distinctive suffix (地域おこし協力隊, 構造改革特区)."""
    found: list[Candidate] = []
    if data.names_pattern is None:
        return found
    for match in data.names_pattern.finditer(view.key):
        start, end = view.orig_span(*match.span())
        if start not in view.start_token or end not in view.end_token:
            continue
        name, program_type = data.names[match.group()]
        found.append(Candidate("PROGRAM", start, end, view.text[start:end], type=program_type, rule="gazetteer",
                               priority=PRIORITY["gazetteer"], canonical=name if name != match.group() else None))
    return found


def find_programs(view: TextView, data: ProgramData | None = None) -> list[Candidate]:
    """All PROGRAM candidates of one text (overlaps are resolved later)."""
    data = data or load_program_data()
    found = find_suffix_programs(view, data, owner_names())
    found += find_law_titles(view)
    found += find_basic_codes(view)
    found += find_quoted_programs(view, data)
    found += find_gazetteer_programs(view, data)
    found += find_designations(view)
    found += extend_to_whole_text(view, found, data)
    found += find_abbreviations(view, found)
    return found
