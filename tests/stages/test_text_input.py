"""Plain-text input: encodings, and .txt files as blocks."""

from __future__ import annotations

from pipeline.stages.text_input import decode_japanese_text

JAPANESE = "本市は令和5年度に地域産業振興のための補助事業を始めた。ものづくり企業の支援を行う。\n" * 5


def test_shift_jis_and_euc_jp_text_decode_to_the_same_japanese() -> None:
    for encoding in ("utf-8", "cp932", "euc_jp"):
        assert decode_japanese_text(JAPANESE.encode(encoding)) == JAPANESE


def test_undecodable_bytes_are_refused() -> None:
    assert decode_japanese_text(bytes([0x82, 0xFF, 0x8E, 0xFF]) * 8) is None



def _blocks_of(tmp_path, content: str) -> list[str]:
    from pipeline.stages.text_input import read_text_document

    path = tmp_path / "notes.txt"
    path.write_text(content, encoding="utf-8")
    return [b.text for b in read_text_document(path, "notes", "0" * 64).blocks]


def test_a_wrapped_line_starting_like_an_ordinal_continues_its_paragraph(tmp_path) -> None:
    """Without geometry, ア、 or 1) at the start of a line may be the rest of a sentence."""
    blocks = _blocks_of(tmp_path, "申請の詳細は\nア、イの各項目を確認してください。\n")
    assert blocks == ["申請の詳細はア、イの各項目を確認してください。"]


def test_every_bullet_of_the_shared_vocabulary_opens_an_item_in_plain_text(tmp_path) -> None:
    """▽ and ▷ open an item in a .txt file as they do on a PDF page."""
    blocks = _blocks_of(tmp_path, "次の書類を提出する。\n▽申請書\n▷事業計画書\n（1）見積書\n")
    assert blocks == ["次の書類を提出する。", "▽申請書", "▷事業計画書", "（1）見積書"]
