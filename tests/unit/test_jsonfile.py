"""The indented JSON writer writes what json.dump writes, byte for byte."""

from __future__ import annotations

import io
import json
import random

import pytest

from pipeline.export import jsonfile
from pipeline.export.jsonfile import write_indented_json


def written(value: object, indent: int = 1) -> str:
    handle = io.StringIO()
    write_indented_json(value, handle, indent=indent)
    return handle.getvalue()


TRICKY = {
    "text": "補助金「ものづくり」\n\t\"引用\" \\ \u2028 \x00 𠮷",
    "numbers": [0, -1, 10**20, 1.0, -0.0, 0.1, 1e16, 1e-7, 123456789.125, float("nan"), float("inf"), float("-inf")],
    "flags": [True, False, None],
    "empty": {"list": [], "dict": {}, "tuple": (), "string": ""},
    "nested": [[[]], [{}], {"a": [{"b": ({"c": (1, "x")},)}]}],
    1: "int key", 2.5: "float key", None: "none key",
}
ODD_KEYS = {True: "true key", False: "false key", float("nan"): "nan key", -0.0: "negative zero", 10**20: "big"}


@pytest.mark.parametrize("indent", [1, 2, 4])
def test_tricky_values_are_written_as_json_dump_writes_them(indent: int) -> None:
    assert written(TRICKY, indent) == json.dumps(TRICKY, ensure_ascii=False, indent=indent)
    assert written(ODD_KEYS, indent) == json.dumps(ODD_KEYS, ensure_ascii=False, indent=indent)


def random_value(rng: random.Random, depth: int) -> object:
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return "".join(rng.choice("あ漢A1 \"\\\n年度円") for _ in range(rng.randrange(6)))
    if kind == 1:
        return rng.randrange(-10**6, 10**6)
    if kind == 2:
        return rng.uniform(-1e6, 1e6)
    if kind == 3:
        return rng.choice([True, False, None])
    if kind == 4:
        return round(rng.random(), rng.randrange(4))
    if kind == 5:
        return {f"k{i}": random_value(rng, depth + 1) for i in range(rng.randrange(4))}
    if kind == 6:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return tuple(random_value(rng, depth + 1) for _ in range(rng.randrange(3)))


@pytest.mark.parametrize("seed", range(30))
def test_random_documents_are_written_as_json_dump_writes_them(seed: int) -> None:
    value = random_value(random.Random(seed), 0)
    assert written(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_a_long_document_is_written_in_several_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonfile, "PIECES_PER_WRITE", 10)
    writes: list[str] = []

    class Handle:
        def write(self, text: str) -> None:
            writes.append(text)

    value = [{"page": n, "text": f"第{n}節"} for n in range(100)]
    write_indented_json(value, Handle())  # type: ignore[arg-type]
    assert len(writes) > 10
    assert "".join(writes) == json.dumps(value, ensure_ascii=False, indent=1)


def test_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError, match="set"):
        written({"a": {1, 2}})
