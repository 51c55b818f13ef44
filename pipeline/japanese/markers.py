"""What a printed line starts or ends with: bullets and decorative markers, numbering
families, captions, source notes, unit lines, tables of contents, page numbers, totals.

Every stage asks this module; none spells a bullet or a numbering pattern of its own. The
character sets below are the vocabulary; the patterns after them are built from it, one
per question a stage asks (does this line open a new item? is it a caption?), so that a
line is a bullet to every stage or to none.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.japanese.eras import ERA_NAME_PATTERN
from pipeline.japanese.normalize import match_key, to_halfwidth_digits
from pipeline.japanese.numbers import parse_japanese_number
from pipeline.japanese.units import UNIT_WORD

# ---------------------------------------------------------------- the vocabulary

ROUND_BULLETS = "•・○●◦▪⚫"
"""Bullets proper: ・ 調査対象, ● 目的, ⚫ 支援の内容."""
SQUARE_MARKS = "■□◆◇"
"""Square and diamond marks: list bullets, and decorative heading markers (■ 事業概要)."""
POINTER_MARKS = "▼▽▶▷►"
"""Triangles that point at a heading or an item (▶ 申請の流れ)."""
STAR_MARKS = "★☆◎"
NOTE_MARK = "※"
"""A note or an aside: ※ 詳細は別紙."""
DASH_MARKS = "－-–‐"
"""Dashes used as bullets: － 申請書, - item."""
CHECK_MARKS = "✓✔"
ASTERISKS = "*＊"

BULLET_MARKS = ROUND_BULLETS + SQUARE_MARKS + POINTER_MARKS + STAR_MARKS + NOTE_MARK
"""Every mark that opens a list item or a marked line (dashes aside: they may be a minus)."""
ITEM_MARKS = BULLET_MARKS + DASH_MARKS
"""Marks that open a new item, dashes included: ・ / ■ / ※ / － …"""
HEADING_MARKERS = SQUARE_MARKS + POINTER_MARKS + STAR_MARKS + "●"
"""Decorative markers that can open a heading; they are not part of its title (■企業概要)."""
LIST_BULLETS = ROUND_BULLETS + DASH_MARKS + SQUARE_MARKS
"""Bullets that make a line a list item unless it is typeset as a heading (・ 調査期間：…)."""
CAPTION_MARKS = "■□◆◇●○▼▽◎"
"""Decorative marks in front of a caption, not part of it: ■第1-4-8図, ◆表2 …"""
CAPTION_LEAD_MARKS = CAPTION_MARKS + "▶►・"
"""Marks a caption line may open with and that are dropped from its text: ▶企業概要, ・売上高."""

KANJI_NUMERALS = "一二三四五六七八九十"
CIRCLED_NUMBERS = "①-⑳㉑-㉟"
"""① … ㉟ (a range for a character class)."""
ROMAN_NUMERALS = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
KATAKANA_ORDINALS = "ア-ン"
"""ア, イ, ウ … used as ordinals (a range for a character class)."""


def _class(chars: str, extra: str = "") -> str:
    """A regex character class of the literal characters ``chars`` plus regex ``extra`` (e.g. ``\\s``)."""
    return "[" + "".join(re.escape(char) for char in chars) + extra + "]"


# ---------------------------------------------------------------- numbering families

# Each numbering family, with an example of what it matches at the start of a line.
NUMBERING_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*部")),  # 第1部
    ("chapter", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*章")),  # 第2章 調査の概要
    ("section", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*節")),  # 第3節
    ("article", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*条(?:の[0-9一二三四五六七八九十]+)?(?=[\s（(]|$)")),  # 第5条（目的）
    ("roman", re.compile(rf"^[{ROMAN_NUMERALS}]+(?:[.．、\s]|$)")),  # Ⅱ．現状
    ("dotted_decimal", re.compile(r"^\d{1,2}[-.．]\d{1,2}(?:[-.．]\d{1,2})?[.．]?(?=[\s　]|[^\d.．,])")),  # 2.1 背景 / 1-2.
    ("dot_digit", re.compile(r"^\d{1,2}\s*[.．](?=\s|[^\d])")),  # 1. 背景 / 1．概要
    ("paren_digit", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),  # （１）調査概要 / (2)
    ("circled", re.compile(rf"^[{CIRCLED_NUMBERS}]")),  # ① 始動期
    ("paren_katakana", re.compile(rf"^[（(][{KATAKANA_ORDINALS}][）)]")),  # （ア）
    ("katakana", re.compile(rf"^[{KATAKANA_ORDINALS}][.．、]\s*")),  # ア．対象
    ("paren_latin", re.compile(r"^[（(][a-z][）)]")),  # (a)
    ("example", re.compile(r"^[［\[〔]\s*例\s*[0-9０-９一二三四五六七八九十]{1,3}\s*[］\]〕]")),  # ［例1］ 規程例
    ("bracket", re.compile(r"^【[^】]{1,30}】")),  # 【市の概況】
)
ARTICLE_START = re.compile(r"^第\s*[0-9０-９一二三四五六七八九十百]+\s*条(?:の[0-9０-９一二三四五六七八九十]+)?")
"""An article number opening a provision, even run into its text: 第20条1年単位の… → 第20条."""
NUMBERED_BRACKET = re.compile(r"^【[^】]{0,20}[0-9０-９][^】]{0,20}】")
"""A bracketed label carrying a number: 【第1条 目的】, 【補足1】 (not 【参考】)."""
SECTION_FAMILIES = frozenset(
    {"part", "chapter", "section", "article", "roman", "dotted_decimal", "dot_digit", "paren_digit"}
)
"""Numbering that structures a document (第2章, 1-2, （1）); ①, ア and (a) number list items."""
LIST_FAMILIES = frozenset({"circled", "paren_digit", "dot_digit", "paren_katakana", "katakana", "paren_latin"})
"""Numbering that can open a list item when the line is not a heading."""


def numbering_family(text: str) -> tuple[str | None, str]:
    """The numbering family of a line and the printed number: ('paren_digit', '（１）')."""
    for family, pattern in NUMBERING_FAMILIES:
        match = pattern.match(text)
        if match:
            return family, match.group().strip()
    return None, ""


_KATAKANA_ORDER = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"


def numbering_value(family: str | None, marker: str) -> int | None:
    """The ordinal a printed number stands for, so that a sequence can be followed:
    （３）→ 3, ⑫ → 12, （イ）→ 2, Ⅳ → 4, 第十二条 → 12, 2-1-3 → 3 (its last part)."""
    if not family or not marker:
        return None
    # ① → 1, ㉑ → 21, Ⅳ → 4: Unicode gives these characters their value
    if family == "circled":
        value = unicodedata.numeric(marker[0], None)
        return int(value) if value is not None else None
    if family == "roman":
        return int(sum(unicodedata.numeric(char, 0) for char in marker if char in ROMAN_NUMERALS)) or None
    if family in ("katakana", "paren_katakana"):
        letter = next((char for char in marker if char in _KATAKANA_ORDER), "")
        return _KATAKANA_ORDER.index(letter) + 1 if letter else None
    if family == "paren_latin":
        letter = next((char for char in marker if char.isascii() and char.isalpha()), "")
        return ord(letter.lower()) - ord("a") + 1 if letter else None
    digits = re.findall(r"[0-9０-９]+|[〇一二三四五六七八九十百]+", marker)
    if not digits:
        return None
    value = parse_japanese_number(digits[-1])
    return int(value) if isinstance(value, (int, float)) else None


def numbering_position(family: str | None, marker: str) -> tuple[int, ...] | None:
    """Where a number stands in its sequence, comparable across depths: 2-1-2 → (2, 1, 2)
    comes before 2-2 → (2, 2); （３） → (3,)."""
    if family == "dotted_decimal":
        return tuple(int(part) for part in re.findall(r"[0-9]+", to_halfwidth_digits(marker))) or None
    value = numbering_value(family, marker)
    return (value,) if value is not None else None


LABELLED_NUMBER = re.compile(
    rf"^(?!第|{ERA_NAME_PATTERN})(?P<label>[^\s0-9０-９{CIRCLED_NUMBERS}（(【「［\[・、。：:]{{2,8}}?)\s*"
    rf"(?P<number>[0-9０-９]{{1,2}}|[{CIRCLED_NUMBERS}]|[（(][0-9０-９]{{1,2}}[）)])"
    r"(?=$|[\s：:．.、\-－]|[^0-9０-９人件年月日円回か個名社％%倍点歳時分万億千百])"
)
"""A word numbered like a section: 注意点1, ステップ2, 要件③, 事例②： (not 職員1人)."""


_CIRCLED = re.compile(f"[{CIRCLED_NUMBERS}]")


def labelled_number(text: str) -> tuple[str, int] | None:
    """The label and ordinal of a numbered word opening a line: 注意点2 期限 → ('注意点', 2)."""
    match = LABELLED_NUMBER.match(text)
    if match is None:
        return None
    number = match.group("number")
    family = "circled" if _CIRCLED.match(number) else "paren_digit" if number[0] in "（(" else "dot_digit"
    value = numbering_value(family, number)
    return (match.group("label"), value) if value is not None else None


# Numbering as the layout stage sees it when deciding where an item starts: 第3条, （ア）,
# (a), 1), ア、, Ⅳ (a dotted decimal 2.1 is not an item start: it is a number in the text).
_ITEM_NUMBERING = (
    rf"[{CIRCLED_NUMBERS}]|[（(][0-9０-９{KANJI_NUMERALS}{KATAKANA_ORDINALS}a-zA-Z]{{1,3}}[）)]"
    r"|[0-9０-９]{1,2}[.．)）](?!\d)|第[0-9０-９一二三四五六七八九十百]+[章節条項部編款]|【"
    rf"|[{KATAKANA_ORDINALS}][.．、)）]|[{ROMAN_NUMERALS}]"
)
ITEM_START = re.compile(rf"^(?:{_class(ITEM_MARKS)}|{_ITEM_NUMBERING})")
"""A line that starts a new item or block: a bullet, a dash, numbering or a heading marker."""
BULLET_START = re.compile(rf"^{_class(BULLET_MARKS)}")
"""A line opening with a bullet proper (not numbering): it always starts a new list item."""
LIST_MARKER = re.compile(rf"^({_class(LIST_BULLETS)})\s*")
"""The bullet of a list item and the space after it: ・ 調査対象 → ・."""
HEADING_MARKER = re.compile(rf"^({_class(HEADING_MARKERS)})\s*")
"""A decorative marker opening a heading line: ■ 事業概要 → ■."""
SLIDE_SOFTWARE = re.compile(r"power\s*point|keynote|impress|google\s*slides", re.IGNORECASE)
"""A producer or creator that makes slide decks: Microsoft® PowerPoint®, Keynote, Impress."""
SLIDE_BOOKMARK = re.compile(r"^(?:スライド|Slide)\s*[0-9０-９]+$", re.IGNORECASE)
"""A bookmark a slide program writes for every slide: スライド3, Slide 12."""
GENERIC_BOOKMARK = re.compile(r"^(?:スライド|Slide|ページ|Page|シート|Sheet|図|表)?\s*[0-9０-９]+$", re.IGNORECASE)
"""A bookmark a converter writes for every slide, page or sheet, naming nothing: スライド3, Sheet1."""
HEADING_LEAD = re.compile("^[" + re.escape(HEADING_MARKERS + ROUND_BULLETS + "｜|") + r"\s]+")
"""Marks in front of a heading's title, dropped when titles are compared: ■ 事業概要, ⚫ 支援の内容."""
ASIDE_LABEL = re.compile(
    r"^(?:コラム|Column|COLUMN|事例|トピックス?|Topics?|TOPICS?|参考|補足|[（(【［\[＜<](?:参考|補足|コラム|事例|注意)[^）)】］\]＞>]*[）)】］\]＞>])"
)
"""A heading that opens an aside rather than a part of the text: コラム1-4, 事例3, 【補足1】, （参考）."""
HEADING_ENCLOSURE = re.compile(r"^[｜|]\s*([^｜|]{1,40}?)\s*[｜|]$")
"""A title set between bars: ｜ 留意点 ｜ → 留意点."""
PLAIN_TEXT_ITEM_START = re.compile(
    rf"^(?:{_class(ITEM_MARKS)}|[{CIRCLED_NUMBERS}]|[（(]\s*[0-9０-９{KATAKANA_ORDINALS}]{{1,2}}\s*[）)]"
    r"|[0-9０-９]{1,2}[.．](?!\d)|第[0-9０-９一二三四五六七八九十]+[章節条]|【)"
)
"""A line that opens a new block in plain text: a bullet, or numbering that cannot start a
wrapped sentence (①, （1）, 1., 第2章, 【…】). Narrower than ``ITEM_START``: without geometry, a
wrapped line starting with ア、 or Ⅱ cannot be told from an item."""
PLAIN_TEXT_HEADING_START = re.compile(
    r"^(?:[（(]\s*[0-9０-９]{1,2}\s*[）)]|[0-9０-９]{1,2}[.．](?!\d)|第[0-9０-９一二三四五六七八九十]+[章節条]|【)"
)
"""Numbering that opens a heading line in plain text: （1）, 1., 第2章, 【…】."""
LIST_ITEM_MARK = re.compile(
    rf"^\s*(?:[{CIRCLED_NUMBERS}⑴-⒇❶-❿]|[(（]\s*[0-9０-９]+\s*[)）]|[0-9０-９]+[.．)）]|{_class(LIST_BULLETS)})\s*"
)
"""The marker in front of a list item or a cell's text: ①, ⑴, (1), 1., ・, ■."""
MINUS_MARKS = "▲△▼▽"
"""Printed before a number to mean minus in Japanese budgets and statistics: ▲1,200, △300."""
CELL_BULLETS = "".join(mark for mark in BULLET_MARKS + CHECK_MARKS if mark not in MINUS_MARKS)
"""Marks that open a list item inside a table cell (▼ and ▽ are minus signs there)."""
CELL_LIST_MARK = re.compile(
    rf"^(?:{_class(CELL_BULLETS + DASH_MARKS + ASTERISKS)}|[{CIRCLED_NUMBERS}]|[（(]?[0-9０-９]{{1,2}}[）).．]"
    rf"|[（(][{KATAKANA_ORDINALS}a-zA-Z{KANJI_NUMERALS}][）)]|[{KATAKANA_ORDINALS}][.．、])$"
)
"""A table cell that is only a list marker: ・, ●, ①, (1), 1., ア., ※."""

# ---------------------------------------------------------------- line ends

SENTENCE_END = re.compile(r"[。．]\s*$|[。．][）)」』]\s*$")
"""A line ending a sentence: …である。 / …とする。）"""
BLOCK_ENDS = ("。", "．", "：", ":", "」。", "）。")
"""Endings after which a paragraph does not run on into the next line or page."""
CLAUSE_END = re.compile(r"[。]$|[、，]$")
"""A cell text ending like running prose (…であり、 / …である。)."""
CLAUSE_COMMAS = ("、", "，", ",")
"""Commas a clause ends with: a line ending in one runs on (…については、)."""

# ---------------------------------------------------------------- captions and notes

_NUMBER_LABEL = r"[0-9０-９\-－‐.．]*"
_CAPTION_PREFIX = _class(CAPTION_MARKS, r"\s")
_TITLE_PREFIX = _class(CAPTION_MARKS + "・", r"\s")
CAPTION = re.compile(
    rf"^{_CAPTION_PREFIX}*(?:第\s*[0-9０-９]{_NUMBER_LABEL}\s*(?:図表|図|表)"
    rf"|(?:図表?|表|写真|グラフ|Fig\.?|Table)\s*{_NUMBER_LABEL})[\s：:　／/]"
)
"""A figure, table or photo caption: 図1 …, 表2-1 …, 図表3, 写真 …, 第1-4-1図/…"""
NUMBERED_CAPTION = re.compile(
    rf"^{_CAPTION_PREFIX}*(?:第\s*[0-9０-９]{_NUMBER_LABEL}\s*(?:図表|図|表)|(?:図表?|表|写真|グラフ)\s*[0-9０-９])"
)
"""A numbered figure or table label, with or without a space after it: 図表2-1製造品出荷額等の推移."""
TABLE_CAPTION_START = re.compile(rf"^{_CAPTION_PREFIX}*(?:図表|表|Table)\s*(?:[0-9０-９]|[：:　])")
"""A caption naming a table: 表3 …, 図表2-1 …, 表：… (not 表示, 表彰)."""
TABLE_TITLE = re.compile(rf"^{_TITLE_PREFIX}*(?:図表|表)\s*[0-9０-９]|表\s*$|表[（(]|一覧|内訳|[（(]?単位\s*[：:]")
"""A title that names a table: 表３ 地区別…, 図表2-1, 補助対象経費一覧, 内訳表, （単位：千円）."""
FIGURE_CAPTION = re.compile(
    rf"^{_CAPTION_PREFIX}*(?:第\s*[0-9０-９]{_NUMBER_LABEL}\s*図|図\s*[0-9０-９]{_NUMBER_LABEL})(?!表)\s*[／/：:\s]"
)
"""A figure caption, not a table: 図3 …, ■第１-４-８図／…, 図 2-1 (図表 is a table)."""
FRAME_CAPTION = re.compile(rf"^{_class(CAPTION_MARKS)}|^(?:第\s*)?{_NUMBER_LABEL}\s*(?:図表|表|図)\s*[0-9０-９]")
"""A caption printed in the first row of a framed table: ■第１-４-４表／…, 表3 …, 図2 …"""
CAPTION_MARKER = re.compile(rf"^{_class(CAPTION_LEAD_MARKS)}\s*")
"""A decorative marker opening a caption line: ■企業概要 → 企業概要."""
TITLE_WITH_PARENTHESIS = re.compile(r"^[^（(]{2,30}[（(][^（()）]{1,20}[）)]$")
"""A short title closing with a parenthesis: 人口（2020年）, 申請受付等スケジュール（予定）."""
NOTE_START = re.compile(
    r"^[（(]?\s*(?:資料|出典|出所|注|備考|参考|Source)\s*[0-9０-９]*\s*[）)：:．.]"
    rf"|^{_class(NOTE_MARK + ASTERISKS)}"
)
"""A source or footnote line: 資料）…, （出典：…）, 出所：…, 注1）…, 備考, ※…, ＊…"""
FOOTNOTE_START = re.compile(r"^(?:[0-9０-９]{1,2}[\s.．)）]|[（(][0-9０-９]{1,2}[）)])\s*\S")
"""A footnote's number in front of its text: 1 総務省「…」, 12. https://…, (3) 出典…"""
UNIT_LINE = re.compile(
    rf"^[（(［\[]?\s*単位\s*(?:[：:]|(?={UNIT_WORD}(?:$|[）)\]］、,，・/／])))[^（()）［\[\]］]{{1,20}}[）)］\]]?$"
)
"""A line that only gives the unit of the table below it: （単位：千円）, 単位：百万円, （単位 千円、％）."""

# ---------------------------------------------------------------- other whole lines

TOC_ENTRY = re.compile(r"[…‥]{2,}|[.．・･]{4,}|…\s*[0-9０-９]{1,4}\s*$")
"""A table-of-contents entry: a title, leader dots and a page number (第1章 総則……10)."""
LEADER_END = re.compile(r"(?:[・…‥．.\-－]\s*){3,}$")
"""Leader dots ending a table-of-contents cell: 事業概要・・・・・・, 第1章……, 総則......"""
TOC_HEADING = re.compile(r"^[～〜~■●◆【［\[〈<＜\s]*(?:目\s*次|もくじ|CONTENTS|Contents)[～〜~】］\]〉>＞\s]*$")
"""The table of contents' own heading: 目次, 目 次, もくじ, ～目次～, 【目次】, Contents."""
TOC_LEADERS = re.compile(r"\s*(?:[…‥]{2,}|[.．・･\-－_]{3,}|[…‥.．・･]\s*(?:[…‥.．・･]\s*){3,})")
"""Leader dots between a table-of-contents title and its page: 総則……10, 概要・・・・3."""
TOC_PAGE_REF = re.compile(
    r"^(?:[pPＰ][.．]?\s*)?[0-9０-９]{1,3}(?:\s*[～〜~\-－]\s*[0-9０-９]{1,3})?\s*(?:頁|ページ)?$"
)
"""A page reference alone, as a table of contents prints it: 10, P.2, p.12, 24～25."""
TOC_TRAILING_PAGE = re.compile(
    r"(?:\s{2,}|(?<=[^\s0-9０-９]))(?:[pPＰ][.．]\s*)[0-9０-９]{1,3}\s*$|\s{2,}[0-9０-９]{1,3}\s*$"
)
"""A page reference printed after an entry's title without leaders: 目的  3, 概要 P.4."""
DATE_LINE = re.compile(
    rf"^{ERA_NAME_PATTERN}?\s*[0-9０-９元]{{1,4}}\s*年(?:度)?\s*(?:[0-9０-９]{{1,2}}\s*月)?\s*"
    r"(?:[0-9０-９]{1,2}\s*日)?\s*(?:版|現在|改訂|発行|作成)?$"
)
"""A date or edition line alone: 令和7年7月版, 2025年4月."""
FRAGMENT_START = re.compile(r"^(?:[をのゃゅょっ、。，．：:）)」』】］〕]|(?:なお|また|ただし|さらに|しかし|ついては)[、，])")
"""A line opening with a particle, closing punctuation or a connective is part of a sentence,
never a title: を踏まえ、…, の範囲内で…, ：2026年春頃予定, なお、提出期限…"""
CLAUSE_TAIL = re.compile(r"^.{6,}[をにがへで]$")
"""A longer line ending with a case particle stops mid-sentence: …市役所の担当窓口または郵送で
(a short はじめに / おわりに is a title)."""
LABEL_VALUE = re.compile(r"^[^：:]{1,12}[：:]\s*\S")
"""A "label：value" line: テーマ：…, 所在地：…"""
PAGE_NUMBER = re.compile(
    r"^(?:[-－‐―—–(（]?\s*\d{1,4}\s*[-－‐―—–)）]?|\d{1,4}\s*/\s*\d{1,4}|[pPＰ][.．]?\s*\d{1,4}|\d{1,4}\s*頁|[ⅰ-ⅿiIvVxX]{1,5})$"
)
"""A printed page number alone on a line: 1, - 12 -, －３－, (4), 5/22, p.7, ii."""
FOOTNOTE_MARKS_ONLY = re.compile(r"[\d*※†‡,\s]+")
"""A row of footnote markers only: 1, 2, *, ※, †."""

# ---------------------------------------------------------------- table vocabulary

TOTAL_LABEL = re.compile(r"^(?:合計|小計|総計|計|総数|累計|総額|全体|全国計|total|subtotal)$|(?:合計|小計|総計)$", re.I)
"""A total row's label: 合計, 小計, 計, 総計, 総数, 歳入合計."""
NOT_TOTAL = re.compile(r"(?:会計|統計|設計|推計|集計|時計|家計|生計|余計|主計|見積|計画)$")
"""Words ending in 計 that are not totals: 会計, 統計, 設計, 計画."""
NEGATIVE_SIGN = re.compile(rf"^(?P<sign>[{MINUS_MARKS}\-−‐+＋])\s*")
"""A sign before a number in a cell: ▲1,200 and △300 are negative; −5 too; + is growth."""
NONE_MARK = re.compile(r"^(?:[-－―—–‐ー一…・\.]+|[xXχ×]|\*+|－|皆減|皆増)$")
"""A cell meaning "none" or "not applicable": -, －, ―, —, …, ・, x (秘匿), ***, 皆減."""
ERA_OR_ORDINAL = re.compile(rf"^(?:{ERA_NAME_PATTERN}|[MTSHR]\d|第)")
"""Era dates and ordinals are text though they hold digits: 明治22年, H30, 第3位."""


def is_total_label(text: str) -> bool:
    """True for labels of total rows or columns (合計, 小計, 計, 歳入合計, 市計; not 会計, 統計)."""
    compact = match_key(text).strip("()（）[]［］【】")
    if not compact or NOT_TOTAL.search(compact):
        return False
    return bool(TOTAL_LABEL.search(compact) or (compact.endswith("計") and len(compact) <= 4))
