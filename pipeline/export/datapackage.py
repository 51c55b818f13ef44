"""``datapackage.json``: the corpus-wide CSVs described as a Frictionless Tabular Data Package
(Data Package and Table Schema v1), written from the field specs of ``resources.py``.

The descriptor depends only on the code, never on the data, so identical inputs still give
identical bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.export.csvfile import atomic_target
from pipeline.export.resources import RESOURCES, FieldSpec, Reference, ResourceSpec

DATAPACKAGE_NAME = "datapackage.json"
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}
"""RFC 4180 with CRLF line ends, as ``pipeline/export/csvfile.py`` writes every CSV."""
MISSING_VALUES = [""]
TRUE_VALUES = ["1"]
FALSE_VALUES = ["0"]


def package_descriptor() -> dict[str, Any]:
    """The whole descriptor as plain JSON data."""
    return {
        "profile": "tabular-data-package",
        "name": "jp-report-extract",
        "title": "Datasets extracted from Japanese public-sector reports",
        "description": (
            "Sections, paragraphs, tables, table cells, entities, mentions and funding facts of every document "
            "in this folder, one CSV per kind with doc_id first. The files are UTF-8 with a byte-order mark "
            "(readers that follow the encoding skip it), booleans are 1/0 and an empty field is a missing value. "
            "Each document's own files are in <doc_id>/."
        ),
        "resources": [resource_descriptor(spec) for spec in RESOURCES],
    }


def resource_descriptor(spec: ResourceSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(spec, field) for field in spec.fields],
        "missingValues": MISSING_VALUES,
        "primaryKey": list(spec.primary_key),
    }
    declared = spec.declared_references()
    if declared:
        schema["foreignKeys"] = [_foreign_key(spec, reference) for reference in declared]
    return {
        "profile": "tabular-data-resource",
        "name": spec.name,
        "path": spec.path,
        "title": spec.title,
        "description": spec.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": CSV_DIALECT,
        "schema": schema,
    }


def _field(spec: ResourceSpec, field: FieldSpec) -> dict[str, Any]:
    described: dict[str, Any] = {"name": field.name, "type": field.type, "description": _description(spec, field)}
    if field.type == "boolean":
        described["trueValues"] = TRUE_VALUES
        described["falseValues"] = FALSE_VALUES
    if field.unit:
        described["unit"] = field.unit  # Table Schema allows extra properties; the unit of every value
    constraints: dict[str, Any] = {}
    if field.required or field.name in spec.primary_key:
        constraints["required"] = True
    if field.enum:
        constraints["enum"] = list(field.enum)
    if field.minimum is not None:
        constraints["minimum"] = field.minimum
    if field.maximum is not None:
        constraints["maximum"] = field.maximum
    if constraints:
        described["constraints"] = constraints
    return described


def _description(spec: ResourceSpec, field: FieldSpec) -> str:
    """The field's meaning, plus the rows it refers to when that reference may be empty (and so
    is not a declared foreign key)."""
    text = field.description
    for reference in spec.optional_references():
        if reference.fields[-1] == field.name:
            target = "this table" if reference.resource == spec.name else f"{reference.resource}.csv"
            text += f" Refers to ({', '.join(reference.resource_fields)}) of {target} when not empty."
    return text


def _foreign_key(spec: ResourceSpec, reference: Reference) -> dict[str, Any]:
    resource = "" if reference.resource == spec.name else reference.resource  # "" is a self-reference
    return {"fields": list(reference.fields), "reference": {"resource": resource, "fields": list(reference.resource_fields)}}


def write_datapackage(out_root: Path) -> Path:
    """Write ``out_root/datapackage.json`` (atomically)."""
    target = out_root / DATAPACKAGE_NAME
    with atomic_target(target) as staging:
        staging.write_text(json.dumps(package_descriptor(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target
