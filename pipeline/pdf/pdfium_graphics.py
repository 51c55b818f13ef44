"""A page's drawings as PDFium reads them: rectangles, lines, curves and images, as pdfplumber's dicts.

Each path object is cut into its subpaths; a closed four-sided axis-parallel subpath is a
rectangle, a single straight segment a line, anything else a curve whose straight, axis-parallel
pieces still count as edges (a table grid drawn as one polyline). Coordinates are pdfplumber's:
points from the top-left corner, ``top = height - y`` with the media box's height. Objects
inside form XObjects are read with their form's transform.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
AXIS_TOLERANCE = 0.5
"""Points a segment may lean and still be a horizontal or vertical rule."""
FORM_DEPTH = 4
"""Form XObjects inside forms are followed this deep."""


@dataclass
class Graphics:
    rects: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    curves: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)

    @property
    def edges(self) -> list[dict]:
        """Ruling lines, rectangle sides and curves' axis-parallel pieces, as pdfplumber's ``edges``."""
        found: list[dict] = []
        for rect in self.rects:
            x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
            found += [_edge(x0, top, x1, top, rect), _edge(x0, bottom, x1, bottom, rect),
                      _edge(x0, top, x0, bottom, rect), _edge(x1, top, x1, bottom, rect)]
        for item in self.lines + self.curves:
            points = item["pts"]
            found += [e for a, b in zip(points, points[1:]) if (e := _axis_edge(a, b, item)) is not None]
        return found


def read_graphics(raw: Any, page_handle: Any, height: float) -> Graphics:
    graphics = Graphics()
    rgb = RgbReader()
    for index in range(raw.FPDFPage_CountObjects(page_handle)):
        _read_object(raw, raw.FPDFPage_GetObject(page_handle, index), IDENTITY, height, graphics, 0, rgb)
    return graphics


def _read_object(raw: Any, obj: Any, outer: Matrix, height: float, graphics: Graphics, depth: int,
                 rgb: RgbReader) -> None:
    kind = raw.FPDFPageObj_GetType(obj)
    if kind not in (raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE):
        return  # text (most objects of a page) and shadings: nothing drawn to read
    matrix = _compose(_matrix(raw, obj), outer)
    if kind == raw.FPDF_PAGEOBJ_FORM and depth < FORM_DEPTH:
        for index in range(raw.FPDFFormObj_CountObjects(obj)):
            _read_object(raw, raw.FPDFFormObj_GetObject(obj, index), matrix, height, graphics, depth + 1, rgb)
    elif kind == raw.FPDF_PAGEOBJ_PATH:
        _read_path(raw, obj, matrix, height, graphics, rgb)
    elif kind == raw.FPDF_PAGEOBJ_IMAGE:
        corners = [_apply(matrix, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
        xs, ys = [p[0] for p in corners], [height - p[1] for p in corners]
        graphics.images.append(_box_dict(min(xs), min(ys), max(xs), max(ys), object_type="image"))


def _read_path(raw: Any, obj: Any, matrix: Matrix, height: float, graphics: Graphics, rgb: RgbReader) -> None:
    fill_mode, stroke = ctypes.c_int(0), ctypes.c_int(0)
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
    look = {"fill": fill_mode.value != 0, "stroke": bool(stroke.value),
            "non_stroking_color": rgb(raw.FPDFPageObj_GetFillColor, obj),
            "stroking_color": rgb(raw.FPDFPageObj_GetStrokeColor, obj), "linewidth": _width(raw, obj)}
    for points, closed, curved in _subpaths(raw, obj, matrix, height):
        if not curved and _is_rect(points, closed):
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            graphics.rects.append(_box_dict(min(xs), min(ys), max(xs), max(ys), object_type="rect", **look))
        elif not curved and len(points) == 2:
            graphics.lines.append(_points_dict(points, "line", look))
        elif len(points) >= 2:
            graphics.curves.append(_points_dict(points, "curve", look))


def _subpaths(raw: Any, obj: Any, matrix: Matrix, height: float) -> list[tuple[list[tuple[float, float]], bool, bool]]:
    """Each subpath's points in pdfplumber coordinates, whether it is closed, whether it curves."""
    found: list[tuple[list[tuple[float, float]], bool, bool]] = []
    points: list[tuple[float, float]] = []
    closed = curved = False
    x, y = ctypes.c_float(0), ctypes.c_float(0)
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        px, py = _apply(matrix, x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if len(points) > 1:
                found.append((points, closed, curved))
            points, closed, curved = [], False, False
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            curved = True
        points.append((px, height - py))
        closed = closed or bool(raw.FPDFPathSegment_GetClose(segment))
    if len(points) > 1:
        found.append((points, closed, curved))
    return found


def _is_rect(points: list[tuple[float, float]], closed: bool) -> bool:
    """Four corners joined by horizontal and vertical sides (a fifth point back at the first)."""
    corners = points[:-1] if len(points) == 5 and _near(points[0], points[-1]) else points
    if len(corners) != 4 or not (closed or len(points) == 5):
        return False
    sides = zip(corners, corners[1:] + corners[:1])
    return all(abs(a[0] - b[0]) <= AXIS_TOLERANCE or abs(a[1] - b[1]) <= AXIS_TOLERANCE for a, b in sides)


def _near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= AXIS_TOLERANCE and abs(a[1] - b[1]) <= AXIS_TOLERANCE


def _box_dict(x0: float, top: float, x1: float, bottom: float, **extra: Any) -> dict:
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0, "height": bottom - top, **extra}


def _points_dict(points: list[tuple[float, float]], kind: str, look: dict) -> dict:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return _box_dict(min(xs), min(ys), max(xs), max(ys), object_type=kind, pts=points, **look)


def _edge(x0: float, top: float, x1: float, bottom: float, source: dict) -> dict:
    orientation = "h" if abs(bottom - top) <= abs(x1 - x0) else "v"
    return {**_box_dict(min(x0, x1), min(top, bottom), max(x0, x1), max(top, bottom)),
            "orientation": orientation, "object_type": source["object_type"] + "_edge",
            # how it is painted, as pdfplumber's edges say: the sides of a white fill with no stroke are no rule
            "fill": source.get("fill"), "stroke": source.get("stroke"), "linewidth": source.get("linewidth"),
            "stroking_color": source.get("stroking_color"), "non_stroking_color": source.get("non_stroking_color")}


def _axis_edge(a: tuple[float, float], b: tuple[float, float], source: dict) -> dict | None:
    if abs(a[1] - b[1]) <= AXIS_TOLERANCE or abs(a[0] - b[0]) <= AXIS_TOLERANCE:
        return _edge(a[0], a[1], b[0], b[1], source)
    return None


def _matrix(raw: Any, obj: Any) -> Matrix:
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        return IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


class RgbReader:
    """Reads colours PDFium reports as 0–255 RGBA (``getter(*handles, &r, &g, &b, &a)``) as RGB
    in 0–1, into four numbers made once (a page asks for thousands)."""

    def __init__(self) -> None:
        self._rgba = [ctypes.c_uint(0) for _ in range(4)]
        self._pointers = [ctypes.byref(value) for value in self._rgba]

    def __call__(self, getter: Any, *handles: Any) -> tuple[float, float, float] | None:
        if not getter(*handles, *self._pointers):
            return None
        r, g, b, _ = self._rgba
        return (round(r.value / 255, 3), round(g.value / 255, 3), round(b.value / 255, 3))


def _width(raw: Any, obj: Any) -> float:
    width = ctypes.c_float(0)
    return float(width.value) if raw.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width)) else 1.0
