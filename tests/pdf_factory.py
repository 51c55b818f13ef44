"""Fixture PDF factory for the unit tests.

Every fixture is generated on the fly with reportlab so the tests never depend
on an external corpus.  All text is invented.

Font
----
The Japanese font is IPAexGothic as shipped inside the ``japanize-matplotlib``
wheel (located through the import, never through an absolute path).  It is
registered twice as an embedded TrueType subset (reportlab emits a simple
TrueType font with a /ToUnicode CMap, so pdfplumber returns real Unicode):

* ``FONT_REGULAR`` -> PDF BaseFont ``AAAAAA+IPAexGothic``
* ``FONT_BOLD``    -> PDF BaseFont ``AAAAAA+IPAexGothic-Bold``

reportlab derives the BaseFont from the TTF's PostScript name (``face.name``),
not from the name passed to ``TTFont``; it also de-duplicates fonts by that
face name, so a plain second registration would silently alias the regular
font.  We therefore rename the *face* of the second instance to
``IPAexGothic-Bold`` before registering it.  pdfplumber's ``char["fontname"]``
then contains ``"Bold"`` for bold text.  Bold text is additionally drawn with
text render mode 2 (fill + thin stroke) so it also *looks* bold when rendered.

Coordinates
-----------
The low-level helpers (:class:`TextLine`, :class:`Rule`, :class:`Box`) use
PDF points with the origin at the *top-left* of the page, i.e. the same frame
as pdfplumber's ``x0`` / ``top``.  ``TextLine.top`` is exactly the ``top`` that
pdfplumber reports for the (un-raised) characters of that line.

Expected structures
-------------------
Builders that have a meaningful "ground truth" return a frozen dataclass with
a ``path`` attribute plus the expected content (headings, paragraphs, table
grids ...).  Builders for raw/bad inputs return the ``Path``.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont
from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "FONT_REGULAR",
    "FONT_BOLD",
    "BOLD_FACE_NAME",
    "PAGE_W",
    "PAGE_H",
    "MARGIN_L",
    "MARGIN_R",
    "TEXT_W",
    "ipaex_font_path",
    "register_fonts",
    "text_width",
    "wrap_text",
    "join_wrapped_lines",
    "TextLine",
    "Rule",
    "Box",
    "ImageBox",
    "PageSpec",
    "Run",
    "layout_runs",
    "write_pdf",
    "write_text_pdf",
    "ExpectedHeading",
    "ExpectedParagraph",
    "ExpectedListItem",
    "ExpectedBlock",
    "ReportFixture",
    "TwoColumnFixture",
    "SuperscriptFixture",
    "TableFixture",
    "SlideFixture",
    "build_report_pdf",
    "build_two_column_pdf",
    "build_no_text_layer_pdf",
    "build_all_scanned_pdf",
    "build_superscript_pdf",
    "build_ruled_table_pdf",
    "build_merged_cells_table_pdf",
    "build_multiline_header_table_pdf",
    "build_ruleless_table_pdf",
    "build_split_table_pdf",
    "build_negative_units_table_pdf",
    "build_key_value_table_pdf",
    "build_many_pages_pdf",
    "build_slide_pdf",
    "write_html_as_pdf",
    "write_truncated_pdf",
    "write_encrypted_pdf",
    "write_owner_only_encrypted_pdf",
    "write_zero_page_pdf",
    "write_cid_font_pdf",
    "write_empty_text_file",
]

# ---------------------------------------------------------------------------
# Fonts and metrics
# ---------------------------------------------------------------------------

FONT_REGULAR = "FixtureIPAexGothic"
FONT_BOLD = "FixtureIPAexGothic-Bold"
#: PostScript face name given to the bold registration; shows up in the PDF
#: BaseFont (after the subset prefix) and hence in pdfplumber's ``fontname``.
BOLD_FACE_NAME = "IPAexGothic-Bold"

PAGE_W, PAGE_H = A4
MARGIN_L = 70.0
MARGIN_R = 70.0
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R  # 455.28pt: 43 full-width chars at 10.5pt

# IPAexGothic's descent (-120.1/1000 em); reportlab writes it into the
# FontDescriptor and pdfminer uses it to compute each char's bbox.
_DESCENT = -0.1201171875


def ipaex_font_path() -> Path:
    """Return the IPAexGothic TTF bundled with japanize-matplotlib.

    The package is located through the import system (``find_spec``) rather
    than imported: importing it would pull in matplotlib and change its global
    rcParams as a side effect, which the tests do not need.
    """
    spec = importlib.util.find_spec("japanize_matplotlib")
    if spec is not None and spec.origin:
        package_dir = Path(spec.origin).parent
    else:  # unusual loaders: fall back to a real import
        import japanize_matplotlib

        package_dir = Path(japanize_matplotlib.__file__).parent
    path = package_dir / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"IPAexGothic not found at {path}")
    return path


@lru_cache(maxsize=None)
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces with reportlab (once per process).

    Returns ``(FONT_REGULAR, FONT_BOLD)``.
    """
    ttf = str(ipaex_font_path())
    if FONT_REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_REGULAR, ttf))
    if FONT_BOLD not in pdfmetrics.getRegisteredFontNames():
        bold = TTFont(FONT_BOLD, ttf)
        # Rename the face: this is both the PDF BaseFont and reportlab's
        # de-duplication key (see module docstring).
        bold.face.name = TTFNameBytes(BOLD_FACE_NAME.encode("ascii"))
        pdfmetrics.registerFont(bold)
    return FONT_REGULAR, FONT_BOLD


def _font(bold: bool) -> str:
    regular, bold_name = register_fonts()
    return bold_name if bold else regular


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Natural advance width of ``text`` in points."""
    return pdfmetrics.stringWidth(text, _font(bold), size)


# ---------------------------------------------------------------------------
# Line breaking (greedy, Japanese-style)
# ---------------------------------------------------------------------------

# Latin words / numbers are unbreakable tokens; everything else breaks per char.
_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'/\-]*| |.", re.S)
# Kinsoku: characters that must not start / end a line.
_NO_START = set("、。，．）」』】〕］｝〉》％：；？！ー・ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.)")
_NO_END = set("（「『【〔［｛〈《(")


def wrap_text(
    text: str,
    width: float,
    size: float,
    bold: bool = False,
    first_line_indent: float = 0.0,
) -> list[str]:
    """Greedily break ``text`` into lines no wider than ``width``.

    CJK text breaks between any two characters; Latin words are kept whole
    and a space at a break point is dropped (as word processors do).  Simple
    kinsoku rules move a forbidden line-start/line-end character to the next
    line.  ``"".join``/``join_wrapped_lines`` of the result restores ``text``.
    """
    tokens = _TOKEN_RE.findall(text)
    lines: list[list[str]] = []
    cur: list[str] = []
    cur_w = 0.0
    avail = width - first_line_indent
    for tok in tokens:
        w = text_width(tok, size, bold)
        if cur and cur_w + w > avail + 1e-6:
            if tok == " ":
                lines.append(cur)
                cur, cur_w, avail = [], 0.0, width
                continue
            while cur and cur[-1] == " ":
                cur.pop()
            nxt: list[str] = [tok]
            # Oidashi kinsoku: push characters down instead of hanging them.
            while len(cur) > 1 and (nxt[0][0] in _NO_START or cur[-1][-1] in _NO_END):
                nxt.insert(0, cur.pop())
                while len(cur) > 1 and cur[-1] == " ":
                    cur.pop()  # the dropped space becomes the line break
            lines.append(cur)
            cur = nxt
            cur_w = sum(text_width(t, size, bold) for t in cur)
            avail = width
            continue
        if not cur and tok == " ":
            continue  # never start a line with a space
        cur.append(tok)
        cur_w += w
    if cur:
        lines.append(cur)
    return ["".join(line) for line in lines]


def _is_latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def join_wrapped_lines(lines: Sequence[str]) -> str:
    """Reference joiner: no separator between CJK, one space between Latin."""
    out = ""
    for line in lines:
        if out and line and _is_latin(out[-1]) and _is_latin(line[0]):
            out += " "
        out += line
    return out


# ---------------------------------------------------------------------------
# Low-level page description
# ---------------------------------------------------------------------------

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class TextLine:
    """One line of text placed on a page.

    ``x`` is the anchor (left edge, right edge or centre per ``align``);
    ``top`` is the distance from the page top to the top of the glyph boxes
    as pdfplumber reports it.  ``char_space`` adds tracking after each char
    (used to justify lines); ``rise`` raises the text (superscripts).
    """

    text: str
    x: float
    top: float
    size: float = 10.5
    bold: bool = False
    align: Align = "left"
    char_space: float = 0.0
    rise: float = 0.0

    @property
    def width(self) -> float:
        n = len(self.text)
        return text_width(self.text, self.size, self.bold) + self.char_space * max(n - 1, 0)

    @property
    def x0(self) -> float:
        if self.align == "right":
            return self.x - self.width
        if self.align == "center":
            return self.x - self.width / 2
        return self.x

    @property
    def bottom(self) -> float:
        return self.top + self.size


@dataclass(frozen=True)
class Rule:
    """A straight ruling line from (x0, top0) to (x1, top1)."""

    x0: float
    top0: float
    x1: float
    top1: float
    width: float = 0.6


@dataclass(frozen=True)
class Box:
    """A stroked (optionally filled) rectangle."""

    x0: float
    top: float
    x1: float
    bottom: float
    stroke_width: float = 0.8
    fill_gray: float | None = None


@dataclass(frozen=True)
class ImageBox:
    """A raster image (synthetic 'scan') drawn into the given rectangle."""

    x0: float
    top: float
    width: float
    height: float
    seed: int = 0


@dataclass
class PageSpec:
    """Everything drawn on one page.  Mutable only while a builder fills it."""

    lines: list[TextLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    images: list[ImageBox] = field(default_factory=list)
    size: tuple[float, float] = A4


@dataclass(frozen=True)
class Run:
    """A styled run of text for :func:`layout_runs` (e.g. a superscript)."""

    text: str
    size: float = 10.5
    bold: bool = False
    rise: float = 0.0


def layout_runs(runs: Sequence[Run], x: float, top: float) -> list[TextLine]:
    """Place runs one after another on a shared baseline.

    ``top`` refers to the largest run; smaller runs are shifted so all
    baselines coincide, then raised by their ``rise``.
    """
    max_size = max(r.size for r in runs)
    baseline_from_top = top + max_size * (1 + _DESCENT)
    out: list[TextLine] = []
    cx = x
    for r in runs:
        run_top = baseline_from_top - r.size * (1 + _DESCENT)
        out.append(TextLine(r.text, cx, run_top, r.size, r.bold, rise=r.rise))
        cx += text_width(r.text, r.size, r.bold)
    return out


def _draw_line(c: Canvas, line: TextLine, page_h: float) -> None:
    if not line.text:
        return
    baseline = page_h - line.top - line.size * (1 + _DESCENT)
    t = c.beginText()
    t.setTextOrigin(line.x0, baseline)
    t.setFont(_font(line.bold), line.size)
    if line.char_space:
        t.setCharSpace(line.char_space)
    if line.rise:
        t.setRise(line.rise)
    # Tc / Ts / Tr and the line width are graphics-state parameters that
    # survive BT/ET (and reportlab skips "0 Tr" as a no-op), so isolate every
    # line in q/Q; otherwise one justified, raised or bold line leaks into
    # all following lines.
    c.saveState()
    if line.bold:
        # Fill + thin stroke: visibly bolder without changing extracted text.
        t.setTextRenderMode(2)
        c.setLineWidth(line.size * 0.03)
    t.textOut(line.text)
    c.drawText(t)
    c.restoreState()


def _scan_image(width_px: int, height_px: int, seed: int) -> ImageReader:
    """A deterministic grey 'scanned page' image with text-like bars."""
    from PIL import Image, ImageDraw  # Pillow ships with matplotlib

    img = Image.new("L", (width_px, height_px), 250)
    draw = ImageDraw.Draw(img)
    margin = width_px // 9
    y = height_px // 10
    k = seed
    while y < height_px * 0.88:
        k = (k * 1103515245 + 12345) & 0x7FFFFFFF
        line_len = int((width_px - 2 * margin) * (0.55 + (k % 45) / 100))
        draw.rectangle([margin, y, margin + line_len, y + 3], fill=60 + k % 40)
        y += 9 if k % 7 else 16  # paragraph gaps now and then
    return ImageReader(img)


def _render_pages(
    pages: Sequence[PageSpec],
    target: Path | io.BytesIO,
    encrypt: StandardEncryption | None = None,
) -> None:
    register_fonts()
    first = pages[0].size if pages else A4
    c = Canvas(
        target if isinstance(target, io.BytesIO) else str(target),
        pagesize=first,
        encrypt=encrypt,
        invariant=1,  # reproducible bytes (fixed dates / IDs)
    )
    c.setAuthor("pdf_factory")
    c.setTitle("test fixture")
    for page in pages:
        w, h = page.size
        c.setPageSize(page.size)
        for box in page.boxes:
            c.setLineWidth(box.stroke_width)
            if box.fill_gray is not None:
                c.setFillGray(box.fill_gray)
            c.rect(
                box.x0, h - box.bottom, box.x1 - box.x0, box.bottom - box.top,
                stroke=1, fill=int(box.fill_gray is not None),
            )
            c.setFillGray(0)
        for rule in page.rules:
            c.setLineWidth(rule.width)
            c.line(rule.x0, h - rule.top0, rule.x1, h - rule.top1)
        for im in page.images:
            px_w = max(int(im.width / 3), 8)  # ~24 dpi is plenty for a fixture
            px_h = max(int(im.height / 3), 8)
            c.drawImage(
                _scan_image(px_w, px_h, im.seed),
                im.x0, h - im.top - im.height, im.width, im.height,
            )
        for line in page.lines:
            _draw_line(c, line, h)
        c.showPage()
    c.save()


def write_pdf(
    path: Path,
    pages: Sequence[PageSpec],
    *,
    encrypt: StandardEncryption | None = None,
) -> Path:
    """Render ``pages`` to ``path`` and return ``path``."""
    _render_pages(pages, path, encrypt)
    return path


def write_text_pdf(
    path: Path,
    pages: Sequence[Sequence[TextLine]],
    pagesize: tuple[float, float] = A4,
) -> Path:
    """Convenience wrapper: each page is just a list of text lines."""
    return write_pdf(path, [PageSpec(lines=list(p), size=pagesize) for p in pages])


# ---------------------------------------------------------------------------
# Flowing layout used by the prose fixtures
# ---------------------------------------------------------------------------

BODY_SIZE = 10.5
LEADING = 17.5
PARA_GAP = 6.0
HEADER_TOP = 30.0
FOOTER_TOP = 800.0
BODY_TOP = 72.0
BODY_BOTTOM = 770.0


@dataclass(frozen=True)
class ExpectedHeading:
    """A heading: ``number`` is the printed marker ('第1章', '（１）', '①', '■',
    '【】'); ``title`` is the text without the marker; ``text`` as printed."""

    level: int
    number: str
    title: str
    page: int
    text: str
    size: float


@dataclass(frozen=True)
class ExpectedParagraph:
    """A body paragraph: ``lines`` as printed, ``text`` correctly joined."""

    text: str
    page: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ExpectedListItem:
    """A bullet item: ``text`` excludes the marker; ``lines`` as printed
    (the first line includes the marker)."""

    marker: str
    text: str
    page: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ExpectedBlock:
    """One block of the reading order (headers/footers excluded)."""

    kind: Literal["title", "heading", "paragraph", "list_item", "caption", "source_note"]
    text: str
    page: int


class _Flow:
    """Stacks blocks down a column and records what it drew.

    Internal helper; a new instance is created per builder call.
    """

    def __init__(self, page: PageSpec, page_no: int, x: float = MARGIN_L,
                 width: float = TEXT_W, top: float = BODY_TOP,
                 bottom: float = BODY_BOTTOM) -> None:
        self.page, self.page_no = page, page_no
        self.x, self.width, self.top, self.bottom = x, width, top, bottom
        self.headings: list[ExpectedHeading] = []
        self.paragraphs: list[ExpectedParagraph] = []
        self.items: list[ExpectedListItem] = []
        self.blocks: list[ExpectedBlock] = []

    def _check(self) -> None:
        if self.top > self.bottom:
            raise RuntimeError(f"fixture overflow on page {self.page_no}: top={self.top:.1f}")

    def gap(self, pt: float) -> None:
        self.top += pt

    def title(self, text: str, size: float = 20.0) -> None:
        self.page.lines.append(TextLine(text, self.x + self.width / 2, self.top, size,
                                        bold=True, align="center"))
        self.blocks.append(ExpectedBlock("title", text, self.page_no))
        self.top += size * 2.2
        self._check()

    def heading(self, level: int, number: str, title: str, size: float,
                sep: str = "", before: float = 0.0, after: float = 4.0) -> None:
        if number == "【】":
            text = f"【{title}】"
        else:
            text = f"{number}{sep}{title}"
        self.top += before
        self.page.lines.append(TextLine(text, self.x, self.top, size, bold=True))
        self.headings.append(ExpectedHeading(level, number, title, self.page_no, text, size))
        self.blocks.append(ExpectedBlock("heading", text, self.page_no))
        self.top += size + after + (LEADING - BODY_SIZE)
        self._check()

    def _justified(self, lines: Sequence[str], x_first: float, x_rest: float,
                   size: float) -> None:
        right = self.x + self.width
        for i, text in enumerate(lines):
            x = x_first if i == 0 else x_rest
            cs = 0.0
            if i < len(lines) - 1 and len(text) > 1:
                # Justify non-final lines so they end exactly at the margin.
                cs = (right - x - text_width(text, size)) / (len(text) - 1)
            self.page.lines.append(TextLine(text, x, self.top, size, char_space=cs))
            self.top += LEADING if size == BODY_SIZE else size * 1.6
        self._check()

    def paragraph(self, text: str, indent: float = BODY_SIZE, size: float = BODY_SIZE) -> None:
        lines = wrap_text(text, self.width, size, first_line_indent=indent)
        assert join_wrapped_lines(lines) == text, (lines, text)
        self._justified(lines, self.x + indent, self.x, size)
        self.paragraphs.append(ExpectedParagraph(text, self.page_no, tuple(lines)))
        self.blocks.append(ExpectedBlock("paragraph", text, self.page_no))
        self.top += PARA_GAP

    def bullet(self, marker: str, text: str, indent: float = BODY_SIZE,
               hang: float = BODY_SIZE) -> None:
        x_marker = self.x + indent
        x_text = x_marker + hang
        avail = self.x + self.width - x_text
        lines = wrap_text(text, avail, BODY_SIZE)
        assert join_wrapped_lines(lines) == text, (lines, text)
        self.page.lines.append(TextLine(marker, x_marker, self.top, BODY_SIZE))
        self._justified(lines, x_text, x_text, BODY_SIZE)
        printed = (marker + lines[0],) + tuple(lines[1:])
        self.items.append(ExpectedListItem(marker, text, self.page_no, printed))
        self.blocks.append(ExpectedBlock("list_item", marker + text, self.page_no))
        self.top += 2.0

    def caption(self, text: str, size: float = 9.0, center: bool = True) -> None:
        if center:
            line = TextLine(text, self.x + self.width / 2, self.top, size, align="center")
        else:
            line = TextLine(text, self.x, self.top, size)
        self.page.lines.append(line)
        self.blocks.append(ExpectedBlock("caption", text, self.page_no))
        self.top += size * 1.8
        self._check()

    def source_note(self, text: str, size: float = 8.0) -> None:
        self.page.lines.append(TextLine(text, self.x, self.top, size))
        self.blocks.append(ExpectedBlock("source_note", text, self.page_no))
        self.top += size * 2.0
        self._check()


def _add_header_footer(page: PageSpec, header: str | None, footer: str | None) -> None:
    w, _ = page.size
    if header:
        page.lines.append(TextLine(header, w - MARGIN_R, HEADER_TOP, BODY_SIZE, align="right"))
    if footer:
        page.lines.append(TextLine(footer, w / 2, FOOTER_TOP, BODY_SIZE, align="center"))


# ---------------------------------------------------------------------------
# 1. Multi-page report
# ---------------------------------------------------------------------------

REPORT_TITLE = "地域産業振興に関する調査報告書"
REPORT_HEADER = "資料１"

# Heading styles: level -> (font size, space before, separator after number)
_H1 = (1, 14.0, 14.0, "　")
_H2 = (2, 12.0, 8.0, "")
_H3 = (3, 11.0, 4.0, "")
_H4 = (4, 10.5, 4.0, "")

# Content per page.  Paragraph texts were tuned so that the wrapping produces
# the breaks tests rely on: "医療用セ" / "ンサー" (CJK word broken) and
# "Internet of" / "Things" (Latin phrase broken between words).
_REPORT_PAGES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (
        ("title", REPORT_TITLE),
        ("h", "1", "第1章", "調査の概要"),
        ("h", "2", "（１）", "調査の目的"),
        ("p", "本調査は、市内の中小製造業を取り巻く経営環境の変化を把握し、今後の産業振興施策の"
              "方向性を検討するための基礎資料を得ることを目的として実施した。近年は人口減少に伴う"
              "人手不足や原材料価格の高騰に加え、取引先からの脱炭素化の要請やデジタル化への対応など、"
              "企業が直面する課題は多様化している。"),
        ("p", "特に製造現場では、設備の稼働状況や品質をセンサーで常時把握する手法として"
              "Internet of Things（IoT）の活用が広がりつつある。一方で、導入に必要な人材や"
              "資金の不足から、具体的な取組に踏み出せていない企業も少なくない。"),
        ("h", "2", "（２）", "調査の方法"),
        ("h", "3", "①", "アンケート調査"),
        ("p", "市内に事業所を置く製造業者を対象に、郵送及びウェブによるアンケート調査を実施した。"
              "調査の概要は次のとおりである。"),
        ("li", "・", "調査対象：市内に事業所を置く製造業者420社"),
        ("li", "・", "調査期間：令和5年7月1日から令和5年8月31日まで"),
        ("li", "・", "回収状況：有効回答数213社（回収率50.7％）。うち従業者数20人以上の事業所は"
                     "98社であり、前回調査と比べて回答事業所の規模が大きくなっている。"),
        ("h", "3", "②", "ヒアリング調査"),
        ("p", "アンケート調査の回答企業のうち、先進的な取組を行っている企業や事業承継等の課題を"
              "抱える企業など15社を選定し、経営者等への聞き取りを行った。"),
    ),
    (
        ("h", "1", "第2章", "地域経済の現状"),
        ("h", "4", "【】", "市の概況"),
        ("p", "本市は県の中央部に位置し、古くから交通の要衝として栄えてきた。高速道路のインター"
              "チェンジや鉄道貨物駅に近い立地を生かし、昭和40年代以降は内陸型の工業団地の整備が"
              "進められ、機械金属関連の企業が集積している。"),
        ("h", "4", "■", "産業構造の特徴"),
        ("p", "製造品出荷額等の業種別構成をみると、輸送用機械器具製造業が全体の約4割を占めて"
              "いる。中でも、市内の中小企業が長年にわたって培ってきた高度な金属加工の技術を"
              "生かした医療用センサー部品の精密加工は、高い技術力を"
              "背景に国内外の取引先から評価されている。"),
        ("caption", "図表２－１　製造品出荷額等の推移"),
        ("gap", "60"),
        ("source", "（出典：経済産業省）"),
        ("h", "4", "■", "雇用の動向"),
        ("p", "市内の製造業の従業者数は緩やかな減少傾向にあるが、技術職を中心とした求人は"
              "増加しており、人材の確保が多くの企業にとって経営上の最大の課題となっている。"),
        ("li", "●", "製造業の従業者数は、過去10年間で約8％減少している。"),
        ("li", "○", "一方、技術職の有効求人倍率は2倍を超える水準で推移しており、特に若手技能者の"
                     "確保が難しくなっている。"),
    ),
    (
        ("h", "1", "第3章", "今後の施策の方向性"),
        ("h", "2", "（１）", "デジタル化の推進"),
        ("p", "企業規模や業種によってデジタル化の進み具合には大きな差がみられることから、"
              "企業の段階に応じたきめ細かな支援が求められる。具体的には、次の取組を進める。"),
        ("li", "•", "中小企業のデジタル化を支援する専門家派遣制度の創設"),
        ("li", "•", "設備導入に係る補助制度の拡充と、導入後の効果検証までを一体的に支援する"
                     "伴走型支援の実施"),
        ("h", "2", "（２）", "人材の確保と育成"),
        ("p", "地域の将来を担う人材を育成するため、教育機関や産業支援機関と連携し、若者の"
              "地元定着と多様な人材の活躍を促進する。"),
        ("li", "－", "地元高校・高専との連携による実践的な職業教育の充実"),
        ("li", "－", "女性や高齢者、外国人材が働きやすい職場環境づくりへの支援"),
    ),
)

_HEADING_STYLES = {"1": _H1, "2": _H2, "3": _H3, "4": _H4}


@dataclass(frozen=True)
class ReportFixture:
    """Ground truth for :func:`build_report_pdf`."""

    path: Path
    n_pages: int
    title: str
    headings: tuple[ExpectedHeading, ...]
    paragraphs: tuple[ExpectedParagraph, ...]
    list_items: tuple[ExpectedListItem, ...]
    captions: tuple[str, ...]
    source_notes: tuple[str, ...]
    headers: tuple[str, ...]  # one per page
    footers: tuple[str, ...]  # one per page
    blocks: tuple[ExpectedBlock, ...]  # reading order without header/footer


def _layout_report() -> tuple[list[PageSpec], dict[str, list]]:
    pages: list[PageSpec] = []
    acc: dict[str, list] = {k: [] for k in ("headings", "paragraphs", "items", "blocks",
                                            "captions", "sources", "headers", "footers")}
    for page_no, content in enumerate(_REPORT_PAGES, start=1):
        page = PageSpec()
        flow = _Flow(page, page_no)
        for block in content:
            kind = block[0]
            if kind == "title":
                flow.title(block[1])
            elif kind == "h":
                level, size, before, sep = _HEADING_STYLES[block[1]]
                first = flow.top == BODY_TOP
                flow.heading(level, block[2], block[3], size, sep=sep,
                             before=0.0 if first else before)
            elif kind == "p":
                flow.paragraph(block[1])
            elif kind == "li":
                flow.bullet(block[1], block[2])
            elif kind == "caption":
                flow.gap(4)
                flow.caption(block[1])
                acc["captions"].append(block[1])
            elif kind == "gap":
                flow.gap(float(block[1]))
            elif kind == "source":
                flow.source_note(block[1])
                acc["sources"].append(block[1])
        footer = f"- {page_no} -"
        _add_header_footer(page, REPORT_HEADER, footer)
        acc["headers"].append(REPORT_HEADER)
        acc["footers"].append(footer)
        acc["headings"] += flow.headings
        acc["paragraphs"] += flow.paragraphs
        acc["items"] += flow.items
        acc["blocks"] += flow.blocks
        pages.append(page)
    return pages, acc


def build_report_pdf(path: Path) -> ReportFixture:
    """Write the 3-page report fixture and return its ground truth.

    Page 1 starts with a 20pt bold title; every page has the running header
    "資料１" (top right) and a centred footer "- N -".  Heading levels:
    1 = 第N章 (14pt), 2 = （１） (12pt), 3 = ① (11pt), 4 = ■ / 【…】 (10.5pt);
    all bold.  Body text is 10.5pt, justified, first-line indent of one em,
    paragraphs separated by a 6pt gap.  Bullets use a hanging indent.
    """
    pages, acc = _layout_report()
    write_pdf(path, pages)
    return ReportFixture(
        path=path,
        n_pages=len(pages),
        title=REPORT_TITLE,
        headings=tuple(acc["headings"]),
        paragraphs=tuple(acc["paragraphs"]),
        list_items=tuple(acc["items"]),
        captions=tuple(acc["captions"]),
        source_notes=tuple(acc["sources"]),
        headers=tuple(acc["headers"]),
        footers=tuple(acc["footers"]),
        blocks=tuple(acc["blocks"]),
    )


# ---------------------------------------------------------------------------
# 2. Two-column page
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoColumnFixture:
    """Ground truth for :func:`build_two_column_pdf`.

    ``reading_order`` lists title, column-1 heading and paragraphs, then
    column-2 heading and paragraphs.  Both columns share line ``top``s, so a
    naive row-wise extraction interleaves them.
    """

    path: Path
    title: str
    columns: tuple[tuple[str, ...], ...]  # per column: heading, paragraphs...
    paragraphs: tuple[ExpectedParagraph, ...]
    reading_order: tuple[str, ...]


_TWO_COL_TITLE = "地域ものづくり通信　第12号"
_TWO_COL_CONTENT = (
    ("■新製品開発への支援",
     "市では、中小企業が行う新製品や新技術の開発に要する経費の一部を補助している。"
     "今年度は12件の応募があり、審査の結果7件を採択した。",
     "採択された事業には、産業支援センターの専門スタッフが定期的に訪問し、"
     "試作から販路開拓まで一貫した助言を行う。"),
    ("■企業紹介",
     "株式会社サンプル精工は、精密切削加工を得意とする創業50年を超える企業である。"
     "近年は医療機器分野への参入を進めている。",
     "同社では若手社員が中心となって改善活動に取り組んでおり、生産性の向上と"
     "技能の継承を両立させている。"),
)


def build_two_column_pdf(path: Path) -> TwoColumnFixture:
    """A page with a full-width title and two justified text columns."""
    page = PageSpec()
    gutter = 24.0
    col_w = (TEXT_W - gutter) / 2
    page.lines.append(TextLine(_TWO_COL_TITLE, PAGE_W / 2, BODY_TOP, 16.0, bold=True,
                               align="center"))
    paragraphs: list[ExpectedParagraph] = []
    order: list[str] = [_TWO_COL_TITLE]
    for i, (heading, *paras) in enumerate(_TWO_COL_CONTENT):
        flow = _Flow(page, 1, x=MARGIN_L + i * (col_w + gutter), width=col_w,
                     top=BODY_TOP + 40)
        flow.heading(4, "■", heading[1:], BODY_SIZE)
        order.append(heading)
        for p in paras:
            flow.paragraph(p)
            order.append(p)
        paragraphs += flow.paragraphs
    write_pdf(path, [page])
    return TwoColumnFixture(path, _TWO_COL_TITLE,
                            tuple((h, *ps) for h, *ps in _TWO_COL_CONTENT),
                            tuple(paragraphs), tuple(order))


# ---------------------------------------------------------------------------
# 3. Pages without a text layer
# ---------------------------------------------------------------------------


def _scan_page(seed: int) -> PageSpec:
    return PageSpec(images=[ImageBox(0, 0, PAGE_W, PAGE_H, seed=seed)])


def build_no_text_layer_pdf(path: Path) -> Path:
    """Page 1: ordinary text.  Page 2: one full-page raster image, zero chars."""
    page1 = PageSpec()
    flow = _Flow(page1, 1)
    flow.heading(1, "第1章", "事業の概要", 14.0, sep="　")
    flow.paragraph("本資料の次頁は紙の資料を画像として取り込んだものであり、文字情報を含まない。")
    return write_pdf(path, [page1, _scan_page(seed=7)])


def build_all_scanned_pdf(path: Path, n_pages: int = 2) -> Path:
    """Only image pages (a scanned document with no text layer at all)."""
    return write_pdf(path, [_scan_page(seed=i + 1) for i in range(n_pages)])


# ---------------------------------------------------------------------------
# 4. Superscripts
# ---------------------------------------------------------------------------

SUP_SIZE = 6.0
SUP_RISE = 3.0


@dataclass(frozen=True)
class SuperscriptFixture:
    """Ground truth for :func:`build_superscript_pdf`.

    ``paragraph`` / ``heading_title`` are the texts *without* the raised
    digits; ``superscripts`` lists ``(word the digit follows, digit)``;
    ``footnotes`` are the 8pt notes at the bottom of the page.
    """

    path: Path
    heading: ExpectedHeading
    paragraph: str
    paragraph_lines: tuple[str, ...]
    superscripts: tuple[tuple[str, str], ...]
    footnotes: tuple[str, ...]


def build_superscript_pdf(path: Path) -> SuperscriptFixture:
    """A heading and a paragraph with 6pt digits raised by 3pt.

    The digits follow "概要" (heading), "センター" and the Latin word "IoT",
    so a naive extraction yields e.g. "センター1" / "IoT3".
    """
    page = PageSpec()
    x, top = MARGIN_L, BODY_TOP

    def sup(digit: str) -> Run:
        return Run(digit, SUP_SIZE, rise=SUP_RISE)

    page.lines += layout_runs([Run("（１）支援体制の概要", 12.0, bold=True), sup("2")], x, top)
    top += 30
    # Explicit lines (not justified) so each superscript sits mid-line.
    para_lines: list[list[Run]] = [
        [Run("本事業は、地域産業支援センター"), sup("1"), Run("を拠点として、市内企業の技術相談")],
        [Run("や試作開発を支援するものである。あわせて、IoT"), sup("3"), Run("を活用した設備保全")],
        [Run("の実証にも取り組む。")],
    ]
    printed: list[str] = []
    for i, runs in enumerate(para_lines):
        page.lines += layout_runs(runs, x + (BODY_SIZE if i == 0 else 0), top)
        printed.append("".join(r.text for r in runs if r.size == BODY_SIZE))
        top += LEADING
    footnotes = (
        "1　地域産業支援センターは、市が設置する中小企業向けの技術支援機関である。",
        "2　支援体制は令和6年4月1日現在のものである。",
        "3　Internet of Thingsの略。",
    )
    ftop = 740.0
    page.rules.append(Rule(MARGIN_L, ftop - 6, MARGIN_L + 120, ftop - 6, 0.5))
    for note in footnotes:
        page.lines.append(TextLine(note, MARGIN_L, ftop, 8.0))
        ftop += 12
    write_pdf(path, [page])
    heading = ExpectedHeading(2, "（１）", "支援体制の概要", 1, "（１）支援体制の概要", 12.0)
    return SuperscriptFixture(
        path=path,
        heading=heading,
        paragraph="".join(printed),
        paragraph_lines=tuple(printed),
        superscripts=(("概要", "2"), ("センター", "1"), ("IoT", "3")),
        footnotes=footnotes,
    )


# ---------------------------------------------------------------------------
# 5. Tables
# ---------------------------------------------------------------------------

Grid = tuple[tuple[str, ...], ...]
TABLE_SIZE = 9.0
CELL_PAD = 4.0


@dataclass(frozen=True)
class TableFixture:
    """Ground truth for a table fixture.

    ``grid`` is the logical table as printed (merged cells: text in the
    top-left cell, covered cells ""; wrapped cell text joined like body
    text).  ``page_grids`` is what is printed on each page (differs from
    ``grid`` only for split tables, where the header may repeat).
    """

    path: Path
    caption: str | None
    grid: Grid
    source_note: str | None
    pages: tuple[int, ...]
    n_header_rows: int
    page_grids: tuple[Grid, ...]


@dataclass(frozen=True)
class _Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    align: Align = "left"
    bold: bool = False


def _cells_from_rows(rows: Sequence[Sequence[str]], n_header: int = 1) -> list[_Cell]:
    """Plain grid -> cells: header centred, first column left, numbers right."""
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if r < n_header:
                align: Align = "center"
            elif c == 0:
                align = "left"
            else:
                align = "right"
            cells.append(_Cell(r, c, text, align=align))
    return cells


def _grid_from_cells(cells: Sequence[_Cell], n_rows: int, n_cols: int) -> Grid:
    grid = [[""] * n_cols for _ in range(n_rows)]
    for cell in cells:
        grid[cell.row][cell.col] = cell.text
    return tuple(tuple(r) for r in grid)


def _draw_table(
    page: PageSpec,
    x: float,
    top: float,
    col_widths: Sequence[float],
    row_heights: Sequence[float],
    cells: Sequence[_Cell],
    *,
    ruled: bool = True,
    size: float = TABLE_SIZE,
) -> float:
    """Draw cells (text wrapped inside its cell) and return the table bottom."""
    xs = [x]
    for w in col_widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in row_heights:
        ys.append(ys[-1] + h)
    for cell in cells:
        x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
        if ruled:
            page.rules += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1),
                           Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
        if not cell.text:
            continue
        lines = wrap_text(cell.text, x1 - x0 - 2 * CELL_PAD, size, cell.bold)
        line_h = size * 1.25
        ty = y0 + ((y1 - y0) - (len(lines) * line_h - (line_h - size))) / 2
        for text in lines:
            if cell.align == "right":
                anchor = x1 - CELL_PAD
            elif cell.align == "center":
                anchor = (x0 + x1) / 2
            else:
                anchor = x0 + CELL_PAD
            page.lines.append(TextLine(text, anchor, ty, size, cell.bold, align=cell.align))
            ty += line_h
    return ys[-1]


def _table_with_caption(
    path: Path,
    caption: str,
    rows: Sequence[Sequence[str]],
    col_widths: Sequence[float],
    source: str | None,
    *,
    cells: Sequence[_Cell] | None = None,
    row_heights: Sequence[float] | None = None,
    n_header: int = 1,
    ruled: bool = True,
) -> TableFixture:
    page = PageSpec()
    flow = _Flow(page, 1)
    flow.paragraph("次表に示すとおり、各区分とも概ね前回調査と同様の傾向がみられた。")
    table_w = sum(col_widths)
    x = MARGIN_L + (TEXT_W - table_w) / 2
    page.lines.append(TextLine(caption, x, flow.top, BODY_SIZE, bold=True))
    top = flow.top + 18
    n_rows, n_cols = len(rows), len(col_widths)
    heights = list(row_heights) if row_heights else [18.0] * n_rows
    the_cells = list(cells) if cells is not None else _cells_from_rows(rows, n_header)
    bottom = _draw_table(page, x, top, col_widths, heights, the_cells, ruled=ruled)
    if not ruled:  # top and bottom rules only, as in many statistical tables
        page.rules += [Rule(x, top, x + table_w, top, 0.8),
                       Rule(x, bottom, x + table_w, bottom, 0.8)]
    if source:
        page.lines.append(TextLine(source, x, bottom + 6, 8.0))
    write_pdf(path, [page])
    grid = _grid_from_cells(the_cells, n_rows, n_cols)
    assert [list(r) for r in grid] == [list(r) for r in rows], "rows must mirror cells"
    return TableFixture(path, caption, grid, source, (1,), n_header, (grid,))


def build_ruled_table_pdf(path: Path) -> TableFixture:
    """Caption "人口（2020年）", a fully ruled 5-row x 4-column grid (header
    row + 4 data rows with row labels), numbers with commas, percentages, a
    "－" cell and the source note "資料）住民基本台帳（総務省）" below."""
    rows = (
        ("区分", "人口（人）", "構成比", "増減率"),
        ("総数", "152,384", "100.0%", "-1.8%"),
        ("年少人口", "19,873", "13.0%", "-6.4%"),
        ("生産年齢人口", "95,210", "62.5%", "-4.1%"),
        ("老年人口", "37,301", "24.5%", "－"),
    )
    return _table_with_caption(path, "人口（2020年）", rows, (110, 90, 80, 80),
                               "資料）住民基本台帳（総務省）")


def build_merged_cells_table_pdf(path: Path) -> TableFixture:
    """Ruled table with a 2-column header span ("事業所数") and row labels
    spanning 2 rows ("北部地区", "南部地区"; also "地区"/"区分" in the header)."""
    rows = (
        ("地区", "区分", "事業所数", ""),
        ("", "", "2015年", "2020年"),
        ("北部地区", "製造業", "1,024", "987"),
        ("", "非製造業", "3,310", "3,452"),
        ("南部地区", "製造業", "856", "842"),
        ("", "非製造業", "2,741", "2,698"),
    )
    cells = [
        _Cell(0, 0, "地区", rowspan=2, align="center"),
        _Cell(0, 1, "区分", rowspan=2, align="center"),
        _Cell(0, 2, "事業所数", colspan=2, align="center"),
        _Cell(1, 2, "2015年", align="center"),
        _Cell(1, 3, "2020年", align="center"),
        _Cell(2, 0, "北部地区", rowspan=2),
        _Cell(2, 1, "製造業"),
        _Cell(2, 2, "1,024", align="right"),
        _Cell(2, 3, "987", align="right"),
        _Cell(3, 1, "非製造業"),
        _Cell(3, 2, "3,310", align="right"),
        _Cell(3, 3, "3,452", align="right"),
        _Cell(4, 0, "南部地区", rowspan=2),
        _Cell(4, 1, "製造業"),
        _Cell(4, 2, "856", align="right"),
        _Cell(4, 3, "842", align="right"),
        _Cell(5, 1, "非製造業"),
        _Cell(5, 2, "2,741", align="right"),
        _Cell(5, 3, "2,698", align="right"),
    ]
    return _table_with_caption(path, "表２　地区別事業所数", rows, (90, 80, 80, 80), None,
                               cells=cells, n_header=2)


def build_multiline_header_table_pdf(path: Path) -> TableFixture:
    """Narrow header cells whose text wraps over up to 3 lines, e.g.
    "鉱業，採石" / "業，砂利採" / "取業".  ``grid`` holds the joined text."""
    rows = (
        ("年次", "総数", "農業，林業", "鉱業，採石業，砂利採取業", "建設業", "製造業",
         "運輸業，郵便業", "卸売業，小売業"),
        ("2012年", "6,412", "38", "5", "702", "1,096", "214", "1,688"),
        ("2014年", "6,530", "41", "4", "715", "1,071", "220", "1,702"),
        ("2016年", "6,287", "40", "4", "688", "1,043", "209", "1,645"),
        ("2021年", "6,105", "44", "3", "671", "1,002", "198", "1,577"),
    )
    # 53pt columns leave 45pt of text width: five 9pt characters per line.
    widths = (50, 50, 53, 53, 53, 53, 53, 53)
    heights = (46.0,) + (18.0,) * 4
    return _table_with_caption(path, "表３　産業大分類別事業所数", rows, widths, "資料）経済センサス",
                               row_heights=heights)


def build_ruleless_table_pdf(path: Path) -> TableFixture:
    """Columns aligned by whitespace only; a rule above and below the table."""
    rows = (
        ("区分", "事業所数", "従業者数", "出荷額等"),
        ("中央地区", "312", "8,145", "2,841,200"),
        ("北地区", "128", "3,022", "1,015,430"),
        ("東地区", "96", "2,511", "884,120"),
        ("西地区", "154", "4,630", "1,733,900"),
        ("南地区", "75", "1,298", "402,760"),
    )
    return _table_with_caption(path, "表４　地区別の製造業の状況", rows, (100, 80, 80, 100),
                               "資料）市産業振興課調べ", ruled=False)


def build_negative_units_table_pdf(path: Path) -> TableFixture:
    """Caption "歳出予算（千円）": ▲/△ negatives, full-width digits, the
    letter-spaced label "歳　入　合　計" (U+3000 between chars), a total row
    "合計" and a blank spacer row."""
    rows = (
        ("款", "本年度予算額", "前年度予算額", "比較"),
        ("議会費", "412,300", "413,500", "▲1,200"),
        ("総務費", "5,820,400", "5,820,700", "△300"),
        ("民生費", "１０４，５００，０００", "１０３，９００，０００", "６００，０００"),
        ("", "", "", ""),
        ("合計", "110,732,700", "110,134,200", "598,500"),
        ("歳　入　合　計", "110,732,700", "110,134,200", "598,500"),
    )
    return _table_with_caption(path, "歳出予算（千円）", rows, (90, 120, 120, 90),
                               "注）△及び▲は減を示す。")


def build_key_value_table_pdf(path: Path) -> TableFixture:
    """Two-column 企業概要 table (label | value); 事業内容 wraps to 2 lines."""
    rows = (
        ("企業名", "株式会社サンプル精工"),
        ("本社所在地", "見本県見本市中央町一丁目2番3号"),
        ("資本金", "3,000万円"),
        ("設立", "1968年4月"),
        ("従業員", "128名（2024年4月現在）"),
        ("事業内容", "医療用センサー部品及び産業用ロボット部品の精密切削加工、治具・金型の設計製作"),
    )
    cells = [_Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    heights = (20.0,) * 5 + (34.0,)
    return _table_with_caption(path, "企業概要", rows, (90, 300), None, cells=cells,
                               row_heights=heights, n_header=0)


_SPLIT_SECTORS = (
    "食料品", "飲料・たばこ", "繊維工業", "木材・木製品", "家具・装備品", "パルプ・紙",
    "印刷・同関連", "化学工業", "石油製品", "プラスチック製品", "ゴム製品", "窯業・土石",
    "鉄鋼業", "非鉄金属", "金属製品", "はん用機械", "生産用機械", "業務用機械",
    "電子部品", "電気機械", "情報通信機械", "輸送用機械", "その他",
)


_SPLIT_PARAS = (
    "業種別にみると、機械関連の業種で事業所数の減少が目立つ一方、食料品や化学工業では"
    "横ばいから微増となっている。",
    "機械関連の業種では、取引先の海外移転や後継者不在による廃業が減少の主な要因と"
    "考えられる。特に従業者数9人以下の小規模事業所での減少が大きい。",
    "一方、食料品製造業では、地域の農産物を活用した商品開発や通信販売への参入を"
    "契機として、新たに創業する事業所もみられる。",
    "化学工業やプラスチック製品製造業では、自動車関連の需要に支えられて事業所数が"
    "概ね維持されているが、今後は電動化の進展に伴う需要構造の変化に留意が必要である。",
    "業種ごとの詳細な推移は次表のとおりである。",
)


def build_split_table_pdf(path: Path, repeat_header: bool = True) -> TableFixture:
    """A ruled table that starts mid-page 1 and continues on page 2.

    The caption appears only on page 1; the header row is repeated on page 2
    when ``repeat_header``.  ``grid`` is the logical table (header once).
    """
    header = ("業種", "2016年", "2021年", "増減")
    body = []
    for i, name in enumerate(_SPLIT_SECTORS):
        a = 40 + (i * 37) % 90
        b = a + ((i * 11) % 9) - 4
        diff = b - a
        body.append((name, f"{a:,}", f"{b:,}", "－" if diff == 0 else f"{diff:+d}"))
    widths = (130, 80, 80, 70)
    x = MARGIN_L + (TEXT_W - sum(widths)) / 2
    row_h = 24.0
    caption = "表５　業種別事業所数の推移"

    p1 = PageSpec()
    flow = _Flow(p1, 1)
    flow.heading(4, "■", "業種別の動向", BODY_SIZE)
    for para in _SPLIT_PARAS:
        flow.paragraph(para)
    p1.lines.append(TextLine(caption, x, flow.top, BODY_SIZE, bold=True))
    top1 = flow.top + 18
    n_first = int((BODY_BOTTOM - top1) // row_h) - 1  # rows of body on page 1
    assert 3 <= n_first <= len(body) - 5, "the table must really be split"
    rows1 = [header] + body[:n_first]
    _draw_table(p1, x, top1, widths, [row_h] * len(rows1), _cells_from_rows(rows1))

    p2 = PageSpec()
    rows2 = ([header] if repeat_header else []) + body[n_first:]
    n_header2 = 1 if repeat_header else 0
    bottom = _draw_table(p2, x, BODY_TOP, widths, [row_h] * len(rows2),
                         _cells_from_rows(rows2, n_header2))
    source = "資料）経済構造実態調査"
    p2.lines.append(TextLine(source, x, bottom + 6, 8.0))
    flow2 = _Flow(p2, 2, top=bottom + 40)
    flow2.paragraph("なお、事業所数は各年6月1日現在の数値である。")
    for n, page in enumerate((p1, p2), start=1):
        _add_header_footer(page, None, f"- {n} -")
    write_pdf(path, [p1, p2])
    grid = tuple(tuple(r) for r in [header] + body)
    return TableFixture(path, caption, grid, source, (1, 2), 1,
                        (tuple(tuple(r) for r in rows1), tuple(tuple(r) for r in rows2)))


# ---------------------------------------------------------------------------
# 6. Bad inputs
# ---------------------------------------------------------------------------


def write_html_as_pdf(path: Path) -> Path:
    """An HTML error page saved under a .pdf name (typical failed download)."""
    html = (
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
        "<title>404 Not Found</title></head>\n<body><h1>ページが見つかりません</h1>"
        "<p>お探しのページは移動または削除された可能性があります。</p></body></html>\n"
    )
    path.write_bytes(html.encode("utf-8"))
    return path


def write_truncated_pdf(path: Path) -> Path:
    """The report fixture cut in half (no xref, no trailer, no %%EOF)."""
    buf = io.BytesIO()
    pages, _ = _layout_report()
    _render_pages(pages, buf)
    data = buf.getvalue()
    path.write_bytes(data[: len(data) // 2])
    return path


def _small_text_page(text: str) -> list[PageSpec]:
    page = PageSpec()
    _Flow(page, 1).paragraph(text)
    return [page]


def write_encrypted_pdf(path: Path, user_password: str = "secret",
                        owner_password: str = "owner-secret") -> Path:
    """RC4-128 encrypted PDF that needs ``user_password`` to open."""
    enc = StandardEncryption(user_password, owner_password, strength=128)
    return write_pdf(path, _small_text_page("この文書はパスワードで保護されている。"), encrypt=enc)


def write_owner_only_encrypted_pdf(path: Path, owner_password: str = "owner-secret",
                                   allow_copy: bool = False) -> Path:
    """Encrypted with an empty user password (opens without a password) and
    an owner password; copying is disallowed by default, like many
    'protected' public documents."""
    enc = StandardEncryption("", owner_password, canCopy=int(allow_copy),
                             canModify=0, strength=128)
    return write_pdf(path, _small_text_page("この文書は印刷のみ許可されている。"), encrypt=enc)


def write_zero_page_pdf(path: Path) -> Path:
    """A syntactically valid PDF whose page tree is empty (/Count 0)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def write_cid_font_pdf(path: Path) -> Path:
    """A PDF whose text extracts as ``(cid:NN)``.

    Built normally, then every ``/ToUnicode N 0 R`` entry is blanked out with
    spaces of the same length (so xref offsets stay valid).  reportlab's
    subset fonts are simple TrueType fonts without /Encoding; pdfminer then
    falls back to WinAnsiEncoding, where the codes 1-31 that reportlab gives
    to the first 31 non-ASCII glyphs are undefined -> ``(cid:N)``.  The text
    therefore uses fewer than 31 distinct characters and no ASCII.
    """
    text = "本市の産業振興計画の概要について説明する。"
    assert len(set(text)) < 31 and not any(ch.isascii() for ch in text)
    page = PageSpec(lines=[TextLine(text, MARGIN_L, BODY_TOP, BODY_SIZE)])
    buf = io.BytesIO()
    _render_pages([page], buf)
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), buf.getvalue())
    path.write_bytes(data)
    return path


def write_empty_text_file(path: Path) -> Path:
    """A zero-byte file (e.g. an aborted download saved as .pdf)."""
    path.write_bytes(b"")
    return path


# ---------------------------------------------------------------------------
# 7. Many pages
# ---------------------------------------------------------------------------

_LONG_PARAS = (
    "本節では、各年度における事業の実施状況と成果を整理するとともに、次年度以降の"
    "取組に向けた課題を示す。事業の成果は、参加企業数や支援件数などの指標により評価した。",
    "支援を受けた企業からは、生産工程の見直しにより作業時間が短縮されたとの声が多く"
    "聞かれた。今後は支援の効果を継続的に把握し、制度の改善につなげていく必要がある。",
)


def build_many_pages_pdf(path: Path, n_pages: int) -> Path:
    """``n_pages`` simple pages (heading "第N節　事業の実施状況" + 2 paragraphs
    + footer).  Paragraph layout is computed once and reused, so 500 pages
    build in well under a few seconds."""
    # Lay out one page of paragraphs and reuse its TextLines on every page.
    template = PageSpec()
    flow = _Flow(template, 1, top=BODY_TOP + 30)
    for para in _LONG_PARAS:
        flow.paragraph(para)
    body = template.lines
    pages = []
    for n in range(1, n_pages + 1):
        page = PageSpec(lines=[TextLine(f"第{n}節　事業の実施状況", MARGIN_L, BODY_TOP, 12.0,
                                        bold=True)] + body)
        _add_header_footer(page, None, f"- {n} -")
        pages.append(page)
    return write_pdf(path, pages)


# ---------------------------------------------------------------------------
# 8. Slide
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SlideFixture:
    """Ground truth for :func:`build_slide_pdf`: text blocks in reading order
    (title, then each box's heading and bullets left to right, then the
    caption).  Bullet texts include their "・" marker."""

    path: Path
    title: str
    boxes: tuple[tuple[str, ...], ...]
    caption: str
    reading_order: tuple[str, ...]


_SLIDE_TITLE = "産業振興ビジョンの3つの柱"
_SLIDE_BOXES = (
    ("柱1　稼ぐ力の強化", "・新製品開発と販路開拓への支援", "・デジタル技術の導入促進"),
    ("柱2　人材の確保", "・若者の地元定着の促進", "・多様な人材が活躍できる職場づくり"),
    ("柱3　立地環境の整備", "・新たな産業用地の確保", "・脱炭素化に向けた設備更新の支援"),
)
_SLIDE_CAPTION = "※各施策の詳細は本編第3章を参照"


def build_slide_pdf(path: Path) -> SlideFixture:
    """A4 landscape slide: title, three bordered boxes side by side, caption."""
    size = landscape(A4)
    w, _ = size
    page = PageSpec(size=size)
    page.lines.append(TextLine(_SLIDE_TITLE, 50, 40, 24.0, bold=True))
    page.rules.append(Rule(50, 80, w - 50, 80, 1.5))
    box_w, gap, box_top, box_bottom = 230.0, 25.0, 120.0, 400.0
    x0 = (w - (3 * box_w + 2 * gap)) / 2
    order = [_SLIDE_TITLE]
    for i, (heading, *bullets) in enumerate(_SLIDE_BOXES):
        bx = x0 + i * (box_w + gap)
        page.boxes.append(Box(bx, box_top, bx + box_w, box_bottom))
        page.lines.append(TextLine(heading, bx + box_w / 2, box_top + 16, 16.0, bold=True,
                                   align="center"))
        order.append(heading)
        top = box_top + 60
        for b in bullets:
            # Hanging indent: marker at the box edge, wrapped text aligned after it.
            lines = wrap_text(b[1:], box_w - 24 - 14, 14.0)
            page.lines.append(TextLine(b[0], bx + 12, top, 14.0))
            for text in lines:
                page.lines.append(TextLine(text, bx + 26, top, 14.0))
                top += 22
            top += 10
            order.append(b)
    page.lines.append(TextLine(_SLIDE_CAPTION, x0, box_bottom + 20, 9.0))
    order.append(_SLIDE_CAPTION)
    write_pdf(path, [page])
    return SlideFixture(path, _SLIDE_TITLE, _SLIDE_BOXES, _SLIDE_CAPTION, tuple(order))
