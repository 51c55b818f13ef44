"""Table-driven tests for pipeline.nlp.recognizers.years."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.recognizers.years import YearValue, era_to_gregorian, find_years, parse_year


def year(
    value: int, *, fiscal: bool = False, month: int | None = None, era: str | None = None, day: int | None = None
) -> YearValue:
    return YearValue(year=value, fiscal=fiscal, month=month, era=era, day=day)


H, R, S, T, M = "平成", "令和", "昭和", "大正", "明治"

# expression → the values parse_year gives (and find_years gives as one match spanning it all)
PARSE_CASES: list[tuple[str, tuple[YearValue, ...]]] = [
    # Gregorian
    ("2014年", (year(2014),)),
    ("2014年度", (year(2014, fiscal=True),)),
    ("２０１４年", (year(2014),)),
    ("２０１４年度", (year(2014, fiscal=True),)),
    ("2007 年", (year(2007),)),
    ("2014　年度", (year(2014, fiscal=True),)),
    ("1990年", (year(1990),)),
    ("1868年", (year(1868),)),
    ("2100年", (year(2100),)),
    ("二〇一四年", (year(2014),)),
    ("二〇二〇年度", (year(2020, fiscal=True),)),
    ("2018年5月", (year(2018, month=5),)),
    ("2018年5月1日", (year(2018, month=5, day=1),)),
    ("2018年12月", (year(2018, month=12),)),
    ("２０１８年１２月", (year(2018, month=12),)),
    ("2018年十二月", (year(2018, month=12),)),
    ("2020年 3 月", (year(2020, month=3),)),
    ("2019年05月31日", (year(2019, month=5, day=31),)),
    # era names, era boundaries and 元年
    ("平成16年", (year(2004, era=H),)),
    ("平成元年", (year(1989, era=H),)),
    ("令和元年", (year(2019, era=R),)),
    ("令和5年度", (year(2023, fiscal=True, era=R),)),
    ("昭和42年", (year(1967, era=S),)),
    ("大正5年", (year(1916, era=T),)),
    ("大正15年", (year(1926, era=T),)),
    ("昭和元年", (year(1926, era=S),)),
    ("昭和64年", (year(1989, era=S),)),
    ("平成31年", (year(2019, era=H),)),
    ("明治元年", (year(1868, era=M),)),
    ("明治45年", (year(1912, era=M),)),
    ("大正元年", (year(1912, era=T),)),
    ("平成5年", (year(1993, era=H),)),
    ("平成32年度", (year(2020, fiscal=True, era=H),)),
    ("令和７年", (year(2025, era=R),)),
    # kanji numerals and spaces
    ("平成二十八年", (year(2016, era=H),)),
    ("昭和四十五年", (year(1970, era=S),)),
    ("平成三十一年", (year(2019, era=H),)),
    ("令和七年度", (year(2025, fiscal=True, era=R),)),
    ("平成十年", (year(1998, era=H),)),
    ("平成 29 年", (year(2017, era=H),)),
    ("令和 元 年度", (year(2019, fiscal=True, era=R),)),
    ("平成　２９　年", (year(2017, era=H),)),
    # with month / day
    ("令和7年7月", (year(2025, month=7, era=R),)),
    ("令和元年5月1日", (year(2019, month=5, era=R, day=1),)),
    ("平成31年4月30日", (year(2019, month=4, era=H, day=30),)),
    ("昭和64年1月7日", (year(1989, month=1, era=S, day=7),)),
    # square era glyphs
    ("㍻元年", (year(1989, era=H),)),
    ("㋿2年度", (year(2020, fiscal=True, era=R),)),
    # era initials
    ("R5", (year(2023, era=R),)),
    ("H30", (year(2018, era=H),)),
    ("Ｒ３", (year(2021, era=R),)),
    ("R5年度", (year(2023, fiscal=True, era=R),)),
    ("H30年度", (year(2018, fiscal=True, era=H),)),
    ("Ｈ２９年度", (year(2017, fiscal=True, era=H),)),
    ("R元年度", (year(2019, fiscal=True, era=R),)),
    ("S50年", (year(1975, era=S),)),
    ("T10年", (year(1921, era=T),)),
    ("M45年", (year(1912, era=M),)),
    ("H30.3.31", (year(2018, month=3, era=H, day=31),)),
    ("R5.4", (year(2023, month=4, era=R),)),
    # two digits after an apostrophe
    ("'18年", (year(2018),)),
    ("’21年", (year(2021),)),
    ("‘05年", (year(2005),)),
    ("'99年", (year(1999),)),
    ("'50年", (year(2050),)),
    ("'51年", (year(1951),)),
    ("’19年度", (year(2019, fiscal=True),)),
    # two digits alone in parentheses
    ("(05年)", (year(2005),)),
    ("（05年）", (year(2005),)),
    ("（98年度）", (year(1998, fiscal=True),)),
    # closed ranges
    ("2017年～2022年", (year(2017), year(2022))),
    ("2017～2022年", (year(2017), year(2022))),
    ("2018～23年", (year(2018), year(2023))),
    ("1998～03年", (year(1998), year(2003))),
    ("2017-2022年", (year(2017), year(2022))),
    ("2017年〜2022年", (year(2017), year(2022))),
    ("2017年‐2022年", (year(2017), year(2022))),
    ("2017年–2022年", (year(2017), year(2022))),
    ("2017年—2022年", (year(2017), year(2022))),
    ("2017 ～ 2022 年", (year(2017), year(2022))),
    ("2017年度～2022年度", (year(2017, fiscal=True), year(2022, fiscal=True))),
    ("2017～2022年度", (year(2017, fiscal=True), year(2022, fiscal=True))),
    ("2014-15年度", (year(2014, fiscal=True), year(2015, fiscal=True))),
    ("2018年4月～2019年3月", (year(2018, month=4), year(2019, month=3))),
    ("2017年から2021年", (year(2017), year(2021))),
    ("平成15年から平成29年", (year(2003, era=H), year(2017, era=H))),
    ("令和２年度から令和６年度", (year(2020, fiscal=True, era=R), year(2024, fiscal=True, era=R))),
    ("平成16～19年度", (year(2004, fiscal=True, era=H), year(2007, fiscal=True, era=H))),
    ("平成16年～19年", (year(2004, era=H), year(2007, era=H))),
    ("平成29年度～令和元年度", (year(2017, fiscal=True, era=H), year(2019, fiscal=True, era=R))),
    ("H28～H30", (year(2016, era=H), year(2018, era=H))),
    ("H28～30年度", (year(2016, fiscal=True, era=H), year(2018, fiscal=True, era=H))),
    ("H30年度~R2年度", (year(2018, fiscal=True, era=H), year(2020, fiscal=True, era=R))),
    ("2017年～平成30年", (year(2017), year(2018, era=H))),
    # open ranges keep one value
    ("平成29年～", (year(2017, era=H),)),
    ("2019年度～", (year(2019, fiscal=True),)),
    ("～平成16年", (year(2004, era=H),)),
    ("〜2020年", (year(2020),)),
]

# never a year: durations, counts, ages, bare numbers
NOT_YEARS = [
    "5年間",
    "約3年",
    "3年ぶり",
    "10年後",
    "30年ほど前",
    "65歳",
    "3か年",
    "第3年次",
    "年1回",
    "毎年",
    "15年",
    "100年",
    "2014",
    "1867年",
    "2101年",
    "平成0年",
    "05年",
    "(3年)",
    "(10年間)",
    "(約10年)",
    "約2000年前",
    "およそ1900年",
    "平成30年間",
    "2000年間",
    "2010年代",
    "H2O",
    "M5",
    "R5.13",
    "12,014年",
    "4年度",
    "30年以上",
    "数年",
    "半年",
    "ABR5",
]

# sentence → (match text, Gregorian years) for each match, in order
SENTENCES: list[tuple[str, list[tuple[str, list[int]]]]] = [
    ("本事業は、2017年から2021年にかけて実施した。", [("2017年から2021年", [2017, 2021])]),
    ("令和6年（2024年）の調査", [("令和6年", [2024]), ("2024年", [2024])]),
    ("1990年比で26%削減（2013年度比）", [("1990年", [1990]), ("2013年度", [2013])]),
    ("前回の計画（05年）では", [("05年", [2005])]),
    ("計画期間は2017～2022年です。", [("2017～2022年", [2017, 2022])]),
    ("2015年に約3年ぶりに改定し、5年間継続", [("2015年", [2015])]),
    ("H30年度から R2年度まで", [("H30年度から R2年度", [2018, 2020])]),
    ("2022年～2017年", [("2022年", [2022]), ("2017年", [2017])]),
    ("65歳以上の人口は平成29年度に増加", [("平成29年度", [2017])]),
    ("2018年5月1日時点、2019年3月末", [("2018年5月1日", [2018]), ("2019年3月", [2019])]),
    ("第2期（2015～2019年度）の成果", [("2015～2019年度", [2015, 2019])]),
    ("2017年から5年間", [("2017年", [2017])]),
    ("平成29年～、毎年1回", [("平成29年", [2017])]),
    # a range needs 年 on its right end: only the left year is read
    ("2017年～2022", [("2017年", [2017])]),
]


@pytest.mark.parametrize(("expression", "expected"), PARSE_CASES)
def test_parse_year(expression: str, expected: tuple[YearValue, ...]) -> None:
    assert parse_year(expression) == expected


@pytest.mark.parametrize(("expression", "expected"), PARSE_CASES)
def test_find_years_on_the_bare_expression(expression: str, expected: tuple[YearValue, ...]) -> None:
    matches = find_years(expression)
    assert len(matches) == 1
    # the parentheses of (05年) are context, not part of the match, and so is the tilde of an
    # open range (～平成16年 → 平成16年)
    assert matches[0].text == expression.strip("()（）～〜~")
    assert matches[0].values == expected


@pytest.mark.parametrize("expression", NOT_YEARS)
def test_not_a_year(expression: str) -> None:
    assert find_years(expression) == []
    assert parse_year(expression) == ()


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_find_years_in_sentences(sentence: str, expected: list[tuple[str, list[int]]]) -> None:
    matches = find_years(sentence)
    assert [(match.text, [value.year for value in match.values]) for match in matches] == expected
    for match in matches:
        assert sentence[match.start : match.end] == match.text


def test_offsets_in_sentence() -> None:
    sentence = "本事業は、2017年から2021年にかけて実施した。"
    (match,) = find_years(sentence)
    assert (match.start, match.end) == (5, 17)
    assert sentence[match.start : match.end] == "2017年から2021年"


def test_offsets_survive_full_width_text() -> None:
    sentence = "計画は　令和５年度（２０２３年度）から"
    matches = find_years(sentence)
    assert [(m.start, m.end, m.text) for m in matches] == [(4, 9, "令和５年度"), (10, 16, "２０２３年度")]


@pytest.mark.parametrize(
    ("era", "era_year", "expected"),
    [
        ("明治", 1, 1868),
        ("明治", 45, 1912),
        ("大正", 1, 1912),
        ("大正", 15, 1926),
        ("昭和", 1, 1926),
        ("昭和", 64, 1989),
        ("平成", 1, 1989),
        ("平成", 31, 2019),
        ("令和", 1, 2019),
        ("令和", 7, 2025),
        ("H", 30, 2018),
        ("R", 5, 2023),
        ("㍻", 2, 1990),
    ],
)
def test_era_to_gregorian(era: str, era_year: int, expected: int) -> None:
    assert era_to_gregorian(era, era_year) == expected


@pytest.mark.parametrize(("era", "era_year"), [("天保", 3), ("平成", 0), ("令和", -1), ("", 5)])
def test_era_to_gregorian_rejects(era: str, era_year: int) -> None:
    with pytest.raises(ValueError):
        era_to_gregorian(era, era_year)


# Characters that the year rules care about, so random text hits the interesting paths.
_YEAR_ALPHABET = st.sampled_from(
    list("0123456789０１２３年度月日間代平成令和昭大正明治元十二三五HRSMT")
    + list("'’()（）~～〜-‐から約第歳 　、")
)


def _check_year_matches(text: str) -> None:
    matches = find_years(text)
    previous_end = 0
    for match in matches:
        assert 0 <= previous_end <= match.start < match.end <= len(text)
        assert match.text == text[match.start : match.end]
        assert 1 <= len(match.values) <= 2
        assert all(1868 <= value.year <= 2118 for value in match.values)
        if len(match.values) == 2:
            assert match.values[0].year <= match.values[1].year
        # what find_years reads, parse_year reads the same way (short years need their parentheses)
        assert match.values in (parse_year(match.text), parse_year(f"({match.text})"))
        previous_end = match.end


@given(st.text())
def test_find_years_never_raises_on_any_text(text: str) -> None:
    _check_year_matches(text)
    parse_year(text)


@settings(max_examples=300)
@given(st.text(alphabet=_YEAR_ALPHABET, max_size=40))
def test_find_years_spans_on_year_like_text(text: str) -> None:
    _check_year_matches(text)
    assert isinstance(parse_year(text), tuple)


DATE_CASES: list[tuple[str, str, int, str | None, bool]] = [
    # text, the year expression found, its year, its ISO date, fiscal
    ("受付は2025/4/1から", "2025/4/1", 2025, "2025-04-01", False),
    ("2021.7.18に開催", "2021.7.18", 2021, "2021-07-18", False),
    ("提出日 2024-03-31", "2024-03-31", 2024, "2024-03-31", False),
    ("令和3.7.18付け", "令和3.7.18", 2021, "2021-07-18", False),
    ("令和3/7/18付け", "令和3/7/18", 2021, "2021-07-18", False),
    ("R6/4/1から", "R6/4/1", 2024, "2024-04-01", False),
    ("H30.3.31まで", "H30.3.31", 2018, "2018-03-31", False),
    ("2025年4月1日（火）", "2025年4月1日", 2025, "2025-04-01", False),
    ("2023(令和5)年12月1日", "2023(令和5)年12月1日", 2023, "2023-12-01", False),
    ("FY2023の予算", "FY2023", 2023, None, True),
    ("2025年4月", "2025年4月", 2025, None, False),
]


@pytest.mark.parametrize(("text", "surface", "value", "iso", "fiscal"), DATE_CASES)
def test_numeric_and_full_dates(text: str, surface: str, value: int, iso: str | None, fiscal: bool) -> None:
    from pipeline.nlp.recognizers.years import year_candidates

    (candidate,) = year_candidates(text)
    assert (candidate.text, candidate.value, candidate.fields.get("date"), candidate.fields["fiscal"]) == (
        surface, value, iso, fiscal,
    )


def test_a_range_of_full_dates_gives_both_dates() -> None:
    from pipeline.nlp.recognizers.years import year_candidates

    (candidate,) = year_candidates("申請期間：2025年4月1日～2025年5月31日")
    assert candidate.fields["date"] == "2025-04-01/2025-05-31"
    assert candidate.fields["values"] == [2025, 2025]


@pytest.mark.parametrize("text", ["2025/2/30", "1.2021.7", "12/31/2025", "第3.7.18号"])
def test_not_dates(text: str) -> None:
    from pipeline.nlp.recognizers.years import year_candidates

    assert [c.fields.get("date") for c in year_candidates(text)] in ([], [None])


def test_chart_axis_years() -> None:
    """A chart's axis read as text: years in a row, spaced or run together, each a year."""
    from pipeline.nlp.recognizers.years import year_candidates

    assert [c.value for c in year_candidates("2011201220132014")] == [2011, 2012, 2013, 2014]
    assert [c.value for c in year_candidates("2020 2022 2023 2024")] == [2020, 2022, 2023, 2024]
    assert year_candidates("電話 2023 2021 2022") == []  # not rising: not an axis
