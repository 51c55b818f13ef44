"""Exporters: document.json against its schema; sections.csv / paragraphs.csv format and content;
byte-identical output on a second run."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from pipeline.convert import write_outputs
from tests.fixtures.runs import run_pipeline
from pipeline.export.csvfile import csv_text, format_cell, write_csv
from pipeline.export.documents import (
    PARAGRAPH_COLUMNS,
    PARAGRAPH_KINDS,
    SCHEMA_PATH,
    SECTION_COLUMNS,
    document_dict,
    write_paragraphs_csv,
    write_sections_csv,
)
from pipeline.model import Block, Document, Section, SourceInfo
from pipeline.sources import file_sha256

BOM = b"\xef\xbb\xbf"
DOCS = ["report_doc", "two_column_doc", "slide_doc", "superscript_doc", "no_text_layer_doc", "cid_doc",
        "running_doc", "text_input_doc"]


@pytest.fixture(scope="module")
def schema() -> dict:
    data = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    return data


@pytest.fixture(scope="module")
def report_out(report_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report_out")
    write_outputs(report_doc, folder)
    return folder


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))


# ------------------------------------------------------------------ document.json


def test_schema_is_shipped_with_the_package() -> None:
    assert SCHEMA_PATH.name == "document.schema.json" and SCHEMA_PATH.is_file()


@pytest.mark.parametrize("doc_fixture", DOCS)
def test_document_json_validates(doc_fixture: str, schema: dict, request: pytest.FixtureRequest,
                                 tmp_path: Path) -> None:
    doc: Document = request.getfixturevalue(doc_fixture)
    write_outputs(doc, tmp_path)
    data = json.loads((tmp_path / "document.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data == json.loads(json.dumps(document_dict(doc)))


def test_document_json_content(report_out: Path, report_doc: Document, report_fixture) -> None:
    data = json.loads((report_out / "document.json").read_text(encoding="utf-8"))
    assert data["doc_id"] == "report"
    assert data["metadata"]["title"] == report_doc.title
    assert data["metadata"]["pages"] == report_fixture.n_pages
    assert data["metadata"]["sha256"] == file_sha256(report_fixture.path)
    assert data["metadata"]["file_name"] == "report.pdf"
    assert [b["block_id"] for b in data["blocks"]] == [b.block_id for b in report_doc.blocks]
    assert all("lines" not in b for b in data["blocks"])  # layout-internal, not exported
    assert [s["section_id"] for s in data["sections"]] == [s.section_id for s in report_doc.sections]
    # Japanese is written as is, not as \\u escapes.
    assert report_doc.title in (report_out / "document.json").read_text(encoding="utf-8")


def test_document_json_warnings(no_text_layer_doc: Document, tmp_path: Path) -> None:
    write_outputs(no_text_layer_doc, tmp_path)
    data = json.loads((tmp_path / "document.json").read_text(encoding="utf-8"))
    assert [(w["code"], w["page"]) for w in data["warnings"]] == [("no_text_layer", 2)]
    assert [p["needs_ocr"] for p in data["pages"]] == [False, True]


def test_schema_rejects_a_broken_document(report_doc: Document, schema: dict) -> None:
    data = json.loads(json.dumps(document_dict(report_doc)))
    data["blocks"][0]["kind"] = "sidebar"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


# ------------------------------------------------------------------ CSV format


def test_output_files(report_out: Path) -> None:
    names = sorted(p.name for p in report_out.iterdir())
    assert {"document.json", "sections.csv", "paragraphs.csv"} <= set(names)


@pytest.mark.parametrize("name", ["sections.csv", "paragraphs.csv", "entities.csv", "mentions.csv"])
def test_csv_files_are_utf8_bom_crlf(report_out: Path, name: str) -> None:
    data = (report_out / name).read_bytes()
    assert data.startswith(BOM)
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n"), "bare LF line end"
    assert b"\r\r" not in data
    data[len(BOM):].decode("utf-8")  # valid UTF-8


def test_sections_csv_columns_and_rows(report_out: Path, report_doc: Document) -> None:
    rows = read_csv(report_out / "sections.csv")
    assert tuple(rows[0]) == SECTION_COLUMNS == ("section_id", "parent_id", "level", "title", "page", "path")
    body = rows[1:]
    assert len(body) == len(report_doc.sections)
    by_id = {s.section_id: s for s in report_doc.sections}
    for row, section in zip(body, report_doc.sections):
        assert row[:5] == [section.section_id, section.parent_id or "", str(section.level), section.title,
                           str(section.page)]
        titles = []
        node = section
        while node is not None:
            titles.append(node.title)
            node = by_id[node.parent_id] if node.parent_id else None
        assert row[5] == " > ".join(reversed(titles))


def test_sections_csv_path_nests_three_levels(report_out: Path) -> None:
    rows = read_csv(report_out / "sections.csv")[1:]
    (row,) = [r for r in rows if "アンケート調査" in r[3]]
    parts = row[5].split(" > ")
    assert len(parts) == 3 and int(row[2]) == 3
    assert "調査の概要" in parts[0] and "調査の方法" in parts[1] and parts[2] == row[3]


def test_paragraphs_csv_columns_and_rows(report_out: Path, report_doc: Document) -> None:
    rows = read_csv(report_out / "paragraphs.csv")
    assert tuple(rows[0]) == PARAGRAPH_COLUMNS == ("doc_id", "para_id", "section_id", "page", "kind", "text")
    expected = [
        ["report", b.block_id, b.section_id or "", str(b.page), b.kind, b.text]
        for b in report_doc.blocks if b.kind in PARAGRAPH_KINDS
    ]
    assert rows[1:] == expected
    kinds = {r[4] for r in rows[1:]}
    assert kinds == {"title", "heading", "paragraph", "list_item", "caption", "note"}
    # Running headers and page numbers are not paragraphs.
    assert not any(r[5] in ("資料1", "- 1 -") for r in rows[1:])


def _tiny_document(text: str, title: str) -> Document:
    doc = Document(doc_id="tiny", source=SourceInfo(file_name="tiny.txt", sha256="0" * 64, size_bytes=1, kind="txt"))
    doc.sections.append(Section("s001", 1, title, 1, None, "b0001"))
    doc.blocks += [
        Block("b0001", "heading", title, 1, None, section_id="s001"),
        Block("b0002", "paragraph", text, 1, None, section_id="s001"),
    ]
    return doc


def test_rfc4180_quoting_round_trips(tmp_path: Path) -> None:
    text = 'He said "yes, of course", then left; 本市は「検討する」と回答した。'
    title = "概要, 目的と\"方法\""
    doc = _tiny_document(text, title)
    write_paragraphs_csv(doc, tmp_path)
    write_sections_csv(doc, tmp_path)
    raw = (tmp_path / "paragraphs.csv").read_bytes()
    assert b'"He said ""yes, of course"", then left;' in raw
    rows = read_csv(tmp_path / "paragraphs.csv")
    assert rows == [
        list(PARAGRAPH_COLUMNS), ["tiny", "b0001", "s001", "1", "heading", title], ["tiny", "b0002", "s001", "1", "paragraph", text],
    ]
    sections = read_csv(tmp_path / "sections.csv")
    assert sections[1] == ["s001", "", "1", title, "1", title]


def test_embedded_line_break_round_trips(tmp_path: Path) -> None:
    text = "一行目\r\n二行目, \"引用\""
    write_csv(tmp_path / "x.csv", ("a", "b"), [(text, None)])
    assert read_csv(tmp_path / "x.csv") == [["a", "b"], [text, ""]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [(None, ""), (True, "1"), (False, "0"), (3, "3"), (3.0, "3"), (2.5, "2.5"), ("a,b", "a,b"), ("", "")],
)
def test_format_cell(value, cell: str) -> None:
    assert format_cell(value) == cell


def test_csv_text_quotes_minimally() -> None:
    assert csv_text(("a", "b"), [("x", 'y "z"'), ("1,2", None)]) == 'a,b\r\nx,"y ""z"""\r\n"1,2",\r\n'


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize("fixture_name", ["report_fixture", "text_input_fixture"])
def test_second_run_gives_byte_identical_files(fixture_name: str, request: pytest.FixtureRequest,
                                              tmp_path: Path) -> None:
    path = request.getfixturevalue(fixture_name).path
    outputs = []
    for run in ("first", "second"):
        doc = run_pipeline(path, "same")
        folder = tmp_path / run
        folder.mkdir()
        names = write_outputs(doc, folder)
        outputs.append({name: (folder / name).read_bytes() for name in names})
    assert outputs[0].keys() == outputs[1].keys()
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name
