"""Table-driven tests for pipeline.nlp.recognizers.money (and the number reading of pipeline.japanese)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.recognizers.money import MoneyValue, find_money, parse_money
from pipeline.japanese.normalize import fold_width, to_halfwidth_digits
from pipeline.japanese.numbers import parse_japanese_number


def yen(
    value: int,
    *,
    approx: bool = False,
    bound: str | None = None,
    per: str | None = None,
) -> MoneyValue:
    """An exact amount; a negative ``value`` means it was printed with ▲/△/−."""
    return MoneyValue(
        value=value, value_min=value, value_max=value, approx=approx, bound=bound, per=per, negative=value < 0
    )


def vague(
    low: int, high: int, *, approx: bool = False, negative: bool = False, per: str | None = None
) -> MoneyValue:
    return MoneyValue(
        value=None, value_min=low, value_max=high, approx=approx, bound=None, per=per, negative=negative
    )


# expression → parse_money result (and find_money gives one match spanning it all)
MONEY_CASES: list[tuple[str, MoneyValue]] = [
    # exact amounts
    ("38億円", yen(3_800_000_000)),
    ("7.5億円", yen(750_000_000)),
    ("７．５億円", yen(750_000_000)),
    ("1.15億円", yen(115_000_000)),
    ("0.5万円", yen(5_000)),
    ("3兆7218億円", yen(3_721_800_000_000)),
    ("7兆2,450億円", yen(7_245_000_000_000)),
    ("7兆 2,450 億円", yen(7_245_000_000_000)),
    ("3,500万円", yen(35_000_000)),
    ("3,500 万円", yen(35_000_000)),
    ("3億5千万円", yen(350_000_000)),
    ("三億五千万円", yen(350_000_000)),
    ("五千万円", yen(50_000_000)),
    ("一千万円", yen(10_000_000)),
    ("九千九百九十九万円", yen(99_990_000)),
    ("1,234百万円", yen(1_234_000_000)),
    ("5百万円", yen(5_000_000)),
    ("500千円", yen(500_000)),
    ("10万円", yen(100_000)),
    ("1万円", yen(10_000)),
    ("1万2千円", yen(12_000)),
    ("1,000円", yen(1_000)),
    ("2,500円", yen(2_500)),
    ("100,000円", yen(100_000)),
    ("１０４，５００，０００円", yen(104_500_000)),
    ("1兆円", yen(1_000_000_000_000)),
    ("二十億円", yen(2_000_000_000)),
    ("百万円", yen(1_000_000)),
    ("一億円", yen(100_000_000)),
    ("千円", yen(1_000)),
    ("十円", yen(10)),
    ("1円", yen(1)),
    ("0円", yen(0)),
    ("壱万円", yen(10_000)),
    ("拾万円", yen(100_000)),
    ("1億2,345万6,789円", yen(123_456_789)),
    ("12.5円", yen(13)),
    # negatives: value carries the sign
    ("▲500万円", yen(-5_000_000)),
    ("△1,200万円", yen(-12_000_000)),
    ("▼3億円", yen(-300_000_000)),
    ("▽3億円", yen(-300_000_000)),  # the same minus marks as table cells
    ("−1,000円", yen(-1_000)),
    ("-300円", yen(-300)),
    ("▲ 500万円", yen(-5_000_000)),
    # approximations
    ("約38億円", yen(3_800_000_000, approx=True)),
    ("約 38億円", yen(3_800_000_000, approx=True)),
    ("100億円程度", yen(10_000_000_000, approx=True)),
    ("100億円ほど", yen(10_000_000_000, approx=True)),
    ("10億円余り", yen(1_000_000_000, approx=True)),
    ("1億円強", yen(100_000_000, approx=True)),
    ("5千万円弱", yen(50_000_000, approx=True)),
    ("1億円前後", yen(100_000_000, approx=True)),
    ("おおよそ3億円", yen(300_000_000, approx=True)),
    ("概ね5億円", yen(500_000_000, approx=True)),
    ("およそ1兆円", yen(1_000_000_000_000, approx=True)),
    # bounds
    ("300万円以内", yen(3_000_000, bound="max")),
    ("300万円以下", yen(3_000_000, bound="max")),
    ("300万円まで", yen(3_000_000, bound="max")),
    ("300万円 以内", yen(3_000_000, bound="max")),
    ("最大200万円", yen(2_000_000, bound="max")),
    ("上限100万円", yen(1_000_000, bound="max")),
    ("1億円以上", yen(100_000_000, bound="min")),
    ("最低10万円", yen(100_000, bound="min")),
    ("下限50万円", yen(500_000, bound="min")),
    ("1,000万円超", yen(10_000_000, bound="over")),
    ("1億円を超える", yen(100_000_000, bound="over")),
    ("50万円未満", yen(500_000, bound="under")),
    ("1万円未満", yen(10_000, bound="under")),
    # what the amount is per
    ("年間5,000万円", yen(50_000_000, per="年")),
    ("年額120万円", yen(1_200_000, per="年")),
    ("毎年1億円", yen(100_000_000, per="年")),
    ("1年あたり5億円", yen(500_000_000, per="年")),
    ("月額10万円", yen(100_000, per="月")),
    ("毎月5万円", yen(50_000, per="月")),
    ("1か月あたり2万円", yen(20_000, per="月")),
    ("8万円/社", yen(80_000, per="社")),
    ("3万円/人", yen(30_000, per="人")),
    ("1人あたり30万円", yen(300_000, per="人")),
    ("一人当たり10万円", yen(100_000, per="人")),
    ("1社あたり100万円", yen(1_000_000, per="社")),
    ("1件あたり5万円", yen(50_000, per="件")),
    ("10万円(1人あたり)", yen(100_000, per="人")),
    # several qualifiers
    ("年間約5,000万円", yen(50_000_000, approx=True, per="年")),
    ("最大で200万円以内", yen(2_000_000, bound="max")),
    ("約▲500万円", yen(-5_000_000, approx=True)),
    ("1社あたり最大200万円", yen(2_000_000, bound="max", per="社")),
    ("年間1人あたり30万円", yen(300_000, per="人")),
    # vague amounts: 数 is 2..9 of the next unit, 十数 is 11..19
    ("数千万円", vague(20_000_000, 90_000_000)),
    ("十数億円", vague(1_100_000_000, 1_900_000_000)),
    ("数百万円", vague(2_000_000, 9_000_000)),
    ("数十億円", vague(2_000_000_000, 9_000_000_000)),
    ("何千万円", vague(20_000_000, 90_000_000)),
    ("千数百万円", vague(12_000_000, 19_000_000)),
    ("数万円", vague(20_000, 90_000)),
    ("十数万円", vague(110_000, 190_000)),
    ("百数十万円", vague(1_200_000, 1_900_000)),
    ("数億数千万円", vague(220_000_000, 990_000_000)),
    ("▲数億円", vague(-900_000_000, -200_000_000, negative=True)),
    ("数十万円程度", vague(200_000, 900_000, approx=True)),
    # ranges: both ends in value_min / value_max
    ("100～200万円", vague(1_000_000, 2_000_000)),
    ("100万円～200万円", vague(1_000_000, 2_000_000)),
    ("5千万～1億円", vague(50_000_000, 100_000_000)),
    ("1,000～2,000円", vague(1_000, 2_000)),
    ("約1～2億円", vague(100_000_000, 200_000_000, approx=True)),
]

# never money
NOT_MONEY = [
    "円滑",
    "円高",
    "円安",
    "円形",
    "半円",
    "関東一円",
    "一円",
    "3万人",
    "億人",
    "万台",
    "100",
    "5億",
    "円",
    "億円",
    "〇〇万円",
    "1,23円",
    "100ドル",
    "100万ユーロ",
    "3年間",
    "",
]

# sentence → (match text, value, value_min, value_max) for each match, in order
SENTENCES: list[tuple[str, list[tuple[str, int | None, int | None, int | None]]]] = [
    (
        "事業費は約38億円で、うち国費は19億円。",
        [
            ("約38億円", 3_800_000_000, 3_800_000_000, 3_800_000_000),
            ("19億円", 1_900_000_000, 1_900_000_000, 1_900_000_000),
        ],
    ),
    ("補助上限額200万円（1社あたり）", [("200万円（1社あたり）", 2_000_000, 2_000_000, 2_000_000)]),
    ("（単位：千円）", []),
    ("単位:百万円", []),
    ("売上高（百万円）", []),
    ("関東一円で1,000円の", [("1,000円", 1_000, 1_000, 1_000)]),
    ("3年間で5億円", [("5億円", 500_000_000, 500_000_000, 500_000_000)]),
    ("円滑な運営に100万円を充てた", [("100万円", 1_000_000, 1_000_000, 1_000_000)]),
    ("来場者は3万人、売上は2,000万円", [("2,000万円", 20_000_000, 20_000_000, 20_000_000)]),
    (
        "差額は▲500万円（前年△1,200万円）",
        [
            ("▲500万円", -5_000_000, -5_000_000, -5_000_000),
            ("△1,200万円", -12_000_000, -12_000_000, -12_000_000),
        ],
    ),
    ("2014-500円", [("500円", 500, 500, 500)]),
    ("200～100万円", [("100万円", 1_000_000, 1_000_000, 1_000_000)]),
    ("1億円強化", [("1億円", 100_000_000, 100_000_000, 100_000_000)]),
    ("千数百万円の赤字", [("千数百万円", None, 12_000_000, 19_000_000)]),
]


@pytest.mark.parametrize(("expression", "expected"), MONEY_CASES)
def test_parse_money(expression: str, expected: MoneyValue) -> None:
    assert parse_money(expression) == expected


@pytest.mark.parametrize(("expression", "expected"), MONEY_CASES)
def test_find_money_on_the_bare_expression(expression: str, expected: MoneyValue) -> None:
    matches = find_money(expression)
    assert [(match.text, match.amount) for match in matches] == [(expression, expected)]


@pytest.mark.parametrize("expression", NOT_MONEY)
def test_not_money(expression: str) -> None:
    assert find_money(expression) == []
    assert parse_money(expression) is None


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_find_money_in_sentences(
    sentence: str, expected: list[tuple[str, int | None, int | None, int | None]]
) -> None:
    matches = find_money(sentence)
    found = [(m.text, m.amount.value, m.amount.value_min, m.amount.value_max) for m in matches]
    assert found == expected
    for match in matches:
        assert sentence[match.start : match.end] == match.text


def test_context_words_are_not_part_of_the_match() -> None:
    sentence = "補助上限額200万円"
    (match,) = find_money(sentence)
    assert (match.start, match.end, match.text) == (5, 10, "200万円")
    assert match.amount.bound is None
    assert parse_money(sentence) is None  # parse_money reads one whole expression only


def test_offsets_with_full_width_digits() -> None:
    sentence = "総額は約１０４，５００，０００円（税込）"
    (match,) = find_money(sentence)
    assert (match.start, match.end) == (3, 16)
    assert sentence[match.start : match.end] == "約１０４，５００，０００円"
    assert match.amount.value == 104_500_000 and match.amount.approx


NUMBER_CASES: list[tuple[str, int | float | None]] = [
    ("1,234", 1234),
    ("１，２３４", 1234),
    ("7.5", 7.5),
    ("７．５", 7.5),
    ("3億5千万", 350_000_000),
    ("二十八", 28),
    ("千九百", 1900),
    ("二〇一四", 2014),
    ("7.5億", 750_000_000),
    ("百万", 1_000_000),
    ("壱万弐千参百拾", 12_310),
    ("1億2,345万6,789", 123_456_789),
    ("7兆 2,450 億", 7_245_000_000_000),
    ("三十五百", None),
    ("5万3億", None),
    ("1,23", None),
    ("abc", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES)
def test_parse_japanese_number(text: str, expected: int | float | None) -> None:
    result = parse_japanese_number(text)
    assert result == expected
    assert type(result) is type(expected)


def test_width_helpers() -> None:
    assert to_halfwidth_digits("令和５年（２０２３）") == "令和5年（2023）"
    assert fold_width("Ｒ３～〜－’（）　") == "R3~~-'() "


@given(st.text())
def test_fold_width_keeps_length(text: str) -> None:
    assert len(fold_width(text)) == len(text)
    assert len(to_halfwidth_digits(text)) == len(text)


# Characters that the money rules care about, so random text hits the interesting paths.
_MONEY_ALPHABET = st.sampled_from(
    list("0123456789０１２,，.．円万億兆千百十一二五〇数何約程度以内上超未満▲△-−~～/社人あたり年間月額")
    + list("()（） 　単位:")
)


def _check_money_matches(text: str) -> None:
    matches = find_money(text)
    previous_end = 0
    for match in matches:
        assert 0 <= previous_end <= match.start < match.end <= len(text)
        assert match.text == text[match.start : match.end]
        amount = match.amount
        assert amount.value_min is not None and amount.value_max is not None
        assert amount.value_min <= amount.value_max
        assert amount.value is None or amount.value == amount.value_min == amount.value_max
        assert amount.bound in (None, "max", "min", "over", "under")
        # what find_money reads, parse_money reads the same way
        assert parse_money(match.text) == amount
        previous_end = match.end


@given(st.text())
def test_find_money_never_raises_on_any_text(text: str) -> None:
    _check_money_matches(text)
    parse_money(text)
    parse_japanese_number(text)


@settings(max_examples=300)
@given(st.text(alphabet=_MONEY_ALPHABET, max_size=40))
def test_find_money_spans_on_money_like_text(text: str) -> None:
    _check_money_matches(text)
    parse_money(text)
    parse_japanese_number(text)
