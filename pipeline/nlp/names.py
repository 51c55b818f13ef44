"""How two mentions of one organization or program are recognized as one name.

* The comparison key: NFKC, no white space, legal forms removed (株式会社ＸＹＺ, XYZ 株式会社
  and XYZ share the key ``XYZ``), X社 → X, X信金 → X信用金庫.
* Shorter forms a document uses later for a name it introduced (株式会社山田製作所 →
  山田製作所, 静岡市清水区 → 清水区, 経済産業省新素材…補助金 → 新素材…補助金).

The legal forms are the ``legal`` and ``legal_prefix`` rows of ``data/org_suffixes.csv``,
the same list the ORG rules read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from pipeline.japanese.normalize import match_key, normalize_text, strip_cjk_spaces
from pipeline.nlp.candidate import Candidate
from pipeline.nlp.gazetteer import OrgData, legal_forms, load_org_data

# katakana or Latin name + 社: グラナダテック社 → グラナダテック
_NAME_SHA = re.compile(r"^([\u30a0-\u30ffA-Za-z0-9&.\- ]{2,})社$")
# つばさ信金 → つばさ信用金庫, みなと信組 → みなと信用組合, 中央労金 → 中央労働金庫
_SHORT_FINANCIAL = (("信金", "信用金庫"), ("信組", "信用組合"), ("労金", "労働金庫"))
# Owners a name may be prefixed with: 経済産業省…, 岐阜県…, 見本市…
_OWNER_TYPES = ("national_gov", "prefecture", "municipality", "gov_agency")
MIN_SHORT_FORM_REST = 4
"""A name without its owner must keep at least this many characters to stand for it."""


class NameRules:
    """Comparison keys and short forms, built on the gazetteer of one data folder."""

    def __init__(self, org_data: OrgData, forms: Sequence[str]) -> None:
        self._org_data = org_data
        self._legal_form = re.compile("|".join(re.escape(f) for f in forms))
        abbreviated = sorted(org_data.abbreviations, key=len, reverse=True)
        self._abbreviation = re.compile("|".join(map(re.escape, abbreviated))) if abbreviated else None
        self._keys: dict[str, str] = {}

    def key(self, text: str) -> str:
        """The key two mentions of one organization or program share (see module docstring)."""
        key = self._keys.get(text)
        if key is None:
            key = self._key(text)
            if len(self._keys) < 65536:
                self._keys[text] = key
        return key

    def _key(self, text: str) -> str:
        key = match_key(text)
        stripped = self._legal_form.sub("", key)
        if len(stripped) >= 2:
            key = stripped
        found = _NAME_SHA.match(key)
        if found:
            key = found.group(1)
        for short, full in _SHORT_FINANCIAL:
            if key.endswith(short) and len(key) > len(short):
                key = key[: -len(short)] + full
        return key

    def normalized_name(self, text: str) -> str:
        """The name an entity is listed under: the text policy applied (ＯＴＡ → OTA, ２００万円 →
        200万円, ｶﾌﾞ → カブ) and abbreviated legal forms spelled out ((株)ABC, ㈱ABC → 株式会社ABC;
        the ``stands_for`` column of ``org_suffixes.csv``)."""
        name = normalize_text(display_name(text))
        if "(" in name or "（" in name or any("\u3200" <= ch <= "\u32ff" for ch in name):
            folded = unicodedata.normalize("NFKC", name)
            found = self._abbreviation.search(folded) if self._abbreviation else None
            if found:
                expansions = self._org_data.abbreviations
                name = normalize_text(self._abbreviation.sub(lambda m: expansions[m.group()], folded))  # type: ignore[union-attr]
        return name

    def short_forms(self, candidate: Candidate) -> list[str]:
        """Shorter names the same thing is called later in a document.

        株式会社山田製作所 → 山田製作所; 静岡市清水区 → 清水区;
        見本市商工課企業誘致推進室 → 企業誘致推進室; 桜台大学理工学部 → 理工学部.
        """
        name = display_name(candidate.text)
        forms: list[str] = []
        folded = unicodedata.normalize("NFKC", name)
        stripped = self._legal_form.sub("", folded).strip()
        if stripped and stripped != folded and len(stripped) >= 2:
            forms.append(stripped)
        if candidate.label == "ORG":
            forms.extend(_org_short_forms(candidate.type, name, folded))
        if candidate.type in ("gov_agency", "other", "association") or candidate.label == "PROGRAM":
            # 見本市商工課… → 商工課…; 経済産業省新素材…補助金 → 新素材…補助金
            owner = self._owner_prefix(name)
            if owner and len(name) - len(owner) >= MIN_SHORT_FORM_REST:
                forms.append(name[len(owner):])
        return forms

    def _owner_prefix(self, name: str) -> str | None:
        """A ministry, prefecture or municipality written in front of a name (経済産業省…, 見本市…)."""
        match = self._org_data.gazetteer_pattern.match(unicodedata.normalize("NFKC", name))
        if match is None:
            return None
        entry = self._org_data.surfaces.get(match.group())
        if entry is None or entry.type not in _OWNER_TYPES:
            return None
        return name[: match.end()]


def _org_short_forms(org_type: str | None, name: str, folded: str) -> list[str]:
    forms: list[str] = []
    if org_type == "municipality":
        ward = re.search(r"市(.{1,4}区)$", name)  # 静岡市清水区 → 清水区
        if ward:
            forms.append(ward.group(1))
    if org_type == "gov_agency":
        unit = re.search(r"課(.{3,}(?:室|係|班|センター))$", name)  # …課企業誘致推進室 → 企業誘致推進室
        if unit:
            forms.append(unit.group(1))
    if org_type == "university":
        faculty = re.search(r"大学(.{1,8}(?:学部|研究科))$", name)  # 桜台大学理工学部 → 理工学部
        if faculty:
            forms.append(faculty.group(1))
    found = _NAME_SHA.match(folded)
    if found:
        forms.append(found.group(1))
    return forms


@lru_cache(maxsize=4)
def name_rules(data_dir: str | None = None) -> NameRules:
    """The name rules of a data folder (None: the packaged ``data/``), built once."""
    return NameRules(load_org_data(data_dir), legal_forms(data_dir))


def name_key(text: str, data_dir: str | None = None) -> str:
    """The comparison key of a name (株式会社ＸＹＺ → XYZ); see :class:`NameRules`."""
    return name_rules(data_dir).key(text)


@lru_cache(maxsize=65536)
def display_name(text: str) -> str:
    """A mention as a name: spaces between CJK characters removed, outer spaces trimmed."""
    return strip_cjk_spaces(re.sub(r"\s+", " ", text)).strip()


def official_name(text: str) -> str | None:
    """The official long form for a short financial name: つばさ信金 → つばさ信用金庫."""
    name = display_name(text)
    for short, full in _SHORT_FINANCIAL:
        if name.endswith(short) and len(name) > len(short):
            return name[: -len(short)] + full
    return None


def unique_in_order(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            result.append(item)
    return result
