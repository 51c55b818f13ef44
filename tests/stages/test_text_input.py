"""Plain-text input: encodings, and .txt files as blocks."""

from __future__ import annotations

from pipeline.stages.text_input import decode_japanese_text

JAPANESE = "本市は令和5年度に地域産業振興のための補助事業を始めた。ものづくり企業の支援を行う。\n" * 5


def test_shift_jis_and_euc_jp_text_decode_to_the_same_japanese() -> None:
    for encoding in ("utf-8", "cp932", "euc_jp"):
        assert decode_japanese_text(JAPANESE.encode(encoding)) == JAPANESE


def test_undecodable_bytes_are_refused() -> None:
    assert decode_japanese_text(bytes([0x82, 0xFF, 0x8E, 0xFF]) * 8) is None

