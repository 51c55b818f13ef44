"""Small geometry helpers shared by the table finders."""

from __future__ import annotations

import bisect

from pipeline.model import BBox


def area(box: BBox) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def intersection(a: BBox, b: BBox) -> BBox:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def cluster_values(values: list[float], tolerance: float) -> list[float]:
    """Sorted values, those within ``tolerance`` of the previous one merged into their mean."""
    ordered = sorted(values)
    groups: list[list[float]] = []
    for value in ordered:
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def nearest_index(bounds: list[float], value: float) -> int:
    """Index of the sorted bound nearest to ``value``."""
    index = bisect.bisect_left(bounds, value)
    if index == 0:
        return 0
    if index == len(bounds):
        return len(bounds) - 1
    return index if bounds[index] - value < value - bounds[index - 1] else index - 1
