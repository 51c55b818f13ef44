"""Text policy (pipeline.japanese): normalization, line joining, unmapped glyphs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.japanese.glyphs import CID_PATTERN, count_unmapped, drop_unmapped, is_cjk
from pipeline.japanese.lines import join_wrapped_lines, remove_letter_spacing
from pipeline.japanese.normalize import match_key, normalize_text, strip_cjk_spaces

from tests.fixtures import report as freport


# ------------------------------------------------------------------ normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # full-width digits and Latin letters become half-width
        ("１０４", "104"),
        ("ＡＢＣ", "ABC"),
        ("ｉＰｈｏｎｅ", "iPhone"),
        ("令和５年度", "令和5年度"),
        # full-width comma/period inside numbers are separators, not punctuation
        ("１，２３４，５６７円", "1,234,567円"),
        ("１．５倍", "1.5倍"),
        # U+3000 becomes an ASCII space (kept between two CJK words)
        ("本市\u3000観光振興", "本市 観光振興"),
        ("第1章\u3000調査の概要", "第1章 調査の概要"),
        # 和欧間 spaces (CJK next to a Latin letter or digit) are typesetting, not content
        ("約 6 時間", "約6時間"),
        ("NPO 法人", "NPO法人"),
        ("令和 5 年 7 月", "令和5年7月"),
        ("柱1\u3000稼ぐ力", "柱1稼ぐ力"),
        ("全体の 42.5 ％", "全体の42.5％"),
        # spaces between Latin words stay
        ("Internet of Things", "Internet of Things"),
        ("ＩｏＴ　ｐｌａｔｆｏｒｍ", "IoT platform"),
        ("Internet of Things（IoT）の活用", "Internet of Things（IoT）の活用"),
        # Japanese brackets and punctuation stay as printed
        ("（１）調査の目的", "（1）調査の目的"),
        ("「市の概況」：説明", "「市の概況」：説明"),
        # half-width katakana becomes full-width
        ("ｱﾝｹｰﾄ", "アンケート"),
        ("ﾃﾞｼﾞﾀﾙ", "デジタル"),
        # runs of white space collapse; ends are trimmed
        ("  本市の\u3000\u3000 産業  ", "本市の 産業"),
        ("a \t b", "a b"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


_ALPHABET = st.sampled_from(
    list("本市の産業振興アンケート調査、。（）「」")
    + list("０１２３４５ＡＢｃ，．")
    + list("0123456789abcXYZ.,-%")
    + [" ", "\u3000", "\t", "ｱ", "ﾝ", "ﾞ"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_normalize_text_output_follows_the_policy(raw: str) -> None:
    text = normalize_text(raw)
    assert not any("\uff10" <= ch <= "\uff19" for ch in text), "full-width digit left"
    assert not any("\uff21" <= ch <= "\uff3a" or "\uff41" <= ch <= "\uff5a" for ch in text), "full-width Latin left"
    assert "\u3000" not in text and "\t" not in text
    assert "  " not in text
    assert text == text.strip()
    assert not any("\uff61" <= ch <= "\uff9f" for ch in text), "half-width katakana left"


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_match_key_ignores_width_and_white_space() -> None:
    assert match_key("第１章\u3000調査の 概要") == match_key("第1章調査の概要") == "第1章調査の概要"


# ------------------------------------------------------------------ joining wrapped lines


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["医療用セ", "ンサー部品の精密加工"], "医療用センサー部品の精密加工"),
        (["市内の中小製造業を取り巻く", "経営環境の変化"], "市内の中小製造業を取り巻く経営環境の変化"),
        (["手法として Internet of", "Things の活用"], "手法として Internet of Things の活用"),
        (["Internet of", "Things"], "Internet of Things"),
        # CJK on one side only: no space
        (["センサーで常時把握する", "IoT化"], "センサーで常時把握するIoT化"),
        (["全体の約4", "割を占める"], "全体の約4割を占める"),
        # a Latin word hyphenated at the line end is rejoined
        (["the measure-", "ment of output"], "the measurement of output"),
        # blank lines and surrounding white space are ignored
        (["  本市の", "", "産業  "], "本市の産業"),
        ([], ""),
    ],
)
def test_join_wrapped_lines(lines: list[str], expected: str) -> None:
    assert join_wrapped_lines(lines) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="本市の産業振興計画調査概要、。ア", min_size=1, max_size=12), max_size=6))
def test_joining_cjk_lines_never_adds_spaces(lines: list[str]) -> None:
    assert join_wrapped_lines(lines) == "".join(lines)


def test_join_matches_the_fixture_ground_truth(report_fixture: freport.ReportFixture) -> None:
    """Every paragraph of the report fixture, joined from its printed lines, is its text."""
    assert any(len(p.lines) > 1 for p in report_fixture.paragraphs)
    for paragraph in report_fixture.paragraphs:
        assert join_wrapped_lines(list(paragraph.lines)) == paragraph.text


# ------------------------------------------------------------------ small helpers


@pytest.mark.parametrize("char", ["あ", "ア", "漢", "（", "、", "①", "■", "Ａ", "\u3000"])
def test_is_cjk_true(char: str) -> None:
    assert is_cjk(char)


@pytest.mark.parametrize("char", ["A", "z", "1", " ", "-", ""])
def test_is_cjk_false(char: str) -> None:
    assert not is_cjk(char)


def test_remove_letter_spacing() -> None:
    assert remove_letter_spacing("歳 入 合 計") == "歳入合計"
    assert remove_letter_spacing("本市 観光振興") == "本市 観光振興"
    assert remove_letter_spacing("A B") == "A B"


def test_strip_cjk_spaces() -> None:
    assert strip_cjk_spaces("平成 29 年") == "平成29年"
    assert strip_cjk_spaces("本市 産業") == "本市産業"
    assert strip_cjk_spaces("Internet of Things") == "Internet of Things"


# ------------------------------------------------------------------ unmapped glyphs


def test_cid_placeholders_are_counted() -> None:
    text = "(cid:12)(cid:3)本市\ue000の(cid:1234)"
    assert CID_PATTERN.findall(text) == ["(cid:12)", "(cid:3)", "(cid:1234)"]
    assert count_unmapped(text) == 4  # three (cid:NN) and one private-use glyph
    assert count_unmapped("本市の概要 (cid) cid:3") == 0


def test_cid_placeholders_are_dropped() -> None:
    assert drop_unmapped("(cid:12)本市\ue000の(cid:3)概要") == "本市の概要"
    assert drop_unmapped("Report 2024") == "Report 2024"
