"""The fugashi tokenizer for spaCy: surfaces, lemmas, POS, readings, sentences, tokens.csv."""

from __future__ import annotations

import csv

import pytest
import spacy

from pipeline.export.tokens import TOKEN_CSV_HEADER, write_tokens
from pipeline.model import Block, Document, SourceInfo, Table
from pipeline.nlp.tokenizer import build_tokenizer_nlp, token_info
from pipeline.nlp.units import tagged_unit, text_units, unit_tokens


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return build_tokenizer_nlp()


def test_doc_text_is_the_input_exactly(nlp):
    for text in ["港町市は橋を架けた。", "ＡＢＣ 株式会社\u3000本社", "a  b\n\nc", "", "   ", "第３回　会議（予定）"]:
        assert nlp(text).text == text


def test_tokens_carry_lemma_pos_tag_and_reading(nlp):
    doc = nlp("市役所へ行った。")
    by_text = {t.text: t for t in doc}
    assert by_text["行っ"].lemma_ == "行く"
    assert by_text["行っ"].pos_ == "VERB"
    assert by_text["た"].pos_ == "AUX"
    assert by_text["へ"].pos_ == "ADP"
    assert by_text["。"].pos_ == "PUNCT"
    assert by_text["行っ"].tag_.startswith("動詞")
    assert by_text["行っ"]._.reading == "イッ"
    assert by_text["役所"]._.reading == "ヤクショ"


def test_proper_nouns_keep_their_surface_as_lemma(nlp):
    doc = nlp("大阪に行く")
    assert doc[0].pos_ == "PROPN"
    assert doc[0].lemma_ == "大阪"  # unidic's own lemma is katakana


def test_sentences_split_on_japanese_sentence_ends_and_line_ends(nlp):
    doc = nlp("一つ目の文です。二つ目！三つ目？「引用。」四つ目\n五つ目")
    sentences = [s.text for s in doc.sents]
    assert sentences == ["一つ目の文です。", "二つ目！", "三つ目？", "「引用。」", "四つ目\n", "五つ目"]


def test_newline_split_can_be_turned_off():
    nlp = build_tokenizer_nlp(split_on_newline=False)
    assert len(list(nlp("一行目\n二行目").sents)) == 1


def test_white_space_becomes_trailing_space_or_space_tokens(nlp):
    doc = nlp("ＸＹＺ 株式会社\u3000本社  ビル")
    assert doc[0].text == "ＸＹＺ" and doc[0].whitespace_ == " "
    assert any(t.is_space and t.text == "\u3000" for t in doc)
    assert any(t.is_space and t.text == "  " for t in doc)


def test_full_width_latin_words_stay_one_token(nlp):
    doc = nlp("ＱＲＳＴＵと連携")
    assert doc[0].text == "ＱＲＳＴＵ"


def test_token_offsets_match_the_text(nlp):
    text = "北川町の 2020 年度予算\u3000は増えた。"
    doc = nlp(text)
    info = token_info(doc)
    for token, start, end in zip(doc, info.starts, info.ends):
        assert text[start:end] == token.text == text[token.idx:token.idx + len(token)]


def test_registered_tokenizer_can_be_named_in_a_config():
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "pipeline.FugashiTokenizer.v1"}}})
    assert [t.text for t in nlp("東西銀行")] == ["東西", "銀行"]


def _document() -> Document:
    doc = Document(doc_id="d1", source=SourceInfo("d1.pdf", "", 0))
    doc.blocks = [
        Block("b1", "heading", "概要", 1, None),
        Block("b2", "paragraph", "本市は計画を作った。次に進む。", 1, None, section_id="s1"),
        Block("b3", "footer", "- 1 -", 1, None),
        Block("b4", "list_item", "補助の対象", 2, None),
    ]
    doc.tables = [Table("1", 2, (0, 0, 0, 0), 2, 2, [["項目", "金額"], ["設備費", ""]])]
    return doc


def test_text_units_skip_footers_and_empty_cells():
    units = text_units(_document())
    assert [u.para_id for u in units] == ["b1", "b2", "b4", "T1:r0c0", "T1:r0c1", "T1:r1c0"]
    assert [u.source for u in units][:3] == ["heading", "paragraph", "paragraph"]
    assert units[-1].source == "table"


def test_write_tokens_csv(tmp_path, nlp):
    doc = _document()
    units = text_units(doc)
    tagged = [tagged_unit(unit, spacy_doc) for unit, spacy_doc in zip(units, nlp.pipe(u.text for u in units))]
    name = write_tokens(doc.doc_id, unit_tokens(tagged), tmp_path)
    with open(tmp_path / name, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0].keys()) == TOKEN_CSV_HEADER
    paragraph = [r for r in rows if r["para_id"] == "b2"]
    assert [r["sentence"] for r in paragraph if r["surface"] == "次"] == ["1"]
    assert paragraph[0]["surface"] == "本" and paragraph[0]["doc_id"] == "d1"
    assert all(r["surface"].strip() for r in rows)
