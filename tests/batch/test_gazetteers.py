"""User gazetteers: a team's own names win over the rules, and editing them redoes the files."""

from __future__ import annotations

import csv
import re
import json
from pathlib import Path

import pytest

import pipeline
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.user_gazetteer import GazetteerError, gazetteers_sha256, read_user_gazetteers
from tests.batch.test_cli import run_cli

HEADER = "label,name,aliases,type\n"
TEXT = "山川精機は令和5年度にみどり町創業応援補助金を受けた。山川精機の社長が説明した。\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_entries_win_and_every_mention_takes_the_entry_name(tmp_path: Path) -> None:
    folder = tmp_path / "gazetteers"
    _write(folder / "ours.csv", HEADER + "ORG,株式会社山川精機,山川精機|ヤマカワ精機,company\n"
                                          "PROGRAM,町創業応援制度,みどり町創業応援補助金,subsidy\n")
    rows = pipeline.tag(TEXT, EntityConfig(gazetteers=(str(folder),)))
    found = {(r["label"], r["text"], r["name"], r["rule"]) for r in rows if r["label"] in ("ORG", "PROGRAM")}
    assert ("ORG", "山川精機", "株式会社山川精機", "user") in found
    assert ("PROGRAM", "みどり町創業応援補助金", "町創業応援制度", "user") in found


@pytest.mark.parametrize(("text", "tagged"), [
    ("山川精機販売が出展した。", False),  # another company whose name runs on
    ("東京山川精機が出展した。", False),
    ("山川精機様の製品を使う。", True),  # a suffix or a particle ends the name
    ("弊社山川精機は出展した。", True),
])
def test_a_name_inside_a_longer_name_is_not_tagged(tmp_path: Path, text: str, tagged: bool) -> None:
    path = _write(tmp_path / "ours.csv", HEADER + "ORG,山川精機,,company\n")
    rows = pipeline.tag(text, EntityConfig(gazetteers=(str(path),)))
    assert any(r["rule"] == "user" and r["text"] == "山川精機" for r in rows) is tagged


def test_a_latin_name_with_spaces_is_found(tmp_path: Path) -> None:
    path = _write(tmp_path / "ours.csv", HEADER + "ORG,Green Leaf Works,,company\n")
    rows = pipeline.tag("本事業はGreen Leaf Worksが受託した。", EntityConfig(gazetteers=(str(path),)))
    assert [(r["text"], r["rule"]) for r in rows if r["label"] == "ORG"] == [("Green Leaf Works", "user")]


def test_an_entry_wins_over_a_longer_rule_name(tmp_path: Path) -> None:
    """The rules alone read みどり町創業応援補助金 as one program; the user's list says the program
    is 創業応援補助金."""
    path = _write(tmp_path / "ours.csv", HEADER + "PROGRAM,創業応援補助金,,subsidy\n")
    rows = pipeline.tag("みどり町創業応援補助金を申請した。", EntityConfig(gazetteers=(str(path),)))
    assert ("PROGRAM", "創業応援補助金", "user") in {(r["label"], r["text"], r["rule"]) for r in rows}


@pytest.mark.parametrize(("content", "reason"), [
    ("name,type\nABC,company\n", "missing column(s) label"),
    (HEADER + "PERSON,山田太郎,,\n", "line 2: label must be ORG or PROGRAM"),
    (HEADER + "ORG,,,\n", "line 2: the name is empty"),
])
def test_a_malformed_gazetteer_is_refused_with_its_file_and_line(tmp_path: Path, content: str, reason: str) -> None:
    path = _write(tmp_path / "bad.csv", content)
    with pytest.raises(GazetteerError, match=re.escape(reason)) as error:
        read_user_gazetteers([path])
    assert str(path) in str(error.value)


def test_errors_name_the_line_counting_comment_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "ours.csv", "# our grantees\n# checked 2026\n" + HEADER + "ORG,株式会社山川精機,,\nPERSON,x,,\n")
    with pytest.raises(GazetteerError, match="line 5: label must be ORG or PROGRAM"):
        read_user_gazetteers([path])


def test_a_folder_without_lists_and_a_file_not_in_utf8_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(GazetteerError, match="holds no .csv file"):
        read_user_gazetteers([tmp_path / "empty"])
    shift_jis = tmp_path / "sjis.csv"
    shift_jis.write_bytes((HEADER + "ORG,株式会社山川精機,,company\n").encode("cp932"))
    with pytest.raises(GazetteerError, match="not UTF-8 text .*CSV UTF-8"):
        read_user_gazetteers([shift_jis])


def test_upper_case_csv_names_in_a_folder_are_read(tmp_path: Path) -> None:
    _write(tmp_path / "g" / "OURS.CSV", HEADER + "ORG,株式会社山川精機,,company\n")
    assert "株式会社山川精機" in {e.name for e in read_user_gazetteers([tmp_path / "g"]).entries.values()}


def test_the_checksum_follows_the_content(tmp_path: Path) -> None:
    path = _write(tmp_path / "g" / "ours.csv", HEADER + "ORG,株式会社山川精機,,company\n")
    first = gazetteers_sha256([path.parent])
    assert first == gazetteers_sha256([path.parent]) and gazetteers_sha256([]) is None
    _write(path, HEADER + "ORG,株式会社山川精機,山川精機,company\n")
    assert gazetteers_sha256([path.parent]) != first


def _org_names(out: Path) -> set[str]:
    with (out / "notes" / "entities.csv").open(encoding="utf-8-sig") as handle:
        return {row["name"] for row in csv.DictReader(handle) if row["label"] == "ORG"}


def test_an_edited_gazetteer_changes_the_next_run_without_force(tmp_path: Path) -> None:
    """The default gazetteers/ folder of the current folder is read, and its checksum is part of
    the incremental key: adding an entry redoes the file."""
    _write(tmp_path / "raw" / "notes.txt", TEXT)
    first = run_cli("extract", "raw", "-o", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "株式会社ヤマカワ" not in _org_names(tmp_path / "out")
    again = run_cli("extract", "raw", "-o", "out", cwd=tmp_path)
    assert "1 unchanged" in again.stderr + again.stdout
    _write(tmp_path / "gazetteers" / "ours.csv", HEADER + "ORG,株式会社ヤマカワ,山川精機,company\n")
    edited = run_cli("extract", "raw", "-o", "out", cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert "株式会社ヤマカワ" in _org_names(tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["gazetteers_sha256"] == gazetteers_sha256([tmp_path / "gazetteers"])


def test_a_malformed_gazetteer_stops_the_run_before_any_file(tmp_path: Path) -> None:
    _write(tmp_path / "raw" / "notes.txt", TEXT)
    bad = _write(tmp_path / "bad.csv", HEADER + "PERSON,山田太郎,,\n")
    result = run_cli("extract", "raw", "-o", "out", "--gazetteer", bad, cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.csv, line 2" in result.stderr
    assert not (tmp_path / "out" / "notes").exists()
