"""The README documents every output column the sample has, and nothing else.

Each ``### `file`` section of "Output layout" lists its columns either as a table
(``| column | meaning |``, names in the first cell) or as a code span (`` `a, b, c`: ``);
both are read here and compared with the header of the committed sample's file.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SAMPLE = ROOT / "extracted"
with (SAMPLE / "documents.csv").open(encoding="utf-8-sig", newline="") as _handle:
    DOC = next(csv.DictReader(_handle))["doc_id"]
"""The committed sample's document."""

# section heading → the sample files its column lists describe, in the order the lists appear
DOCUMENTED_FILES = {
    "`sections.csv`": [f"{DOC}/sections.csv"],
    "`paragraphs.csv`": [f"{DOC}/paragraphs.csv"],
    "`tables.csv`": [f"{DOC}/tables.csv", f"{DOC}/tables/01.tidy.csv"],
    "`entities.csv` (per document)": [f"{DOC}/entities.csv"],
    "`mentions.csv`": [f"{DOC}/mentions.csv"],
    "`facts.csv` (funding facts)": [f"{DOC}/facts.csv"],
    "`extracted/documents.csv` (corpus-wide)": ["documents.csv"],
    "`extracted/entities.csv` (corpus-wide)": ["entities.csv"],
}
_TABLE_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|")
_CODE_LIST = re.compile(r"^`([a-z_0-9, \n]+)`:", re.MULTILINE)


def _sections() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    parts = re.split(r"^### (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1].split("\n## ")[0] for i in range(1, len(parts), 2)}


def _column_lists(body: str) -> list[list[str]]:
    """Every column list of a section, in order: tables and code-span lists."""
    lists: list[tuple[int, list[str]]] = []
    for match in re.finditer(r"^\| column \| meaning \|\n\|---\|---\|\n((?:\|.*\n?)+)", body, re.MULTILINE):
        names = [n.strip().strip("`") for row in match.group(1).splitlines()
                 for n in _TABLE_ROW.match(row).group(1).split(",")]  # type: ignore[union-attr]
        lists.append((match.start(), names))
    for match in _CODE_LIST.finditer(body):
        lists.append((match.start(), [n.strip() for n in match.group(1).replace("\n", " ").split(",")]))
    return [names for _, names in sorted(lists)]


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


@pytest.mark.parametrize("heading", sorted(DOCUMENTED_FILES))
def test_documented_columns_are_the_sample_columns(heading: str) -> None:
    sections = _sections()
    assert heading in sections, f"README has no section ### {heading}"
    lists = _column_lists(sections[heading])
    files = DOCUMENTED_FILES[heading]
    assert len(lists) >= len(files), f"{heading}: {len(lists)} column lists for {files}"
    for names, name in zip(lists, files):
        assert names == _header(SAMPLE / name), f"README {heading} vs {name}"


def test_corpus_tables_are_the_per_document_files_with_doc_id_first() -> None:
    """As the README says: same columns as the per-document files, doc_id first
    (document_entities adds corpus_entity_id; cells are the tidy files)."""
    pairs = {"sections.csv": "sections.csv", "paragraphs.csv": "paragraphs.csv", "tables.csv": "tables.csv",
             "mentions.csv": "mentions.csv", "facts.csv": "facts.csv", "cells.csv": "tables/01.tidy.csv",
             "document_entities.csv": "entities.csv"}
    for corpus, per_document in pairs.items():
        expected = ["doc_id"] + [c for c in _header(SAMPLE / DOC / per_document) if c != "doc_id"]
        if corpus == "document_entities.csv":
            expected.append("corpus_entity_id")
        assert _header(SAMPLE / corpus) == expected, corpus


def test_documented_manifest_keys_are_the_sample_keys() -> None:
    body = _sections()["`manifest.json`"].split("\n\n")[0]
    documented = {name.strip() for span in re.findall(r"`([^`]+)`", body) for name in span.split(",")}
    entry = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))["documents"][0]
    missing = set(entry) - documented
    assert not missing, f"manifest keys the README does not document: {sorted(missing)}"


def test_documented_year_names_and_value_ranges_hold_in_the_sample() -> None:
    """Three claims checked on the rows: a YEAR's name is written out from its value
    (2014年 / 2026年度), an exact amount's value_min and value_max equal its value, and the
    tidy unit of a cell under a unit line is that unit (see test_budget_statistics_tables)."""
    with (SAMPLE / DOC / "entities.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    years = [r for r in rows if r["label"] == "YEAR"]
    assert years and all(r["name"] == f"{r['value']}年{'度' if r['fiscal'] == '1' else ''}" for r in years)
    exact = [r for r in rows if r["label"] == "MONEY" and r["value"]]
    assert exact and all(r["value_min"] == r["value_max"] == r["value"] for r in exact)


def test_sample_rows_shown_in_the_readme_are_in_the_sample() -> None:
    blocks = re.findall(r"^```csv\n# (\S+)\n(.*?)^```", README.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    assert len(blocks) >= 8
    for name, body in blocks:
        lines = body.strip("\n").split("\n")
        actual = (SAMPLE / name).read_text(encoding="utf-8-sig").splitlines()
        assert lines[0] == actual[0], f"{name}: header"
        for line in lines[1:]:
            assert line in actual, f"{name}: {line[:60]}… is not in the sample"


def test_the_five_analyst_questions_run_on_the_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's recipe block runs as printed and each answer has rows on the sample."""
    text = README.read_text(encoding="utf-8")
    block = next((b for b in re.finditer(r"```python\n(.*?)```", text, re.DOTALL) if "\n# 1. " in b.group(1)), None)
    assert block, "README has no loader recipe"
    monkeypatch.chdir(ROOT)
    answers = []
    for part in re.split(r"\n# \d\. ", block.group(1))[1:]:
        namespace: dict = {}
        setup = block.group(1).split("\n# 1. ")[0]
        exec(setup, namespace)  # noqa: S102  (the README's own code)
        *body, last = [line for line in part.split("\n")[1:] if line.strip()]
        exec("\n".join(body), namespace)  # noqa: S102
        answers.append(eval(last, namespace))  # noqa: S307
    assert len(answers) == 5
    assert all(len(answer) > 0 for answer in answers)
