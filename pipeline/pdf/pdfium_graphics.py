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

from pipeline.pdf.pdfium_calls import PlainCalls, out

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
            paint = _paint(rect)
            found += [_edge(x0, top, x1, top, paint), _edge(x0, bottom, x1, bottom, paint),
                      _edge(x0, top, x0, bottom, paint), _edge(x1, top, x1, bottom, paint)]
        for item in self.lines + self.curves:
            points, paint = item["pts"], _paint(item)
            found += [_edge(a[0], a[1], b[0], b[1], paint) for a, b in zip(points, points[1:])
                      if abs(a[1] - b[1]) <= AXIS_TOLERANCE or abs(a[0] - b[0]) <= AXIS_TOLERANCE]
        return found


class GraphicsReader:
    """Reads a page's objects one by one into ``graphics`` (the text reader hands it every object
    that is not text as it goes through them), with the out-parameters PDFium writes to made once."""

    def __init__(self, pdfium: PlainCalls, height: float) -> None:
        self.pdfium = pdfium
        self.height = height
        self.graphics = Graphics()
        self.rgb = RgbReader()
        raw = pdfium.raw
        self.form, self.path, self.image = raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE
        self.moveto, self.bezierto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
        self.matrix = raw.FS_MATRIX()
        self.fill_mode, self.stroke = ctypes.c_int(0), ctypes.c_int(0)
        self.x, self.y, self.width = ctypes.c_float(0), ctypes.c_float(0), ctypes.c_float(0)

    def read(self, obj: int, kind: int | None = None, outer: Matrix = IDENTITY, depth: int = 0) -> None:
        """Object ``obj`` (of type ``kind`` when the caller has asked), inside forms ``outer`` and ``depth`` deep."""
        pdfium = self.pdfium
        if kind is None:
            kind = pdfium.FPDFPageObj_GetType(obj)
        if kind not in (self.form, self.path, self.image):
            return  # text (most objects of a page) and shadings: nothing drawn to read
        matrix = _compose(self._matrix(obj), outer)
        if kind == self.form and depth < FORM_DEPTH:
            for index in range(pdfium.FPDFFormObj_CountObjects(obj)):
                self.read(pdfium.FPDFFormObj_GetObject(obj, index), None, matrix, depth + 1)
        elif kind == self.path:
            self._read_path(obj, matrix)
        elif kind == self.image:
            corners = [_apply(matrix, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            xs, ys = [p[0] for p in corners], [self.height - p[1] for p in corners]
            self.graphics.images.append(_box_dict(min(xs), min(ys), max(xs), max(ys), object_type="image"))

    def _matrix(self, obj: int) -> Matrix:
        matrix = self.matrix
        if not self.pdfium.FPDFPageObj_GetMatrix(obj, out(matrix)):
            return IDENTITY
        return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)

    def _read_path(self, obj: int, matrix: Matrix) -> None:
        pdfium, graphics = self.pdfium, self.graphics
        pdfium.FPDFPath_GetDrawMode(obj, out(self.fill_mode), out(self.stroke))
        width = float(self.width.value) if pdfium.FPDFPageObj_GetStrokeWidth(obj, out(self.width)) else 1.0
        look = {"fill": self.fill_mode.value != 0, "stroke": bool(self.stroke.value),
                "non_stroking_color": self.rgb(pdfium.FPDFPageObj_GetFillColor, obj),
                "stroking_color": self.rgb(pdfium.FPDFPageObj_GetStrokeColor, obj), "linewidth": width}
        for points, closed, curved in self._subpaths(obj, matrix):
            if not curved and _is_rect(points, closed):
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                graphics.rects.append(_box_dict(min(xs), min(ys), max(xs), max(ys), object_type="rect", **look))
            elif not curved and len(points) == 2:
                graphics.lines.append(_points_dict(points, "line", look))
            elif len(points) >= 2:
                graphics.curves.append(_points_dict(points, "curve", look))

    def _subpaths(self, obj: int, matrix: Matrix) -> list[tuple[list[tuple[float, float]], bool, bool]]:
        """Each subpath's points in pdfplumber coordinates, whether it is closed, whether it curves.
        Whether it is closed is asked of PDFium only for a subpath of four points, the one shape
        :func:`_is_rect` needs it for (most paths are rectangles of five points)."""
        pdfium, height = self.pdfium, self.height
        get_segment, get_point, get_type = (
            pdfium.FPDFPath_GetPathSegment, pdfium.FPDFPathSegment_GetPoint, pdfium.FPDFPathSegment_GetType)
        x, y = self.x, self.y
        x_out, y_out = out(x), out(y)
        moveto, bezierto = self.moveto, self.bezierto
        a, b, c, d, e, f = matrix  # (_apply, written out: a path has a call for each of its points)
        found: list[tuple[list[tuple[float, float]], bool, bool]] = []
        points: list[tuple[float, float]] = []
        start, curved = 0, False
        for index in range(pdfium.FPDFPath_CountSegments(obj)):
            segment = get_segment(obj, index)
            get_point(segment, x_out, y_out)
            px, py = x.value, y.value
            kind = get_type(segment)
            if kind == moveto:
                if len(points) > 1:
                    found.append((points, self._closed(obj, start, index, len(points)), curved))
                points, start, curved = [], index, False
            elif kind == bezierto:
                curved = True
            points.append((a * px + c * py + e, height - (b * px + d * py + f)))
        if len(points) > 1:
            found.append((points, self._closed(obj, start, index + 1, len(points)), curved))
        return found

    def _closed(self, obj: int, start: int, end: int, n_points: int) -> bool:
        """Whether segments ``start`` to ``end`` (not included) of a path close it; False
        unasked unless they are four points."""
        if n_points != 4:
            return False
        get_segment, get_close = self.pdfium.FPDFPath_GetPathSegment, self.pdfium.FPDFPathSegment_GetClose
        return any(get_close(get_segment(obj, index)) for index in range(start, end))


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


Paint = tuple[str, Any, Any, Any, Any, Any]
"""What an edge keeps of the object it is a side of: its type and how it is painted."""


def _paint(source: dict) -> Paint:
    return (source["object_type"] + "_edge", source.get("fill"), source.get("stroke"), source.get("linewidth"),
            source.get("stroking_color"), source.get("non_stroking_color"))


def _edge(x0: float, top: float, x1: float, bottom: float, paint: Paint) -> dict:
    left, right = (x1 if x1 < x0 else x0), (x1 if x1 > x0 else x0)  # (min and max, written out)
    high, low = (bottom if bottom < top else top), (bottom if bottom > top else top)
    return {"x0": left, "top": high, "x1": right, "bottom": low, "width": right - left, "height": low - high,
            "orientation": "h" if abs(bottom - top) <= abs(x1 - x0) else "v", "object_type": paint[0],
            # how it is painted, as pdfplumber's edges say: the sides of a white fill with no stroke are no rule
            "fill": paint[1], "stroke": paint[2], "linewidth": paint[3],
            "stroking_color": paint[4], "non_stroking_color": paint[5]}


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


class RgbReader:
    """Reads colours PDFium reports as 0–255 RGBA (``getter(*handles, &r, &g, &b, &a)``, a
    :class:`PlainCalls` function) as RGB in 0–1, into four numbers made once (a page asks for
    thousands)."""

    def __init__(self) -> None:
        self._rgba = [ctypes.c_uint(0) for _ in range(4)]
        self.addresses = tuple(out(value) for value in self._rgba)
        """Where a getter writes r, g, b and a: ``getter(*handles, *reader.addresses)``, then :meth:`read`."""
        self._converted: dict[tuple[int, int, int], tuple[float, float, float]] = {}

    def __call__(self, getter: Any, *handles: Any) -> tuple[float, float, float] | None:
        return self.read() if getter(*handles, *self.addresses) else None

    def read(self) -> tuple[float, float, float]:
        """The colour the last getter wrote."""
        r, g, b, _ = self._rgba
        key = (r.value, g.value, b.value)
        converted = self._converted.get(key)
        if converted is None:  # (each colour of a page worked out once)
            converted = self._converted[key] = (round(key[0] / 255, 3), round(key[1] / 255, 3), round(key[2] / 255, 3))
        return converted
