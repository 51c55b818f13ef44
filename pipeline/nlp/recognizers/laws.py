"""Laws, regulations and official guidelines as PROGRAM mentions: how reports cite them.

* A law cited with an article, a provision or a basis is a mention of the law, whatever its
  stem: 建設業法第3条, 民法上の公益法人, 社会福祉法に基づく, 会社法の規定 (the 法 suffix rule
  alone needs a named stem, so that 熱処理法 stays a method).
* A law's full title is a clause: 河川の清掃の推進等に関する法律,
  過疎地域の…支援に関する特別措置法, …国民年金法等の一部を改正する法律. It runs back from 法律
  over nouns and the particles a title is made of (の, による, における, に関する, 及び, 等, を…する).
* An order or a rule made under a law keeps the law's name: 地方税法施行令,
  古紙の再生利用の促進に関する法律施行規則; a ministry's ordinance is named by its title
  (見本資産の区分等に関する省令).
* Guidelines issued like laws are named by such a title too: …の利用に係る基本方針,
  …の会計に関する指針, …に関する基本要領.
"""

from __future__ import annotations

import re

from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.textview import DEICTIC_FIRST, NOUNISH, TextView

# What follows a law's name when it is cited: 第3条, 上の, に基づく, に規定する, の規定, 施行令
_CITATION_AFTER = re.compile(
    r"[ \t]*(?:第[0-9０-９一二三四五六七八九十百]+条|上(?:の|で|は|、|\s)|に(?:基づ|規定|定め|準じ|準拠|係る)|の規定"
    r"|施行(?:令|規則)|[(（][^()（）]{0,16}法律第|第[0-9０-９一二三四五六七八九十百]+項|等の一部を改正)"
)
# The end of a law title and the orders made under it: …法律, …法律施行規則, …特別措置法, …省令;
# and of the guidelines issued like them: …の利用に係る基本方針, …の会計に関する指針
_TITLE_END = re.compile(
    r"(?:法律|特別措置法|臨時措置法|省令|政令)(?:施行令|施行規則)?|(?:基本方針|指針|基本要領|ガイドライン)"
)
_GUIDELINE_ENDS = ("基本方針", "指針", "基本要領", "ガイドライン")
# Words a title is made of besides nouns: 河川の清掃の推進等に関する法律
_TITLE_WORDS = frozenset(
    "の と 及び および 並びに ならびに 又は または 若しくは 等 に よる おける おけ 関する 係る 対する 伴う ため を する 改正 促進 推進 確保 "
    "ある もの な".split()
)
# A title reads as one: it has one of these clause words
_CLAUSE_WORDS = ("関する", "よる", "おける", "係る", "ため", "改正する", "対する", "伴う")
_LEADING_PARTICLES = frozenset("の と 及び および 並びに ならびに 又は または 等 に を する".split())
MAX_TITLE_TOKENS = 40
"""Tokens a law title may have (…の財政基盤及び最低保証機能の強化等のための…法律)."""
MIN_TITLE_CHARS = 8
_ORDER_SUFFIXES = ("施行令", "施行規則")
# The basic codes, whose names are too short for the suffix rule: 民法上の, 会社法に基づく
_BASIC_CODES = re.compile(r"憲法|民法|刑法|商法|会社法|民事訴訟法|刑事訴訟法")


def is_cited(view: TextView, end: int) -> bool:
    """The text after offset ``end`` cites the law just named (第3条, 上の, に基づく…)."""
    return _CITATION_AFTER.match(view.text, end) is not None


def find_law_titles(view: TextView) -> list[Candidate]:
    """Full law titles: a clause of nouns and title particles ending with 法律, 特別措置法,
    省令 (an order's title) or 規則, with 施行令/施行規則 after it kept."""
    found: list[Candidate] = []
    text = view.text
    for match in _TITLE_END.finditer(text):
        last = view.end_token.get(match.end())
        end_of_name = view.start_token.get(match.start())
        if last is None or end_of_name is None:
            continue
        first = _title_start(view, end_of_name)
        if first is None or view.token_text(first) in DEICTIC_FIRST:
            continue  # 本事業に関する指針: which guideline is said before
        start = view.starts[first]
        title = text[start:match.end()]
        if len(title) < MIN_TITLE_CHARS or not any(word in title for word in _CLAUSE_WORDS):
            continue
        kind = "other" if title.endswith(_GUIDELINE_ENDS) else "law"
        found.append(Candidate("PROGRAM", start, match.end(), title, type=kind, rule=f"{kind}_title",
                               priority=PRIORITY["quote"]))
    return found


def _title_start(view: TextView, end: int) -> int | None:
    """Walk back from token ``end`` (exclusive) over nouns and title words; the first token."""
    i = end
    count = 0
    while count < MAX_TITLE_TOKENS:
        k = i - 1
        if k < 0:
            break
        word = view.token_text(k)
        in_title = word in _TITLE_WORDS or word == "る" and k > 0 and view.token_text(k - 1) == "おけ"  # に/おけ/る
        if view.cls[k] in "wxocy" or (view.cls[k] not in NOUNISH and not in_title):
            break
        i = k
        count += 1
    while i < end and view.token_text(i) in _LEADING_PARTICLES:
        i += 1
    return i if i < end else None


def find_basic_codes(view: TextView) -> list[Candidate]:
    """The basic codes by name (民法, 会社法), when they stand as a word of their own."""
    found: list[Candidate] = []
    for match in _BASIC_CODES.finditer(view.text):
        first = view.start_token.get(match.start())
        if first is None or view.end_token.get(match.end()) is None:
            continue
        before = view.prev_token(first)
        if before >= 0 and view.cls[before] in NOUNISH:
            continue  # part of a longer compound: 国際私法, 特別刑法
        found.append(Candidate("PROGRAM", match.start(), match.end(), match.group(), type="law",
                               rule="basic_code", priority=PRIORITY["suffix"]))
    return found


def law_with_order(view: TextView, candidate: Candidate) -> Candidate:
    """A law name followed by 施行令 / 施行規則 names the order: 地方税法 + 施行令."""
    rest = view.text[candidate.end:]
    for suffix in _ORDER_SUFFIXES:
        if rest.startswith(suffix):
            end = candidate.end + len(suffix)
            return Candidate("PROGRAM", candidate.start, end, view.text[candidate.start:end], type="law",
                             rule=candidate.rule, priority=candidate.priority)
    return candidate
