"""Typed pandas frames of the corpus-wide CSVs, read as ``datapackage.json`` describes them,
and the same frames written as Parquet. ``pipeline.load`` reads through here too, so a frame
has the same dtypes from the CSVs and from the Parquet files.

Table Schema type → pandas dtype: integer → ``Int64``, number → ``Float64``, boolean →
``boolean`` (``trueValues``/``falseValues``), a string with an ``enum`` → ``category`` (its
categories in the enum's order), any other string → ``string``. Missing values are ``<NA>``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.export.csvfile import atomic_target
from pipeline.export.datapackage import DATAPACKAGE_NAME
from pipeline.export.formats import require_parquet
from pipeline.export.resources import RESOURCES


class PackageMissing(FileNotFoundError):
    """The folder has no ``datapackage.json`` (not an output folder, or written before it existed)."""


def read_package(folder: Path) -> dict[str, Any]:
    """The ``datapackage.json`` of an output folder; raises PackageMissing naming the folder."""
    path = Path(folder) / DATAPACKAGE_NAME
    if not path.is_file():
        raise PackageMissing(
            f"{folder} has no {DATAPACKAGE_NAME}: it is not an output folder of `python -m pipeline extract`, or it "
            f"was written by an older version; run `make extract` (or `python -m pipeline extract -o {folder}`)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def package_resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    """One resource of a package by name; raises KeyError naming the known ones."""
    for resource in package["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no resource {name!r} in the package; known: {', '.join(r['name'] for r in package['resources'])}")


def pandas_dtype(field: dict[str, Any]) -> Any:
    """The pandas dtype of one Table Schema field."""
    enum = field.get("constraints", {}).get("enum")
    if enum:
        return pd.CategoricalDtype(enum)
    return {"integer": "Int64", "number": "Float64", "boolean": "boolean"}.get(field.get("type", "string"), "string")


def read_resource(folder: Path, resource: dict[str, Any]) -> pd.DataFrame:
    """One CSV of the package as a typed frame (columns in the schema's order)."""
    schema = resource["schema"]
    missing = schema.get("missingValues", [""])
    raw = pd.read_csv(
        Path(folder) / resource["path"], encoding="utf-8-sig", dtype=str, keep_default_na=False, na_filter=False,
    )
    columns = {field["name"]: _typed(raw[field["name"]], field, missing) for field in schema["fields"]}
    return pd.DataFrame(columns, index=pd.RangeIndex(len(raw)))


def _typed(column: pd.Series, field: dict[str, Any], missing: list[str]) -> pd.Series:
    text = column.astype("string").mask(column.isin(missing))
    dtype = pandas_dtype(field)
    if field.get("type") == "boolean":
        truth = {**{v: True for v in field.get("trueValues", ["1"])}, **{v: False for v in field.get("falseValues", ["0"])}}
        unknown = text.dropna()[~text.dropna().isin(list(truth))]
        if len(unknown):
            raise ValueError(f"{field['name']}: not a boolean: {unknown.iloc[0]!r}")
        return text.map(truth, na_action="ignore").astype("boolean")
    if isinstance(dtype, pd.CategoricalDtype):
        # a value the enum does not list is kept (as a further category), never turned into <NA>
        extra = sorted(set(text.dropna()) - set(dtype.categories))
        return text.astype(pd.CategoricalDtype(list(dtype.categories) + extra))
    return text.astype(dtype)


def write_parquet(out_root: Path) -> list[Path]:
    """Every corpus-wide CSV of ``out_root`` as ``<name>.parquet`` beside it (each atomically),
    typed as :func:`read_resource` types it."""
    require_parquet()
    package = read_package(out_root)
    written = []
    for spec in RESOURCES:
        frame = read_resource(out_root, package_resource(package, spec.name))
        target = out_root / spec.parquet_path
        with atomic_target(target) as staging:
            frame.to_parquet(staging, engine="pyarrow", index=False)
        written.append(target)
    return written
