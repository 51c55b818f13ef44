"""The gazetteers and suffix lists under ``data/`` (see ``data/SOURCES.md``), loaded once per
folder, and the prefix-tree regex that matches many names at once."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.japanese.normalize import fold_width

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEGAL_MODES = ("legal", "legal_prefix", "legal_key")
"""Suffix modes of legal forms (株式会社, 公益財団法人, (株), (特非)) in ``org_suffixes.csv``."""
KEY_ONLY_MODES = ("legal_key",)
"""Modes only used to compare names, never to find them."""


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


def read_csv(path: Path) -> list[dict[str, str]]:
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
    country_pattern: re.Pattern[str]
    """Country names and short names (米国, カナダ) from ``countries.csv``."""
    abbreviations: dict[str, str]
    """An abbreviated legal form (NFKC: (株), (一社)) → what it stands for (株式会社, 一般社団法人)."""


@lru_cache(maxsize=4)
def load_org_data(data_dir: str | None = None) -> OrgData:
    folder = Path(data_dir) if data_dir else DATA_DIR
    surfaces: dict[str, GazetteerEntry] = {}
    prefectures: set[str] = set()
    for row in read_csv(folder / "prefectures.csv"):
        entry = GazetteerEntry(row["name"], "prefecture")
        surfaces[row["name"]] = entry
        prefectures.add(row["name"])
    municipalities: set[str] = set()
    designated: set[str] = set()
    for row in read_csv(folder / "municipalities.csv"):
        name = row["name"]
        municipalities.add(name)
        if row.get("designated_city") == "1":
            designated.add(name)
        surfaces.setdefault(name, GazetteerEntry(name, "municipality"))
    for row in read_csv(folder / "public_bodies.csv"):
        entry = GazetteerEntry(row["name"], row["type"], "ORG", row.get("note", ""))
        surfaces[fold_width(row["name"])] = entry
        for alias in filter(None, (row.get("aliases") or "").split("|")):
            surfaces[fold_width(alias)] = entry
    suffixes: dict[str, OrgSuffix] = {}
    abbreviations: dict[str, str] = {}
    for row in read_csv(folder / "org_suffixes.csv"):
        if row.get("stands_for"):
            abbreviations[unicodedata.normalize("NFKC", row["suffix"])] = row["stands_for"]
        if row["mode"] not in KEY_ONLY_MODES:
            suffixes[fold_width(row["suffix"])] = OrgSuffix(fold_width(row["suffix"]), row["type"], row["mode"])
    gazetteer_pattern = re.compile(trie_regex(surfaces))
    suffix_names = [s for s, d in suffixes.items() if d.mode != "legal_prefix"]
    suffix_pattern = re.compile("(?=(" + trie_regex(suffix_names) + "))")
    prefix_names = [s for s, d in suffixes.items() if d.mode in ("legal_prefix", "legal")]
    prefix_pattern = re.compile(trie_regex(prefix_names))
    countries = set()
    for row in read_csv(folder / "countries.csv"):
        countries.add(fold_width(row["name"]))
        countries.update(fold_width(short) for short in (row.get("short") or "").split("|") if short)
    return OrgData(
        surfaces, frozenset(designated), frozenset(prefectures), frozenset(municipalities), suffixes,
        gazetteer_pattern, suffix_pattern, prefix_pattern, re.compile(trie_regex(countries)), abbreviations,
    )



@dataclass
class ProgramSuffix:
    suffix: str
    type: str
    mode: str
    """money (…補助金: one content word is enough), name (two content words),
    project (two content words and a policy word), latin (PROJECT, Program)."""


@dataclass
class ProgramData:
    suffixes: dict[str, ProgramSuffix]
    suffix_pattern: re.Pattern[str]
    names: dict[str, tuple[str, str]]
    """Folded scheme name → (name, type)."""
    names_pattern: re.Pattern[str] | None


@lru_cache(maxsize=4)
def load_program_data(data_dir: str | None = None) -> ProgramData:
    folder = Path(data_dir) if data_dir else DATA_DIR
    suffixes = {
        fold_width(row["suffix"]): ProgramSuffix(fold_width(row["suffix"]), row["type"], row["mode"])
        for row in read_csv(folder / "program_suffixes.csv")
    }
    pattern = re.compile("(?=(" + trie_regex(s for s, d in suffixes.items() if d.mode != "latin") + "))")
    names = {fold_width(row["name"]): (row["name"], row["type"]) for row in read_csv(folder / "programs.csv")}
    for row in read_csv(folder / "programs.csv"):
        for alias in filter(None, (row.get("aliases") or "").split("|")):
            names[fold_width(alias)] = (row["name"], row["type"])
    names_pattern = re.compile(trie_regex(names)) if names else None
    return ProgramData(suffixes, pattern, names, names_pattern)


@lru_cache(maxsize=4)
def owner_names(data_dir: str | None = None) -> frozenset[str]:
    """Names that alone do not name a program (松江市補助金 is whose subsidy, not which)."""
    org_data = load_org_data(data_dir)
    return org_data.municipalities | org_data.prefectures | frozenset(
        k for k, v in org_data.surfaces.items() if v.type in ("national_gov", "gov_agency")
    )



@lru_cache(maxsize=4)
def legal_forms(data_dir: str | None = None) -> tuple[str, ...]:
    """Legal forms as printed (株式会社, 公益財団法人, (株), ㈱), longest first: the ``legal`` and
    ``legal_prefix`` rows of ``org_suffixes.csv``."""
    folder = Path(data_dir) if data_dir else DATA_DIR
    forms = {fold_width(row["suffix"]) for row in read_csv(folder / "org_suffixes.csv") if row["mode"] in LEGAL_MODES}
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))
