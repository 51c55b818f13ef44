"""Session fixtures: build every fixture PDF once and run the pipeline on it once.

The PDFs come from ``tests/fixtures/`` (reportlab, generated on the fly) plus a few
small builders here for cases the factory does not cover on its own (running footers,
paragraph boundaries made by one cue at a time, a page mixing mapped and unmapped glyphs,
a ``.txt`` input). Each ``*_doc`` fixture is the finished :class:`pipeline.model.Document`
from one session-wide :class:`pipeline.convert.Converter` (``tests/fixtures/runs.py``).

Tests only read these objects; nothing here touches files outside pytest's tmp folders.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples on every machine and never time out on a slow one: a
# clean run here is a clean run in CI. (A random hunt: pytest --hypothesis-profile=hunt.)
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("hunt", derandomize=False, database=None, deadline=None)
settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from any folder, installed or not
    sys.path.insert(0, str(ROOT))

from pipeline.model import Document  # noqa: E402  (after the path is set)
from pipeline.stages.working import WorkingDocument  # noqa: E402
from tests.fixtures import base as fbase  # noqa: E402
from tests.fixtures import damaged as fdamaged  # noqa: E402
from tests.fixtures import layout as flayout  # noqa: E402
from tests.fixtures import report as freport  # noqa: E402
from tests.fixtures.runs import run_pipeline, structure  # noqa: E402


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fixture_pdfs")


# ------------------------------------------------------------------ factory fixtures


@pytest.fixture(scope="session")
def report_fixture(fixture_dir: Path) -> freport.ReportFixture:
    return freport.build_report_pdf(fixture_dir / "report.pdf")


@pytest.fixture(scope="session")
def report_doc(report_fixture: freport.ReportFixture) -> Document:
    return run_pipeline(report_fixture.path, "report")


@pytest.fixture(scope="session")
def report_work(report_fixture: freport.ReportFixture) -> WorkingDocument:
    """The report up to its section tree, with the printed lines of each block."""
    return structure(report_fixture.path, "report")


@pytest.fixture(scope="session")
def two_column_fixture(fixture_dir: Path) -> flayout.TwoColumnFixture:
    return flayout.build_two_column_pdf(fixture_dir / "two_column.pdf")


@pytest.fixture(scope="session")
def two_column_doc(two_column_fixture: flayout.TwoColumnFixture) -> Document:
    return run_pipeline(two_column_fixture.path, "two_column")


@pytest.fixture(scope="session")
def slide_fixture(fixture_dir: Path) -> flayout.SlideFixture:
    return flayout.build_slide_pdf(fixture_dir / "slide.pdf")


@pytest.fixture(scope="session")
def slide_doc(slide_fixture: flayout.SlideFixture) -> Document:
    return run_pipeline(slide_fixture.path, "slide")


@pytest.fixture(scope="session")
def superscript_fixture(fixture_dir: Path) -> flayout.SuperscriptFixture:
    return flayout.build_superscript_pdf(fixture_dir / "superscript.pdf")


@pytest.fixture(scope="session")
def superscript_doc(superscript_fixture: flayout.SuperscriptFixture) -> Document:
    return run_pipeline(superscript_fixture.path, "superscript")


@pytest.fixture(scope="session")
def no_text_layer_pdf(fixture_dir: Path) -> Path:
    return flayout.build_no_text_layer_pdf(fixture_dir / "no_text_layer.pdf")


@pytest.fixture(scope="session")
def no_text_layer_doc(no_text_layer_pdf: Path) -> Document:
    return run_pipeline(no_text_layer_pdf, "no_text_layer")


@pytest.fixture(scope="session")
def cid_pdf(fixture_dir: Path) -> Path:
    return fdamaged.write_cid_font_pdf(fixture_dir / "cid_font.pdf")


@pytest.fixture(scope="session")
def cid_doc(cid_pdf: Path) -> Document:
    return run_pipeline(cid_pdf, "cid_font")


# ------------------------------------------------------------------ extra builders

BODY = fbase.BODY_SIZE
LEADING = fbase.LEADING
LEFT = fbase.MARGIN_L
RIGHT = fbase.MARGIN_L + fbase.TEXT_W


def _justify(text: str, x: float, top: float, size: float = BODY, right: float = RIGHT) -> fbase.TextLine:
    """A line stretched (letter-spaced) so that it ends exactly at ``right``."""
    spare = right - x - fbase.text_width(text, size)
    assert spare >= 0, f"line too long for the measure: {text}"
    char_space = spare / (len(text) - 1)
    # Wider tracking than 0.6 em would be read as real spaces between CJK characters.
    assert char_space < 0.3 * size, f"line too short to justify: {text}"
    return fbase.TextLine(text, x, top, size, char_space=char_space)


def _chunk(text: str, size: int) -> list[str]:
    """Cut ``text`` into lines of ``size`` characters (the last one shorter)."""
    return [text[i:i + size] for i in range(0, len(text), size)]


def _even_lines(text: str, most: int) -> list[str]:
    """Cut ``text`` into as few lines of at most ``most`` characters as possible, all about as long."""
    n_lines = -(-len(text) // most)
    bounds = [round(i * len(text) / n_lines) for i in range(n_lines + 1)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


@dataclass(frozen=True)
class MixedGlyphFixture:
    """A page whose Latin line maps to Unicode and whose Japanese line prints as (cid:NN)."""

    path: Path
    mapped_text: str
    unmapped_chars: int


@pytest.fixture(scope="session")
def mixed_glyph_fixture(fixture_dir: Path) -> MixedGlyphFixture:
    path = fixture_dir / "mixed_glyphs.pdf"
    japanese = "本市の産業振興計画の概要について説明する。"
    fbase.write_text_pdf(path, [[
        fbase.TextLine("Annual Report ABC", LEFT, fbase.BODY_TOP),
        fbase.TextLine(japanese, LEFT, fbase.BODY_TOP + 24),
    ]])
    # As in tests.fixtures.damaged.write_cid_font_pdf: blank the /ToUnicode maps (same length, xref stays
    # valid). ASCII keeps its own codes in reportlab's first subset and still maps through the
    # standard encoding; the Japanese glyphs get codes 1..31, which map to nothing.
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), path.read_bytes())
    path.write_bytes(data)
    return MixedGlyphFixture(path, "Annual Report ABC", len(japanese))


@pytest.fixture(scope="session")
def mixed_glyph_doc(mixed_glyph_fixture: MixedGlyphFixture) -> Document:
    return run_pipeline(mixed_glyph_fixture.path, "mixed_glyphs")


@dataclass(frozen=True)
class RunningFixture:
    """Three pages with a running header, a running footer and a page number on each."""

    path: Path
    n_pages: int
    header: str
    footer: str
    page_numbers: tuple[str, ...]
    """As printed: '- 1 -', ..."""
    heading: str
    paragraphs: tuple[tuple[int, str], ...]
    """(page, text) of every body paragraph."""


_RUNNING_PARAGRAPHS = (
    "本章では、市内の製造業の事業所数と従業者数の推移を整理し、近年の特徴を明らかにする。"
    "事業所数は長期的な減少傾向にあるが、従業者一人当たりの出荷額は増加している。",
    "業種別にみると、輸送用機械と生産用機械の二業種で全体の半分近くを占めている。"
    "一方で、食料品や化学工業では新たに立地する事業所もみられる。",
    "今後は、産業用地の確保と人材の育成を一体的に進めることが求められる。"
    "次章では、企業へのアンケート調査の結果から、経営上の課題を整理する。",
)


@pytest.fixture(scope="session")
def running_fixture(fixture_dir: Path) -> RunningFixture:
    path = fixture_dir / "running_lines.pdf"
    header = "見本市産業振興調査　中間報告"
    footer = "見本市商工観光部産業振興課"
    heading = "第1章　製造業の動向"
    pages: list[list[fbase.TextLine]] = []
    paragraphs: list[tuple[int, str]] = []
    numbers: list[str] = []
    for number, text in enumerate(_RUNNING_PARAGRAPHS, start=1):
        lines = [
            fbase.TextLine(header, RIGHT, fbase.HEADER_TOP, BODY, align="right"),
            # The footer and the page number share one printed row.
            fbase.TextLine(footer, LEFT, fbase.FOOTER_TOP, 9.0),
            fbase.TextLine(f"- {number} -", fbase.PAGE_W / 2, fbase.FOOTER_TOP, BODY, align="center"),
        ]
        numbers.append(f"- {number} -")
        top = fbase.BODY_TOP
        if number == 1:
            lines.append(fbase.TextLine(heading, LEFT, top, 14.0, bold=True))
            top += 30
        wrapped = fbase.wrap_text(text, fbase.TEXT_W, BODY, first_line_indent=BODY)
        assert len(wrapped) >= 2
        for index, line in enumerate(wrapped):
            x = LEFT + (BODY if index == 0 else 0.0)
            last = index == len(wrapped) - 1
            lines.append(fbase.TextLine(line, x, top, BODY) if last else _justify(line, x, top))
            top += LEADING
        paragraphs.append((number, text))
        pages.append(lines)
    fbase.write_text_pdf(path, pages)
    return RunningFixture(path, len(pages), header, footer, tuple(numbers), heading, tuple(paragraphs))


@pytest.fixture(scope="session")
def running_doc(running_fixture: RunningFixture) -> Document:
    return run_pipeline(running_fixture.path, "running_lines")


@dataclass(frozen=True)
class BoundaryFixture:
    """One page of body text where each block boundary is made by a single cue.

    ``blocks`` lists ``(kind, text, cue)`` in reading order; ``cue`` names what alone
    separates the block from the one before it (``start``, ``indent``, ``gap``,
    ``short_line``, ``bullet``). ``wrapped`` maps a paragraph's text to its printed lines.
    """

    path: Path
    blocks: tuple[tuple[str, str, str], ...]
    wrapped: dict[str, tuple[str, ...]]


_BOUNDARY_TEXTS = {
    # Indented first line; every line (the last too) runs to the right margin.
    "indent_a": "本市の製造業は、輸送用機械を中心とする加工組立型の業種が多く、取引先の動向に左右されやすい"
                "構造となっている。このため、新たな分野への参入や自社製品の開発を通じて、取引先の多角化を"
                "進めることが、中小企業を含む製造業全体にとって重要な課題となっている。",
    # Indented first line right under a full line, no extra space: the indent alone starts it.
    "indent_b": "また、市内の企業の多くは従業者数が三十人未満の小規模な事業所であり、設備投資や人材育成"
                "に充てる経営資源が限られている。こうした企業が単独で新たな取組を進めることは難しく、"
                "支援機関や金融機関が密接に連携した継続的な支援が欠かせない。",
    # No indent, but a wider line gap above.
    "gap": "支援の方向性としては、企業の成長段階に応じた支援メニューを用意し、相談から事業化までを"
           "切れ目なく支えることが考えられる。",
    # No indent, no gap: only the short last line above ends the previous paragraph.
    "short": "経営者の高齢化が進む中で、特に事業承継を控えた企業に対しては、早い段階から後継者の育成や"
             "経営の見える化を支援し、円滑な引継ぎにつなげていくことが重要である。",
    # A bullet at the left margin right under a full line; wraps with a hanging indent.
    "bullet": "市内の工業団地では空き区画が少なくなっており、新たな産業用地の確保に向けた検討を関係"
              "機関と連携して進める必要がある。",
}


@pytest.fixture(scope="session")
def boundary_fixture(fixture_dir: Path) -> BoundaryFixture:
    path = fixture_dir / "boundaries.pdf"
    page: list[fbase.TextLine] = []
    wrapped: dict[str, tuple[str, ...]] = {}
    blocks: list[tuple[str, str, str]] = []
    top = fbase.BODY_TOP
    per_line = 42  # full-width characters per justified line (the measure holds 43)

    def paragraph(key: str, cue: str, indent: float, full_last: bool) -> None:
        nonlocal top
        text = _BOUNDARY_TEXTS[key]
        # A full last line leaves nothing but the intended cue to end the paragraph.
        lines = _even_lines(text, per_line) if full_last else _chunk(text, per_line)
        for index, line in enumerate(lines):
            x = LEFT + (indent if index == 0 else 0.0)
            last = index == len(lines) - 1
            page.append(_justify(line, x, top) if (not last or full_last) else fbase.TextLine(line, x, top))
            top += LEADING
        wrapped[text] = tuple(lines)
        blocks.append(("paragraph", text, cue))

    paragraph("indent_a", "start", BODY, full_last=True)
    paragraph("indent_b", "indent", BODY, full_last=True)
    top += 14.0
    paragraph("gap", "gap", 0.0, full_last=False)
    paragraph("short", "short_line", 0.0, full_last=True)
    # Bullet: marker at the margin, text hanging one em to its right.
    text = _BOUNDARY_TEXTS["bullet"]
    lines = _chunk(text, per_line - 1)
    page.append(fbase.TextLine("・", LEFT, top, BODY))
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        page.append(fbase.TextLine(line, LEFT + BODY, top) if last else _justify(line, LEFT + BODY, top))
        top += LEADING
    wrapped[text] = tuple(lines)
    blocks.append(("list_item", text, "bullet"))
    fbase.write_text_pdf(path, [page])
    # Self-check of the builder: the "gap" paragraph really ends short, the others full.
    assert len(wrapped[_BOUNDARY_TEXTS["gap"]][-1]) < per_line / 2
    return BoundaryFixture(path, tuple(blocks), wrapped)


@pytest.fixture(scope="session")
def boundary_doc(boundary_fixture: BoundaryFixture) -> Document:
    return run_pipeline(boundary_fixture.path, "boundaries")


@dataclass(frozen=True)
class TextInputFixture:
    path: Path
    headings: tuple[tuple[str, int, str | None], ...]
    """(title as normalized, level, parent title or None) in order."""
    paragraphs: tuple[str, ...]
    list_items: tuple[tuple[str, str], ...]
    """(marker, text)."""


# The same notes twice: with a blank line after every heading, and written compactly
# (each heading line directly followed by its text, as plain-text exports often are).
_TXT_INPUT = """\
第1章　調査の概要

本章では、調査の目的と方法を述べる。調査は令和５年度に実施した。

（１）調査の目的

本調査は、市内の中小製造業を取り巻く経営環境の変化を把握し、
今後の産業振興施策の方向性を検討するための基礎資料を得ることを目的とする。

（２）調査の方法

市内に事業所を置く製造業者を対象に、アンケート調査を実施した。
・調査対象：市内の製造業者４２０社
・調査期間：令和５年７月から８月まで

第2章　地域経済の現状

本市は県の中央部に位置し、古くから交通の要衝として栄えてきた。
"""
_TXT_COMPACT = "\n".join(line for line in _TXT_INPUT.splitlines() if line.strip()) + "\n"


def _text_input(path: Path, content: str) -> TextInputFixture:
    path.write_text(content, encoding="utf-8")
    return TextInputFixture(
        path=path,
        headings=(
            ("第1章 調査の概要", 1, None),
            ("（1）調査の目的", 2, "第1章 調査の概要"),
            ("（2）調査の方法", 2, "第1章 調査の概要"),
            ("第2章 地域経済の現状", 1, None),
        ),
        paragraphs=(
            "本章では、調査の目的と方法を述べる。調査は令和5年度に実施した。",
            "本調査は、市内の中小製造業を取り巻く経営環境の変化を把握し、"
            "今後の産業振興施策の方向性を検討するための基礎資料を得ることを目的とする。",
            "市内に事業所を置く製造業者を対象に、アンケート調査を実施した。",
            "本市は県の中央部に位置し、古くから交通の要衝として栄えてきた。",
        ),
        list_items=(("・", "調査対象：市内の製造業者420社"), ("・", "調査期間：令和5年7月から8月まで")),
    )


@pytest.fixture(scope="session")
def text_input_fixture(fixture_dir: Path) -> TextInputFixture:
    return _text_input(fixture_dir / "notes.txt", _TXT_INPUT)


@pytest.fixture(scope="session")
def text_input_doc(text_input_fixture: TextInputFixture) -> Document:
    return run_pipeline(text_input_fixture.path, "notes")


@pytest.fixture(scope="session")
def compact_text_fixture(fixture_dir: Path) -> TextInputFixture:
    return _text_input(fixture_dir / "notes_compact.txt", _TXT_COMPACT)


@pytest.fixture(scope="session")
def compact_text_doc(compact_text_fixture: TextInputFixture) -> Document:
    return run_pipeline(compact_text_fixture.path, "notes_compact")
