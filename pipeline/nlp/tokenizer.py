"""fugashi (MeCab + unidic-lite) as the tokenizer of a spaCy ``Language``.

spaCy's own Japanese tokenizer needs SudachiPy; this one needs only ``fugashi`` and
``unidic-lite``. It is registered as ``pipeline.FugashiTokenizer.v1`` so a config can name
it::

    [nlp.tokenizer]
    @tokenizers = "pipeline.FugashiTokenizer.v1"
    split_on_newline = true

Every token carries its surface (``token.text``), lemma (``token.lemma_``), a UD part of
speech (``token.pos_``), the unidic part of speech ``pos1-pos2-pos3`` (``token.tag_``) and
its kana reading (``token._.reading``). Sentence starts are set on the ``Doc``: after
。！？!? (and any closing brackets that follow them) and after a line end.

The text of a ``Doc`` is exactly the text it was made from, spaces included, so character
offsets into a ``Doc`` are offsets into the paragraph (``Block.text``) or table cell. The
per-token arrays the entity rules read (character offsets, token classes) are on
``doc._.token_info``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NamedTuple

import fugashi
import numpy
import spacy
from spacy.attrs import LEMMA, POS, SENT_START, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

TOKEN_INFO = "token_info"
"""``Doc`` extension holding the per-token arrays the entity rules read (see ``TokenInfo``)."""


# --- token classes read by the entity rules -------------------------------------------------
# One character per token, so that rules can scan token sequences with plain string tests:
#   P place name (固有名詞-地名)     H person name (固有名詞-人名)   G other proper noun
#   K katakana common noun         U unknown katakana word (likely a name)
#   L Latin letters / alphanumerics D number (数詞 or digits)      N other common noun
#   V common noun that can take する (普通名詞-サ変可能: 支援, 推進, 整備)
#   A adjectival noun (形状詞: 知的, 高度, 広域的)
#   F prefix (接頭辞)                S suffix (接尾辞)
#   p particle  a auxiliary  v verb/adjective/adverb/other content word
#   m middle dot ・  o opening bracket  c closing bracket  x other punctuation
#   w white space  y other symbol
NAME_CLASSES = frozenset("PHGKULDNVAFS")

_KATAKANA_WORD = re.compile(r"[\u30a0-\u30ffー・]+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_DIGITS = re.compile(r"[0-9０-９.,．，]+")
_OPEN_BRACKETS = frozenset("（(「『【［[〔〈《｛{“‘")
_CLOSE_BRACKETS = frozenset("）)」』】］]〕〉》｝}”’")
_MIDDLE_DOTS = frozenset("・･")
_SENTENCE_ENDS = frozenset("。！？!?")
_ATTRS = [LEMMA, TAG, POS, SENT_START]
_WHITE_SPACE = re.compile(r"\s")
_NOT_SENT_START = 2**64 - 1  # -1 as spaCy stores it: "not a sentence start"
_LEMMA_GLOSS = re.compile(r"-[A-Za-z].*$")  # リサーチ-research → リサーチ

_UD_BY_POS1 = {
    "名詞": "NOUN", "代名詞": "PRON", "形状詞": "ADJ", "連体詞": "DET", "副詞": "ADV",
    "接続詞": "CCONJ", "感動詞": "INTJ", "動詞": "VERB", "形容詞": "ADJ", "助動詞": "AUX",
    "接頭辞": "NOUN", "接尾辞": "NOUN", "記号": "SYM", "補助記号": "PUNCT", "空白": "SPACE",
}
_UD_PARTICLES = {"接続助詞": "SCONJ", "準体助詞": "SCONJ", "終助詞": "PART"}


def _ud_pos(pos1: str, pos2: str) -> str:
    if pos1 == "名詞":
        if pos2 == "固有名詞":
            return "PROPN"
        if pos2 == "数詞":
            return "NUM"
        return "NOUN"
    if pos1 == "助詞":
        return _UD_PARTICLES.get(pos2, "ADP")
    if pos1 == "接尾辞" and pos2 != "名詞的":
        return "PART"
    if pos1 == "補助記号" and pos2 == "ＡＡ":
        return "SYM"
    return _UD_BY_POS1.get(pos1, "X")


def _token_class(surface: str, pos1: str, pos2: str, pos3: str, known: bool) -> str:
    if pos1 == "名詞":
        if pos2 == "固有名詞":
            return "P" if pos3 == "地名" else "H" if pos3 == "人名" else "G"
        if pos2 == "数詞" or _DIGITS.fullmatch(surface):
            return "D"
        if _LATIN.search(surface):
            return "L"
        if _KATAKANA_WORD.fullmatch(surface):
            return "K" if known else "U"
        return "V" if pos3 == "サ変可能" else "N"
    if pos1 == "形状詞":
        return "A"
    if pos1 == "接尾辞":
        return "S"
    if pos1 == "接頭辞":
        return "F"
    if pos1 == "助詞":
        return "p"
    if pos1 == "助動詞":
        return "a"
    if pos1 == "空白" or surface.isspace():
        return "w"
    if pos1 in ("補助記号", "記号"):
        first = surface[0]
        if first in _OPEN_BRACKETS:
            return "o"
        if first in _CLOSE_BRACKETS:
            return "c"
        if first in _MIDDLE_DOTS:
            return "m"
        if pos1 == "補助記号":
            return "x"
        return "y"
    if _LATIN.search(surface):
        return "L"
    if _DIGITS.fullmatch(surface):
        return "D"
    return "v"


class _Morph(NamedTuple):
    """What the tokenizer keeps of one MeCab line (cached per distinct line), with the string
    hashes the ``Doc`` is given (a tuple, so that a text's morphs turn into columns in one call)."""

    surface: str
    lemma: str
    reading: str
    tag: str
    pos: str
    cls: str
    length: int
    lemma_hash: int
    tag_hash: int
    pos_id: int


class FugashiTokenizer:
    """A spaCy tokenizer: text → ``Doc`` with lemma, POS, tag, reading and sentence starts."""

    def __init__(self, vocab: Vocab, split_on_newline: bool = True) -> None:
        self.vocab = vocab
        self.split_on_newline = split_on_newline
        # unidic-lite's dicrc prints: surface, pron, lForm, lemma, pos1-pos2-pos3-pos4, cType, cForm, aType
        self.tagger = fugashi.Tagger()
        self._cache: dict[str, _Morph] = {}
        self._hashes: dict[str, int] = {}

    def _morph(self, line: str) -> _Morph:
        morph = self._cache.get(line)
        if morph is not None:
            return morph
        fields = line.split("\t")
        surface = fields[0]
        pron = fields[1] if len(fields) > 1 else ""
        lform = fields[2] if len(fields) > 2 else ""
        lemma = fields[3] if len(fields) > 3 and fields[3] else surface
        pos_parts = fields[4].split("-") if len(fields) > 4 else ["名詞", "普通名詞", "一般"]
        pos_parts += ["*"] * (3 - len(pos_parts))
        pos1, pos2, pos3 = pos_parts[0], pos_parts[1], pos_parts[2]
        # unknown words are printed with their surface in every column
        known = not (pron == surface and lform == surface and lemma == surface)
        lemma = _LEMMA_GLOSS.sub("", lemma) or surface
        if pos2 == "固有名詞":
            lemma = surface  # unidic gives proper nouns a katakana lemma (新潟 → ニイガタ)
        if not known:
            reading = ""
        elif lemma == surface:
            reading = lform  # the dictionary reading: 銀行 → ギンコウ
        else:
            reading = pron  # inflected or variant form: the surface pronunciation
        tag = "-".join(p for p in (pos1, pos2, pos3) if p and p != "*")
        pos = _ud_pos(pos1, pos2)
        morph = _Morph(surface, lemma, reading, tag, pos, _token_class(surface, pos1, pos2, pos3, known),
                       len(surface), self._hash(lemma), self._hash(tag), POS_IDS[pos])
        if len(self._cache) < 200_000:
            self._cache[line] = morph
        return morph

    def __call__(self, text: str) -> Doc:
        parsed = self.tagger.parse(text) if text else ""
        cache = self._cache
        morphs = [cache.get(line) or self._morph(line) for line in parsed.split("\n") if line and line != "EOS"]
        lengths = [m.length for m in morphs]
        rehash = False
        if morphs and not _WHITE_SPACE.search(text) and sum(lengths) == len(text):
            # fast path: no white space, so the surfaces tile the text
            ends = list(accumulate(lengths))
            starts = [end - length for end, length in zip(ends, lengths)]
            surfaces, lemmas, readings, tags, pos, classes, _, lemma_hashes, tag_hashes, pos_ids = zip(*morphs)
            words, readings, cls = list(surfaces), list(readings), list(classes)
            spaces = [False] * len(words)
        else:
            words, spaces, lemmas, tags, pos, readings, cls, starts, ends = self._align(text, morphs)
            rehash = True  # (the string hashes are worked out below)
        classes_text = "".join(cls)
        if "LL" in classes_text:
            lemmas, tags, pos = list(lemmas), list(tags), list(pos)
            self._merge_latin(text, words, spaces, lemmas, tags, pos, readings, cls, starts, ends)
            classes_text, rehash = "".join(cls), True
        sent_starts = self._sentence_starts(words, cls)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if words:
            if rehash:
                hash_of = self._hashes
                lemma_hashes = [hash_of.get(x) or self._hash(x) for x in lemmas]
                tag_hashes = [hash_of.get(x) or self._hash(x) for x in tags]
                pos_ids = [POS_IDS[x] for x in pos]
            # setting attributes through one array is 3x faster than Doc(..., lemmas=, tags=, pos=)
            array = numpy.empty((len(words), 4), dtype="uint64")
            array[:, 0] = lemma_hashes
            array[:, 1] = tag_hashes
            array[:, 2] = pos_ids
            array[:, 3] = [1 if x else _NOT_SENT_START for x in sent_starts]
            doc.from_array(_ATTRS, array)
        sentence_chars = [starts[i] for i, flag in enumerate(sent_starts) if flag]
        doc._.token_info = TokenInfo(starts, ends, classes_text, readings, text, sentence_chars)
        return doc

    def _align(self, text: str, morphs: list[_Morph]) -> tuple[list[Any], ...]:
        """Place each surface in the text; white space MeCab skipped becomes trailing spaces or tokens."""
        words: list[str] = []
        spaces: list[bool] = []
        lemmas: list[str] = []
        tags: list[str] = []
        pos: list[str] = []
        readings: list[str] = []
        cls: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        for morph in morphs:
            surface = morph.surface
            found = text.find(surface, position)
            if found < 0:
                continue  # MeCab never changes a surface; this guards against a broken line
            if found > position:
                self._add_gap(text, position, found, words, spaces, lemmas, tags, pos, readings, cls, starts, ends)
            words.append(surface)
            spaces.append(False)
            lemmas.append(morph.lemma)
            tags.append(morph.tag)
            pos.append(morph.pos)
            readings.append(morph.reading)
            cls.append(morph.cls)
            starts.append(found)
            ends.append(found + len(surface))
            position = found + len(surface)
        if position < len(text):
            self._add_gap(text, position, len(text), words, spaces, lemmas, tags, pos, readings, cls, starts, ends)
        return words, spaces, lemmas, tags, pos, readings, cls, starts, ends

    def _hash(self, string: str) -> int:
        value = self._hashes.get(string)
        if value is None:
            value = self.vocab.strings.add(string)
            self._hashes[string] = value
        return value

    @staticmethod
    def _add_gap(
        text: str, start: int, end: int, words: list[str], spaces: list[bool], lemmas: list[str],
        tags: list[str], pos: list[str], readings: list[str], cls: list[str], starts: list[int], ends: list[int],
    ) -> None:
        """Text MeCab skipped (spaces, line ends): a trailing space flag or whitespace tokens."""
        gap = text[start:end]
        if gap == " " and words and not spaces[-1] and cls[-1] != "w":
            spaces[-1] = True
            return
        # anything else becomes one token per run (spaCy's convention for extra white space)
        for match in re.finditer(r"\s+|\S+", gap):
            piece = match.group()
            is_space = piece.isspace()
            words.append(piece)
            spaces.append(False)
            lemmas.append(piece)
            tags.append("空白" if is_space else "補助記号")
            pos.append("SPACE" if is_space else "X")
            readings.append("")
            cls.append("w" if is_space else "y")
            starts.append(start + match.start())
            ends.append(start + match.end())

    @staticmethod
    def _merge_latin(
        text: str, words: list[str], spaces: list[bool], lemmas: list[str], tags: list[str], pos: list[str],
        readings: list[str], cls: list[str], starts: list[int], ends: list[int],
    ) -> None:
        """Join Latin pieces MeCab split with no space between them: ＳＯ|ＲＡ → ＳＯＲＡ."""
        i = 1
        while i < len(words):
            if cls[i] == "L" and cls[i - 1] == "L" and ends[i - 1] == starts[i]:
                words[i - 1] = text[starts[i - 1]:ends[i]]
                lemmas[i - 1] = words[i - 1]
                readings[i - 1] = readings[i - 1] + readings[i]
                spaces[i - 1] = spaces[i]
                ends[i - 1] = ends[i]
                for array in (words, spaces, lemmas, tags, pos, readings, cls, starts, ends):
                    del array[i]
            else:
                i += 1

    def _sentence_starts(self, words: list[str], cls: list[str]) -> list[bool]:
        starts = [False] * len(words)
        if not words:
            return starts
        starts[0] = True
        boundary = False
        for i, word in enumerate(words):
            if boundary and cls[i] not in "cw":
                starts[i] = True
                boundary = False
            if word[-1] in _SENTENCE_ENDS or (self.split_on_newline and "\n" in word):
                boundary = True
        return starts

    # spaCy calls these when a pipeline is saved and loaded; the tokenizer has no state to keep.
    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _bytes: bytes, **_: Any) -> FugashiTokenizer:
        return self

    def to_disk(self, _path: Any, **_: Any) -> None:
        return None

    def from_disk(self, _path: Any, **_: Any) -> FugashiTokenizer:
        return self


@dataclass
class TokenInfo:
    """Per-token arrays kept on ``doc._.token_info`` for the entity rules."""

    starts: list[int]
    ends: list[int]
    cls: str
    """One class character per token (see ``NAME_CLASSES`` and the table above it)."""
    readings: list[str]
    text: str = ""
    """The ``Doc`` text (``doc.text`` rebuilds it from the tokens on every call)."""
    sentence_chars: list[int] | None = None
    """Character offsets where sentences start."""


def token_info(doc: Doc) -> TokenInfo:
    """The token arrays of a ``Doc`` made by ``FugashiTokenizer`` (rebuilt for any other ``Doc``)."""
    info = doc._.token_info
    if isinstance(info, TokenInfo):
        return info
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t.text) for t in doc]
    cls = "".join("w" if t.is_space else "x" if t.is_punct else "N" for t in doc)
    info = TokenInfo(starts, ends, cls, [""] * len(doc), doc.text, [s.start_char for s in doc.sents] if len(doc) else [0])
    doc._.token_info = info
    return info


def _reading_getter(token: Token) -> str:
    return token_info(token.doc).readings[token.i]


if not Doc.has_extension(TOKEN_INFO):
    Doc.set_extension(TOKEN_INFO, default=None)
if not Token.has_extension("reading"):
    Token.set_extension("reading", getter=_reading_getter)


@spacy.registry.tokenizers("pipeline.FugashiTokenizer.v1")
def create_fugashi_tokenizer(split_on_newline: bool = True) -> Any:
    """Registry entry: ``[nlp.tokenizer] @tokenizers = "pipeline.FugashiTokenizer.v1"``."""

    def make_tokenizer(nlp: Language) -> FugashiTokenizer:
        return FugashiTokenizer(nlp.vocab, split_on_newline=split_on_newline)

    return make_tokenizer


def build_tokenizer_nlp(split_on_newline: bool = True) -> Language:
    """A blank multi-language pipeline whose tokenizer is fugashi (no components)."""
    return spacy.blank("xx", config={"nlp": {"tokenizer": tokenizer_config(split_on_newline)}})


def tokenizer_config(split_on_newline: bool = True) -> dict[str, Any]:
    """The ``[nlp.tokenizer]`` block naming this tokenizer."""
    return {"@tokenizers": "pipeline.FugashiTokenizer.v1", "split_on_newline": split_on_newline}
