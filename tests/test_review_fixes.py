"""Regression tests for problems found in review: input keys, text encodings, entity merging."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures import base as fbase

from pipeline.batch import BatchOptions, read_manifest, run_batch
from pipeline.config import PipelineConfig
from pipeline.nlp.linking import _one_edit
from pipeline.stages.text_input import decode_japanese_text
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.pipeline import build_nlp
from pipeline.stages.entities import run
from pipeline.model import Block, Document, SourceInfo
from tests.fixtures.runs import run_pipeline

JAPANESE = "本市は令和5年度に地域産業振興のための補助事業を始めた。ものづくり企業の支援を行う。\n" * 5


def _small_pdf(path: Path, text: str) -> Path:
    return fbase.write_text_pdf(path, [[fbase.TextLine(text, fbase.MARGIN_L, 72.0, 10.5)]])


def _quiet() -> BatchOptions:
    return BatchOptions(quiet=True, progress=False, timeout_seconds=None)


def test_an_input_named_another_way_keeps_its_entry_and_doc_id(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    _small_pdf(raw / "a.pdf", "地域産業の概要。")
    other = tmp_path / "other"
    other.mkdir()
    _small_pdf(other / "b.pdf", "別の資料の概要。")
    out = tmp_path / "out"
    run_batch([raw], out, PipelineConfig(), options=_quiet(), log=lambda line: None)
    before, _ = read_manifest(out)
    entries = run_batch([raw, other / "b.pdf"], out, PipelineConfig(), options=_quiet(), log=lambda line: None)
    statuses = {e.doc_id: e.status for e in entries}
    assert statuses == {"a": "ok", "b": "ok"}
    assert not (out / "a_pdf").exists()
    (a_before,) = [e for e in before if e.doc_id == "a"]
    (a_after,) = [e for e in entries if e.doc_id == "a"]
    assert a_after.sha256 == a_before.sha256


def test_shift_jis_and_euc_jp_text_decode_to_the_same_japanese() -> None:
    for encoding in ("utf-8", "cp932", "euc_jp"):
        assert decode_japanese_text(JAPANESE.encode(encoding)) == JAPANESE


def test_undecodable_bytes_are_refused() -> None:
    assert decode_japanese_text(bytes([0x82, 0xFF, 0x8E, 0xFF]) * 8) is None


def test_latin_names_differing_in_a_digit_are_not_one_typo() -> None:
    assert _one_edit("SKYLINE PLAN 2024", "SKYLINE PLAN 2025") is False
    assert _one_edit("HOKURIKU SMART PROJECT", "HOKURIK SMART PROJECT") is True


def test_same_amount_with_different_qualifiers_are_different_entities() -> None:
    doc = Document(doc_id="d", source=SourceInfo("d.txt", "0" * 64, 0, kind="txt"))
    doc.blocks.append(Block("b0001", "paragraph", "補助額は約300万円で、上限は300万円以内とする。", 1, None))
    config = EntityConfig()
    run(doc, config, build_nlp(config))
    money = [e for e in doc.entities if e.label == "MONEY"]
    assert sorted((e.value, e.approx, e.bound) for e in money) == [(3_000_000, False, "max"), (3_000_000, True, None)]


def _doc_from_lines(tmp_path: Path, lines: list[fbase.TextLine]) -> Document:
    path = fbase.write_text_pdf(tmp_path / "lines.pdf", [lines])
    return run_pipeline(path, "lines")


def test_a_large_heading_over_a_smaller_one_is_a_heading_but_display_type_runs_are_not(tmp_path: Path) -> None:
    body = "本市は地域の中小企業と連携し、新しい産業の育成を進めている。製造業の集積を活かした取組である。"
    lines = [
        fbase.TextLine("産業振興調査報告書", fbase.MARGIN_L, 50.0, 22.0, bold=True),
        fbase.TextLine("地域産業の現状", fbase.MARGIN_L, 80.0, 16.0, bold=True),
        fbase.TextLine("取組の概要", fbase.MARGIN_L, 110.0, 12.0, bold=True),
        fbase.TextLine(body, fbase.MARGIN_L, 135.0, 10.5),
        fbase.TextLine("今こそ挑戦を", fbase.MARGIN_L, 200.0, 14.0, bold=True),
        fbase.TextLine("みんなで応援", fbase.MARGIN_L, 222.0, 14.0, bold=True),
        fbase.TextLine("未来をつくる", fbase.MARGIN_L, 244.0, 14.0, bold=True),
    ]
    doc = _doc_from_lines(tmp_path, lines)
    titles = [s.title for s in doc.sections]
    assert doc.title == "産業振興調査報告書"
    assert "地域産業の現状" in titles and "取組の概要" in titles
    assert "今こそ挑戦を" not in titles and "みんなで応援" not in titles


def test_text_input_marked_heading_followed_by_its_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(
        "第1章 地域の概要\n\n■位置\n\n市は県の北部にあり、高速道路と鉄道で県庁所在地と結ばれている。\n",
        encoding="utf-8",
    )
    doc = run_pipeline(path, "notes")
    titles = [(s.title, s.parent_id) for s in doc.sections]
    assert titles == [("第1章 地域の概要", None), ("位置", "s001")]
