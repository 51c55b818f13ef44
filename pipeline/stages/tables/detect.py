"""The page-level half of the tables stage, run by the layout stage while a page is open:
ruled tables, tables without rules, and tables pasted as pictures."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.japanese.glyphs import is_mapped
from pipeline.japanese.markers import TABLE_TITLE
from pipeline.model import BBox, QualityWarning, format_bbox
from pipeline.pdf.chars import centre_inside, drop_overprints
from pipeline.pdf.page import PdfPage
from pipeline.stages.tables.cells import TextRow, text_rows
from pipeline.stages.tables.config import TableConfig
from pipeline.stages.tables.geometry import area
from pipeline.stages.tables.ruled import ruled_tables
from pipeline.stages.tables.ruleless import ruleless_tables
from pipeline.stages.working import RawTable


def page_detector(
    config: TableConfig,
) -> Callable[[PdfPage, list[dict]], tuple[list[RawTable], list[QualityWarning]]] | None:
    """What the layout stage runs on each open page: its tables and pictured-table warnings;
    None when table detection is off (``enabled``: every line then stays in the paragraphs)."""
    if not config.enabled:
        return None

    def detect(page: PdfPage, chars: list[dict]) -> tuple[list[RawTable], list[QualityWarning]]:
        return detect_tables(page, config, chars), detect_image_tables(page, config)

    return detect


def detect_tables(page: PdfPage, config: TableConfig, chars: list[dict] | None = None) -> list[RawTable]:
    """Find the tables on one open page; plain data only.

    Ruled grids come first (pdfplumber's table finder with ``config.lines_settings``,
    skipped when the page has too few rules); then, on the remaining text, tables drawn
    without rules are found from text alignment. Cells carry their text, rebuilt from the
    characters inside them with Japanese line joining. ``chars`` are the page's characters
    as the layout stage de-duplicated them (read from the page when not given). Whether
    tables are looked for at all (``config.enabled``) is decided by :func:`page_detector`.
    """
    # (cid:NN) and private-use glyphs (a Wingdings bullet, U+F09E) are never text; the
    # layout stage counts and reports them.
    chars = [c for c in (drop_overprints(page.chars) if chars is None else chars) if is_mapped(c.get("text", ""))]
    if not chars:
        return []
    tables: list[RawTable] = []
    if _enough_edges(page, config):
        tables.extend(ruled_tables(page, chars, config))
    if config.ruleless.enabled:
        tables.extend(ruleless_tables(page, chars, tables, config))
    tables.sort(key=lambda t: (round(t.bbox[1]), t.bbox[0]))
    return tables


def detect_image_tables(page: PdfPage, config: TableConfig) -> list[QualityWarning]:
    """Warn about tables printed as pictures: a large image with no text over it, next to a
    caption that names a table (表3 …, …一覧, （単位：千円）). Costs nothing on pages without
    images; pages with no text at all are left to the layout's ``no_text_layer`` warning."""
    if not page.images:
        return []
    left, top, right, bottom = page.bbox
    width, height = right - left, bottom - top
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if not chars or width <= 0 or height <= 0:
        return []
    warnings: list[QualityWarning] = []
    rows: list[TextRow] | None = None
    for image in page.images:
        box = (max(image["x0"], left), max(image["top"], top), min(image["x1"], right), min(image["bottom"], bottom))
        if area(box) < config.image_min_area_share * width * height or box[2] - box[0] < config.image_min_width_share * width:
            continue
        covered = sum(1 for c in chars if centre_inside(c, box))
        if covered > config.image_max_chars:
            continue
        if rows is None:
            rows = text_rows(chars, config)
        caption = _image_caption(rows, box, config)
        if caption is None:
            continue
        warnings.append(
            QualityWarning(
                "image_table",
                f"table printed as a picture without a text layer under 「{caption}」 at "
                f"{format_bbox(box)}; its cells cannot be extracted without OCR",
                page.number,
            )
        )
    return warnings


def _image_caption(rows: list[TextRow], box: BBox, config: TableConfig) -> str | None:
    for row in rows:
        text = "".join(s.text for s in row.segments)
        overlaps = row.x0 < box[2] and row.x1 > box[0]
        above = 0 <= box[1] - row.bottom <= config.image_caption_gap
        below = 0 <= row.top - box[3] <= config.image_caption_gap
        if overlaps and (above or below) and len(text) <= config.caption_max_chars and TABLE_TITLE.search(text):
            return text
    return None


def _enough_edges(page: PdfPage, config: TableConfig) -> bool:
    """Cheap check before the table finder: a grid needs horizontal and vertical rules."""
    if not page.has_drawings:
        return False
    horizontal = vertical = 0
    for edge in page.edges:
        if edge["orientation"] == "h":
            horizontal += 1
        else:
            vertical += 1
    return horizontal >= 2 and vertical >= 2 and horizontal + vertical >= config.min_edges
