"""What an amount is: a subsidy cap, a budget, a cost, sales… read from the words printed with it."""

from __future__ import annotations

import re

from pipeline.model import FactRelation

# Checked in order on the clause around the amount (and a table cell's row label and header);
# the first that matches decides. Each rule with an invented example.
_RELATION_RULES: tuple[tuple[FactRelation, re.Pattern[str]], ...] = (
    # 補助金交付額 300万円 / 100万円の交付を受けた / 採択額
    ("grant_received", re.compile(r"交付額|交付を受け|交付決定額|採択額|受給|獲得|支援を受け|助成を受け")),
    # 補助上限額 500万円 / 100万円以内を補助 / 補助額 最大1,000万円
    ("subsidy_cap", re.compile(r"上限|補助額|助成額|給付額|支給額|補助金額|交付限度|限度額|補助(?:する|します|対象経費)")),
    # 補助率は、50万円以下の部分は3/4; 2分の1 — an amount that decides which rate applies
    ("subsidy_rate", re.compile(
        r"補助率|助成率|円(?:以下|以上|未満|超)?の?部分"
        r"|[1-9１-９一二三四]\s*分\s*の\s*[1-9１-９一二三]"
        r"|(?<![0-9０-９/／.．])[1-9１-９]\s*[/／]\s*[1-9１-９](?![0-9０-９/／])"  # 2/3, not a date 2025/4/1
    )),
    # 売上高 12億円 / 製造品出荷額 / 販売額
    ("sales", re.compile(r"売上|売り上げ|出荷額|販売額|受注額|取引額|生産額")),
    # 令和6年度予算額 12億円 / 当初予算 / 歳出 / 計上
    ("budget", re.compile(r"予算|歳出|歳入|計上|概算要求|基金")),
    # 設備投資 2億円 / 出資
    ("investment", re.compile(r"投資|出資")),
    # 総事業費 7億円 / 建設費 / 経費 / 単価
    ("cost", re.compile(r"事業費|建設費|工事費|整備費|経費|費用|コスト|購入費|開発費|単価")),
)

_CAP_BOUND = re.compile(r"以内|まで|を上限|[~～〜]\s*$")
"""A capped subsidy amount: 100万円以内を補助 / 補助：～500万円."""

_SUBSIDY_WORD = re.compile(r"補助|助成|支援|給付|交付")


def relation_of(context: str, bound: str | None, amount_text: str = "") -> FactRelation:
    """The relation an amount has to what it is about, from the text around it.

    ``context`` is the clause (or a table cell's row label and column header), ``bound`` the
    MONEY entity's bound (max for 以内, 上限…)."""
    for relation, pattern in _RELATION_RULES:
        if pattern.search(context):
            if relation == "subsidy_cap" and bound in ("min", "over"):
                return "other"  # the floor of a subsidy is not its cap: 補助額は5万円以上
            return relation
    if bound == "max" and (_SUBSIDY_WORD.search(context) or _CAP_BOUND.search(amount_text)):
        return "subsidy_cap"
    return "other"
