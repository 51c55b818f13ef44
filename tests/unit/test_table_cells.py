"""The ruled-table finder on tuples gives pdfplumber's TableFinder's cells, to the last bit."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

import pytest
from pdfplumber.table import TableFinder

from pipeline.pdf.table_cells import find_table_cells
from pipeline.stages.tables.config import TableConfig

PAGE_BOX = (0.0, 0.0, 595.0, 842.0)


@dataclass
class EdgesPage:
    """What pdfplumber's TableFinder reads of a page for the lines strategies."""

    edges: list[dict]
    bbox: tuple[float, float, float, float] = PAGE_BOX
    chars: list[dict] = field(default_factory=list)


def edge(x0: float, top: float, x1: float, bottom: float, kind: str = "line_edge") -> dict:
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": "h" if bottom - top <= x1 - x0 else "v", "object_type": kind,
            "stroking_color": (0.0, 0.0, 0.0), "linewidth": 0.5}


def drawn_grid(rng: random.Random, left: float, top: float) -> list[dict]:
    """A grid as office suites draw one: rules a little off each other, some broken in pieces,
    some drawn twice, a cell or two merged (a rule missing inside)."""
    xs = [left + sum(rng.uniform(30, 90) for _ in range(i)) for i in range(rng.randint(2, 6))]
    ys = [top + sum(rng.uniform(12, 30) for _ in range(i)) for i in range(rng.randint(2, 7))]
    found: list[dict] = []
    for y in ys:
        jitter = rng.uniform(-1.5, 1.5)
        if rng.random() < 0.3:  # a rule broken in two, the pieces within the join tolerance
            middle = rng.uniform(xs[0] + 5, xs[-1] - 5)
            found += [edge(xs[0], y + jitter, middle, y + jitter), edge(middle + rng.uniform(0, 2.5), y, xs[-1], y)]
        else:
            found.append(edge(xs[0] - rng.uniform(0, 1), y + jitter, xs[-1] + rng.uniform(0, 1), y + jitter))
        if rng.random() < 0.2:
            found.append(edge(xs[0], y, xs[-1], y, "rect_edge"))
    for index, x in enumerate(xs):
        inner = 0 < index < len(xs) - 1
        for upper, lower in itertools.pairwise(ys):
            if inner and rng.random() < 0.15:
                continue  # a merged cell
            jitter = rng.uniform(-1.0, 1.0)
            found.append(edge(x + jitter, upper, x + jitter, lower + rng.uniform(-0.5, 0.5)))
    rng.shuffle(found)
    return found


@pytest.mark.parametrize("seed", range(40))
def test_cells_are_pdfplumbers(seed: int) -> None:
    rng = random.Random(seed)
    edges = drawn_grid(rng, 50.0, 60.0) + drawn_grid(rng, 60.0, 420.0)
    edges += [edge(rng.uniform(0, 500), rng.uniform(0, 800), rng.uniform(500, 590), 0.0) for _ in range(3)]  # strays
    settings = TableConfig().lines_settings
    expected = [[tuple(map(float, cell)) for cell in table.cells]
                for table in TableFinder(EdgesPage(edges), settings).tables]  # type: ignore[arg-type]
    assert expected, "the fixture draws tables"
    assert find_table_cells(edges, PAGE_BOX, settings) == expected


@pytest.mark.parametrize("seed", range(10))
def test_explicit_rules_give_pdfplumbers_cells(seed: int) -> None:
    rng = random.Random(seed)
    edges = drawn_grid(rng, 40.0, 100.0)
    settings = dict(TableConfig().lines_settings, vertical_strategy="explicit", horizontal_strategy="explicit",
                    explicit_vertical_lines=[e for e in edges if e["orientation"] == "v"],
                    explicit_horizontal_lines=[e for e in edges if e["orientation"] == "h"] + [130.0])
    expected = [[tuple(map(float, cell)) for cell in table.cells]
                for table in TableFinder(EdgesPage([]), settings).tables]  # type: ignore[arg-type]
    assert expected, "the fixture draws a table"
    assert find_table_cells([], PAGE_BOX, settings) == expected


def test_a_page_without_rules_has_no_table() -> None:
    assert find_table_cells([], PAGE_BOX, TableConfig().lines_settings) == []


SETTING_VARIANTS = [
    {"snap_tolerance": 0, "join_tolerance": 0},  # no snapping, no joining
    {"snap_x_tolerance": 0, "snap_y_tolerance": 2, "intersection_tolerance": 1},
    {"vertical_strategy": "lines_strict", "horizontal_strategy": "lines_strict"},
    {"edge_min_length": 40, "join_tolerance": 6},
]


@pytest.mark.parametrize("variant", range(len(SETTING_VARIANTS)))
@pytest.mark.parametrize("seed", range(8))
def test_other_settings_give_pdfplumbers_cells(variant: int, seed: int) -> None:
    rng = random.Random(1000 + seed)
    edges = drawn_grid(rng, 50.0, 60.0)
    edges += [edge(round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"])) for e in drawn_grid(rng, 70.0, 430.0)]
    for extra in edges[::3]:
        extra["object_type"] = "rect_edge"  # (lines_strict keeps only the drawn lines)
    settings = dict(TableConfig().lines_settings, **SETTING_VARIANTS[variant])
    expected = [[tuple(map(float, cell)) for cell in table.cells]
                for table in TableFinder(EdgesPage(edges), settings).tables]  # type: ignore[arg-type]
    assert find_table_cells(edges, PAGE_BOX, settings) == expected


def test_explicit_rules_given_as_positions_span_the_page() -> None:
    settings = dict(TableConfig().lines_settings, vertical_strategy="explicit", horizontal_strategy="explicit",
                    explicit_vertical_lines=[100.0, 200.5, 300.0], explicit_horizontal_lines=[50.0, 80.25, 120.0])
    expected = [[tuple(map(float, cell)) for cell in table.cells]
                for table in TableFinder(EdgesPage([]), settings).tables]  # type: ignore[arg-type]
    assert len(expected[0]) == 4
    assert find_table_cells([], PAGE_BOX, settings) == expected
