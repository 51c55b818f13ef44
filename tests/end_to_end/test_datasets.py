"""Datasets other projects can use directly: the corpus-wide tables, ``datapackage.json``,
``pipeline.load()`` and the Parquet copies.

* the field specs (``pipeline/export/resources.py``) against the per-document exporters and
  ``document.schema.json``, and ``datapackage.json`` written from them;
* a small corpus of fixture PDFs extracted with ``--format csv,parquet``, and the committed
  sample: the package validates with ``frictionless`` (types, primary and foreign keys), every
  reference resolves (checked again with pandas, the optional ones too), the corpus tables
  hold exactly the documents' rows;
* ``pipeline.load()``: typed frames read lazily, one document's view, a clear error without a package;
* Parquet equals the CSVs; ``--format`` is validated and a missing pyarrow is a clear usage error.

Every input is a fixture PDF built here with ``tests/fixtures/``; all text is invented.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.batch import BatchOptions, run_batch
from pipeline.cli import main as cli_main
from pipeline.config import PipelineConfig
from pipeline.datasets import FRAMES, Dataset
from pipeline.export import formats as export_formats
from pipeline.export.corpus import CORPUS_DOCUMENT_COLUMNS, CORPUS_ENTITY_COLUMNS, entity_key
from pipeline.export.corpus_tables import write_corpus
from pipeline.export.datapackage import DATAPACKAGE_NAME, package_descriptor
from pipeline.export.documents import (
    ENTITY_COLUMNS,
    FACT_COLUMNS,
    MENTION_COLUMNS,
    PARAGRAPH_COLUMNS,
    SCHEMA_PATH,
    SECTION_COLUMNS,
)
from pipeline.export.formats import FormatError, parse_formats
from pipeline.export.resources import RESOURCES, Reference, ResourceSpec, resource
from pipeline.export.tables import TABLES_HEADER, TIDY_HEADER
from pipeline.settings import SettingError

from tests.fixtures import base as fbase
from tests.fixtures import tables as ftables

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_OUTPUT = ROOT / "extracted"
ATTRIBUTE = {resource_name: attribute for attribute, resource_name in FRAMES.items()}
"""Resource name → the Dataset attribute that reads it."""


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------ the field specs


def test_corpus_columns_are_the_document_columns_with_doc_id_first() -> None:
    expected = {
        "documents": CORPUS_DOCUMENT_COLUMNS,
        "sections": ("doc_id", *SECTION_COLUMNS),
        "paragraphs": PARAGRAPH_COLUMNS,
        "tables": ("doc_id", *TABLES_HEADER),
        "cells": ("doc_id", *TIDY_HEADER),
        "document_entities": (*ENTITY_COLUMNS, "corpus_entity_id"),
        "entities": CORPUS_ENTITY_COLUMNS,
        "mentions": MENTION_COLUMNS,
        "facts": FACT_COLUMNS,
    }
    assert {spec.name: spec.columns for spec in RESOURCES} == expected
    for spec in RESOURCES:
        assert spec.name == "entities" or spec.columns[0] == "doc_id", spec.name
        assert len(set(spec.columns)) == len(spec.columns), spec.name
        assert all(f.type in ("string", "integer", "number", "boolean") and f.description for f in spec.fields)


def _schema_enums() -> dict[str, list]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    items = {name: schema["properties"][name]["items"]["properties"] for name in ("tables", "entities", "mentions", "facts")}
    return {
        "label": schema["$defs"]["entityLabel"]["enum"],
        "block_kind": schema["properties"]["blocks"]["items"]["properties"]["kind"]["enum"],
        "table_kind": items["tables"]["kind"]["enum"],
        "bound": [v for v in items["entities"]["bound"]["enum"] if v is not None],
        "source": items["mentions"]["source"]["enum"],
        "relation": items["facts"]["relation"]["enum"],
    }


def test_enums_are_the_values_document_json_allows() -> None:
    enums = _schema_enums()
    assert list(resource("document_entities").field("label").enum) == enums["label"]
    assert list(resource("mentions").field("label").enum) == enums["label"]
    assert set(resource("paragraphs").field("kind").enum) <= set(enums["block_kind"])
    assert list(resource("tables").field("kind").enum) == enums["table_kind"]
    assert list(resource("entities").field("bound").enum) == enums["bound"]
    assert list(resource("facts").field("bound").enum) == enums["bound"]
    assert list(resource("mentions").field("source").enum) == enums["source"]
    assert list(resource("facts").field("source").enum) == enums["source"]
    assert list(resource("facts").field("relation").enum) == enums["relation"]


def test_references_name_primary_keys_of_known_resources() -> None:
    for spec in RESOURCES:
        assert set(spec.primary_key) <= set(spec.columns), spec.name
        for reference in spec.references:
            target = resource(reference.resource)
            assert set(reference.fields) <= set(spec.columns), (spec.name, reference)
            assert reference.resource_fields == target.primary_key, (spec.name, reference)
        if spec.name != "documents" and "doc_id" in spec.columns:
            assert Reference(("doc_id",), "documents", ("doc_id",)) in spec.declared_references(), spec.name


def test_descriptor_is_written_from_the_specs() -> None:
    descriptor = package_descriptor()
    assert descriptor["profile"] == "tabular-data-package"
    assert [r["name"] for r in descriptor["resources"]] == [spec.name for spec in RESOURCES]
    for described, spec in zip(descriptor["resources"], RESOURCES):
        assert described["path"] == spec.path and described["format"] == "csv"
        assert described["dialect"]["lineTerminator"] == "\r\n" and described["dialect"]["header"] is True
        schema = described["schema"]
        assert schema["missingValues"] == [""] and schema["primaryKey"] == list(spec.primary_key)
        assert [(f["name"], f["type"]) for f in schema["fields"]] == [(f.name, f.type) for f in spec.fields]
        for field in schema["fields"]:
            if field["type"] == "boolean":
                assert (field["trueValues"], field["falseValues"]) == (["1"], ["0"]), field
        keys = [(tuple(k["fields"]), k["reference"]["resource"] or spec.name) for k in schema.get("foreignKeys", [])]
        assert keys == [(r.fields, r.resource) for r in spec.declared_references()]
    cells = {f["name"]: f for f in descriptor["resources"][RESOURCES.index(resource("cells"))]["schema"]["fields"]}
    assert cells["value_yen"]["unit"] == "JPY" and cells["value"]["type"] == "number"
    assert "Refers to" in {f["name"]: f for f in descriptor["resources"][2]["schema"]["fields"]}["section_id"]["description"]


# ------------------------------------------------------------------ a small corpus

CONTRACTOR = "株式会社サンプル精工"
PAGES = {
    "alpha": ("第1章　設備投資の概要", (
        f"令和5年度に{CONTRACTOR}は見本市ものづくり支援補助金を活用し、約3億5千万円を投じて新工場を整備した。",
        "新工場では精密部品の加工工程を自動化し、生産能力を従来の約1.5倍に高めることを目指している。",
    )),
    "beta": ("第2章　取引先の動向", (
        f"{CONTRACTOR}との取引は令和6年度に拡大し、見本県内の協力企業も新たに受注を得た。",
        "見本市は、こうした連携を後押しするため、上限500万円の助成を令和7年度まで行う予定である。",
    )),
}


@dataclass
class Corpus:
    inputs: Path
    out: Path
    result: subprocess.CompletedProcess[str]

    def load(self) -> Dataset:
        return pipeline.load(self.out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    inputs = tmp_path_factory.mktemp("datasets_in")
    out = tmp_path_factory.mktemp("datasets_out") / "extracted"
    for doc_id, page in PAGES.items():
        fbase.write_text_pdf(inputs / f"{doc_id}.pdf", [fbase.heading_and_paragraphs(*page)])
    ftables.build_budget_table_pdf(inputs / "budget.pdf")
    ftables.build_ruled_table_pdf(inputs / "population.pdf")
    result = run_cli("extract", inputs, "-o", out, "--no-progress", "--format", "csv,parquet")
    assert result.returncode == 0, result.stderr
    return Corpus(inputs, out, result)


FOLDERS = ["corpus", "sample"]


@pytest.fixture(params=FOLDERS)
def folder(request: pytest.FixtureRequest) -> Path:
    """The fixture corpus, then the committed sample."""
    if request.param == "sample":
        assert (SAMPLE_OUTPUT / DATAPACKAGE_NAME).is_file(), "the committed sample has no datapackage.json"
        return SAMPLE_OUTPUT
    return request.getfixturevalue("corpus").out


def test_the_corpus_has_rows_in_every_table(corpus: Corpus) -> None:
    data = corpus.load()
    assert sorted(data.doc_ids) == ["alpha", "beta", "budget", "population"]
    for attribute in FRAMES:
        assert len(data.frame(attribute)), attribute
    assert 5_000_000 in set(data.facts["value_yen"])  # 上限500万円の助成
    shared = data.corpus_entities[data.corpus_entities["name"] == CONTRACTOR]
    assert len(shared) == 1 and shared["documents"].iloc[0] == 2


def test_corpus_files_are_written_beside_documents_csv(corpus: Corpus) -> None:
    names = {p.name for p in corpus.out.iterdir() if p.is_file()}
    assert {spec.path for spec in RESOURCES} | {spec.parquet_path for spec in RESOURCES} | {DATAPACKAGE_NAME} <= names
    for spec in RESOURCES:
        data = (corpus.out / spec.path).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf" + ",".join(spec.columns).encode() + b"\r\n"), spec.name
    assert json.loads((corpus.out / DATAPACKAGE_NAME).read_text(encoding="utf-8")) == package_descriptor()


def test_frictionless_validates_the_package(folder: Path) -> None:
    """Every value parses as its field's type, primary keys are unique and every declared
    foreign key resolves (frictionless checks them across resources)."""
    frictionless = pytest.importorskip("frictionless")
    package = frictionless.Package(str(folder / DATAPACKAGE_NAME))
    report = package.validate()
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]
    rows = {task.name: task.stats.get("rows") for task in report.tasks}
    assert set(rows) == {spec.name for spec in RESOURCES} and rows["sections"] and rows["mentions"]


def _dangling(data: Dataset, spec: ResourceSpec, reference: Reference) -> pd.DataFrame:
    """Rows whose reference names no row of its target (rows with an empty part are not references)."""
    source = data.frame(ATTRIBUTE[spec.name])[list(reference.fields)].dropna().astype(str)
    target = data.frame(ATTRIBUTE[reference.resource])[list(reference.resource_fields)].dropna().astype(str)
    target = target.set_axis(list(reference.fields), axis=1).drop_duplicates()
    merged = source.merge(target, how="left", on=list(reference.fields), indicator=True)
    return merged[merged["_merge"] == "left_only"]


def test_every_reference_resolves_in_pandas(folder: Path) -> None:
    data = pipeline.load(folder)
    checked = 0
    for spec in RESOURCES:
        frame = data.frame(ATTRIBUTE[spec.name])
        assert not frame.duplicated(list(spec.primary_key)).any(), spec.name
        assert frame[list(spec.primary_key)].notna().all().all(), spec.name
        for reference in spec.references:
            dangling = _dangling(data, spec, reference)
            assert dangling.empty, f"{spec.name} {reference.fields} → {reference.resource}: {dangling.head()}"
            checked += 1
        for reference in spec.declared_references():
            assert frame[list(reference.fields)].notna().all().all(), (spec.name, reference.fields)
    assert checked == sum(len(spec.references) for spec in RESOURCES)


def test_mention_text_units_are_paragraphs_or_table_cells(folder: Path) -> None:
    """mentions.para_id is not a declared key (table cells are T<table_id>:r<row>c<col>), but
    each one names a paragraph or a cell of a known table."""
    data = pipeline.load(folder)
    mentions = data.mentions
    in_text = mentions[mentions["source"] != "table"]
    paragraphs = set(zip(data.paragraphs["doc_id"], data.paragraphs["para_id"]))
    assert all(key in paragraphs for key in zip(in_text["doc_id"], in_text["para_id"]))
    cells = mentions[mentions["source"] == "table"]
    tables = set(zip(data.tables["doc_id"], data.tables["table_id"]))
    parsed = cells["para_id"].str.extract(r"^T(?P<table>[^:]+):r\d+c\d+$")
    assert parsed["table"].notna().all()
    assert all(key in tables for key in zip(cells["doc_id"], parsed["table"]))


def test_corpus_tables_hold_every_row_of_the_document_files(folder: Path) -> None:
    documents = [row["doc_id"] for row in read_rows(folder / "documents.csv")]
    per_document = {
        "sections": lambda d: read_rows(folder / d / "sections.csv"),
        "paragraphs": lambda d: read_rows(folder / d / "paragraphs.csv"),
        "tables": lambda d: read_rows(folder / d / "tables.csv"),
        "cells": lambda d: [r for t in read_rows(folder / d / "tables.csv")
                            for r in read_rows(folder / d / "tables" / f"{t['table_id']}.tidy.csv")],
        "document_entities": lambda d: read_rows(folder / d / "entities.csv"),
        "mentions": lambda d: read_rows(folder / d / "mentions.csv"),
        "facts": lambda d: read_rows(folder / d / "facts.csv"),
    }
    for name, rows_of in per_document.items():
        spec = resource(name)
        expected = [{**row, "doc_id": d} for d in documents for row in rows_of(d)]
        corpus_rows = read_rows(folder / spec.path)
        assert [{k: r[k] for k in row} for r, row in zip(corpus_rows, expected)] == expected, name
        assert len(corpus_rows) == len(expected), name


def test_document_entities_link_to_the_corpus_entity_with_the_same_key(folder: Path) -> None:
    corpus_rows = {row["corpus_entity_id"]: row for row in read_rows(folder / "entities.csv")}
    keys = {entity_key(row): row["corpus_entity_id"] for row in corpus_rows.values()}
    for row in read_rows(folder / "document_entities.csv"):
        linked = corpus_rows[row["corpus_entity_id"]]
        assert row["doc_id"] in linked["doc_ids"].split("|") and linked["label"] == row["label"], row
        if row["label"] in ("YEAR", "MONEY"):
            assert keys[entity_key(row)] == row["corpus_entity_id"], row


# ------------------------------------------------------------------ pipeline.load


def test_load_types_the_frames(folder: Path) -> None:
    data = pipeline.load(folder)
    entities = data.entities
    years = entities[entities["label"] == "YEAR"]
    assert len(years) and pd.api.types.is_integer_dtype(years["value"]) and str(years["value"].dtype) == "Int64"
    assert years["value"].dropna().between(1868, 2200).all()
    assert str(entities["approx"].dtype) == "boolean" and str(entities["fiscal"].dtype) == "boolean"
    assert isinstance(entities["label"].dtype, pd.CategoricalDtype)
    assert list(entities["label"].cat.categories) == ["ORG", "PROGRAM", "YEAR", "MONEY"]
    assert str(data.paragraphs["page"].dtype) == "Int64" and str(data.paragraphs["text"].dtype) == "string"
    assert isinstance(data.paragraphs["kind"].dtype, pd.CategoricalDtype)
    cells = data.cells
    assert str(cells["value"].dtype) == "Float64" and str(cells["value_yen"].dtype) == "Int64"
    assert str(cells["is_total_row"].dtype) == "boolean"
    assert str(data.tables["bbox"].dtype) == "string" and data.tables["bbox"].str.count(" ").eq(3).all()
    assert str(data.facts["value_yen"].dtype) == "Int64" and isinstance(data.facts["relation"].dtype, pd.CategoricalDtype)
    assert str(data.facts["confidence"].dtype) == "Float64"
    assert str(data.sections["parent_id"].dtype) == "string" and data.sections["parent_id"].isna().any()


def test_load_values_match_the_csv(corpus: Corpus) -> None:
    data = corpus.load()
    budget = data.cells[data.cells["doc_id"] == "budget"]
    raw = read_rows(corpus.out / "cells.csv")
    expected = [int(r["value_yen"]) for r in raw if r["doc_id"] == "budget" and r["value_yen"]]
    assert expected and budget["value_yen"].dropna().tolist() == expected
    assert budget["is_total_row"].any() and not budget["is_total_row"].isna().any()
    year = data.entities[(data.entities["label"] == "YEAR") & (data.entities["doc_id"] == "alpha")]
    assert 2023 in year["value"].tolist()


def test_frames_are_read_on_first_access(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.datasets as datasets

    read: list[str] = []
    original = datasets.read_resource
    monkeypatch.setattr(datasets, "read_resource", lambda folder, res: read.append(res["name"]) or original(folder, res))
    data = corpus.load()
    assert read == []
    data.sections
    data.sections
    assert read == ["sections"]
    data.entities, data.corpus_entities
    assert read == ["sections", "document_entities", "entities"]


def test_one_document_has_the_same_frames_filtered(corpus: Corpus) -> None:
    data = corpus.load()
    alpha = data.document("alpha")
    assert alpha.doc_id == "alpha" and alpha.doc_ids == ["alpha"]
    for attribute in FRAMES:
        whole, part = data.frame(attribute), alpha.frame(attribute)
        assert list(part.columns) == list(whole.columns) and dict(part.dtypes) == dict(whole.dtypes), attribute
        if "doc_id" in whole.columns:
            expected = whole[whole["doc_id"] == "alpha"].reset_index(drop=True)
            pd.testing.assert_frame_equal(part, expected)
    named = set(alpha.entities["corpus_entity_id"])
    assert set(alpha.corpus_entities["corpus_entity_id"]) == named
    assert CONTRACTOR in alpha.corpus_entities["name"].tolist()
    with pytest.raises(KeyError, match="nothing"):
        data.document("nothing")


def test_load_without_a_package_says_which_folder_and_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as error:
        pipeline.load(tmp_path)
    assert str(tmp_path) in str(error.value) and "make extract" in str(error.value)


# ------------------------------------------------------------------ Parquet and --format


def test_parquet_equals_the_csv_frames(corpus: Corpus) -> None:
    data = corpus.load()
    for spec in RESOURCES:
        parquet = pd.read_parquet(corpus.out / spec.parquet_path)
        pd.testing.assert_frame_equal(parquet, data.frame(ATTRIBUTE[spec.name]), obj=spec.name)


def test_a_csv_only_run_removes_stale_parquet(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "extracted"
    shutil.copytree(corpus.out, out)
    before = (out / "cells.csv").read_bytes()
    write_corpus(out, [p.name for p in out.iterdir() if p.is_dir()])
    assert not list(out.glob("*.parquet"))
    assert (out / "cells.csv").read_bytes() == before and (out / DATAPACKAGE_NAME).is_file()


def test_format_values_are_checked() -> None:
    assert parse_formats("csv") == ("csv",)
    assert parse_formats("parquet,CSV") == ("csv", "parquet")
    assert parse_formats("parquet") == ("csv", "parquet")  # the CSVs are always written
    for bad in ("xlsx", "csv,json", ""):
        with pytest.raises(FormatError, match="csv, parquet"):
            parse_formats(bad)
    with pytest.raises(SettingError, match="formats"):
        BatchOptions(formats=("csv", "xlsx"))


def test_unknown_format_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["extract", str(tmp_path), "-o", str(tmp_path / "out"), "--format", "csv,xlsx"]) == 2
    assert "xlsx" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_parquet_without_pyarrow_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    find_spec = export_formats.importlib.util.find_spec
    monkeypatch.setattr(
        export_formats.importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else find_spec(name, *a)
    )
    out = tmp_path / "out"
    with pytest.raises(FormatError, match=r'pip install -e "\.\[parquet\]"'):
        run_batch([tmp_path], out, PipelineConfig(), options=BatchOptions(formats=("csv", "parquet")))
    assert cli_main(["extract", str(tmp_path), "-o", str(out), "--format", "csv,parquet"]) == 2
    assert '.[parquet]' in capsys.readouterr().err
    assert not out.exists()
