"""Output contracts, end to end through the command line.

* ``python -m pipeline tag`` (argument and standard input): JSON lines with label, text,
  value, start and end, normalized values, offsets that slice the input;
* ``extract --tokens``: ``tokens.csv`` (columns, BOM, content) and incremental re-runs;
* ``OUT/entities.csv``: the corpus-wide merge of the documents' entities;
* per-document ``entities.csv`` / ``mentions.csv``: columns and offsets into the texts;
* ``tables.csv`` / ``tables/NN.csv`` / ``tables/NN.tidy.csv`` and ``document.json`` against
  its schema.

Every input is a fixture PDF built here with ``tests/fixtures/``; all text is invented.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from pipeline.export.corpus import CORPUS_ENTITY_COLUMNS
from pipeline.export.documents import ENTITY_COLUMNS, MENTION_COLUMNS, PARAGRAPH_COLUMNS, SCHEMA_PATH
from pipeline.export.tables import TABLES_HEADER, TIDY_HEADER
from pipeline.export.tokens import TOKEN_CSV_HEADER

from tests.fixtures import base as fbase
from tests.fixtures import tables as ftables

ROOT = Path(__file__).resolve().parents[2]
BOM = b"\xef\xbb\xbf"

# The columns tokens.csv is documented to have (``--tokens`` help), plus the unidic part of
# speech ``tag`` that ``pipeline.nlp.units.unit_tokens`` documents as the last column.
DOCUMENTED_TOKEN_COLUMNS = ("doc_id", "para_id", "sentence", "i", "surface", "lemma", "pos", "reading")
TOKEN_COLUMNS = DOCUMENTED_TOKEN_COLUMNS + ("tag",)


def run_cli(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=ROOT, env=env, input=stdin if stdin is not None else "", capture_output=True, text=True,
        timeout=180,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV written by the pipeline; checks the BOM and returns dicts keyed by header."""
    header, rows = read_csv_rows(path)
    return [dict(zip(header, row, strict=True)) for row in rows]


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    data = path.read_bytes()
    assert data.startswith(BOM), f"{path.name} has no UTF-8 BOM"
    table = list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))
    assert table, f"{path.name} is empty (not even a header)"
    return table[0], table[1:]


def header_of(path: Path) -> list[str]:
    return read_csv_rows(path)[0]


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# ------------------------------------------------------------------ tag

SENTENCE = "令和5年度に株式会社サンプル精工は経済産業省の見本市ものづくり支援補助金を活用し、約3億5千万円を投じて新工場を整備した。"


def tag_lines(result: subprocess.CompletedProcess[str]) -> list[dict]:
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines, "tag printed nothing"
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def tagged_argument() -> subprocess.CompletedProcess[str]:
    return run_cli("tag", SENTENCE)


def test_tag_prints_one_json_line_per_mention_with_offsets(tagged_argument) -> None:
    rows = tag_lines(tagged_argument)
    for row in rows:
        assert {"label", "text", "value", "start", "end"} <= row.keys(), row
        assert SENTENCE[row["start"]:row["end"]] == row["text"], row
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows), "mentions are not in text order"
    found = {(r["label"], r["text"]): r for r in rows}
    assert set(found) == {
        ("YEAR", "令和5年度"),
        ("ORG", "株式会社サンプル精工"),
        ("ORG", "経済産業省"),
        ("PROGRAM", "見本市ものづくり支援補助金"),
        ("MONEY", "約3億5千万円"),
    }, sorted(found)


def test_tag_normalizes_values(tagged_argument) -> None:
    found = {(r["label"], r["text"]): r for r in tag_lines(tagged_argument)}
    year = found["YEAR", "令和5年度"]
    assert year["value"] == 2023
    assert year["fields"]["fiscal"] is True
    money = found["MONEY", "約3億5千万円"]
    assert money["value"] == 350_000_000
    assert money["fields"]["approx"] is True
    assert money["fields"]["value_min"] == money["fields"]["value_max"] == 350_000_000
    assert found["ORG", "株式会社サンプル精工"]["value"] is None
    assert found["ORG", "株式会社サンプル精工"]["type"] == "company"
    assert found["ORG", "経済産業省"]["value"] is None
    assert found["PROGRAM", "見本市ものづくり支援補助金"]["type"] == "subsidy"


def test_tag_reads_standard_input_the_same_way(tagged_argument) -> None:
    from_stdin = run_cli("tag", stdin=SENTENCE)
    assert tag_lines(from_stdin) == tag_lines(tagged_argument)
    dash = run_cli("tag", "-", stdin=SENTENCE + "\n")
    assert tag_lines(dash) == tag_lines(tagged_argument)


def test_tag_offsets_count_from_the_start_of_the_whole_input() -> None:
    text = "株式会社サンプル精工は見本県に本社を置く。\n\n令和6年度には経済産業省から約1億円の交付を受けた。\n"
    rows = tag_lines(run_cli("tag", stdin=text))
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"], row
    found = {(r["label"], r["text"]): r for r in rows}
    assert found["YEAR", "令和6年度"]["value"] == 2024
    assert found["YEAR", "令和6年度"]["start"] == text.index("令和6年度")
    assert found["MONEY", "約1億円"]["value"] == 100_000_000
    assert found["ORG", "経済産業省"]["start"] == text.index("経済産業省")


@pytest.mark.parametrize(
    ("args", "stdin"),
    [(("tag", ""), None), (("tag",), ""), (("tag",), "  \n\n "), (("tag", "-"), "")],
    ids=["empty-argument", "empty-stdin", "blank-stdin", "dash-empty-stdin"],
)
def test_tag_without_text_is_a_usage_error(args: tuple[str, ...], stdin: str | None) -> None:
    result = run_cli(*args, stdin=stdin)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "no text" in result.stderr


# ------------------------------------------------------------------ fixture inputs

ALPHA = (
    "第1章　設備投資の概要",
    (
        SENTENCE,
        "新工場では精密部品の加工工程を自動化し、生産能力を従来の約1.5倍に高めることを目指している。",
    ),
)
BETA = (
    "第2章　取引先の動向",
    (
        "株式会社サンプル精工との取引は令和6年度に拡大し、見本県内の協力企業も新たに受注を得た。",
        "見本市は、こうした連携を後押しするため、上限500万円の助成を令和7年度まで行う予定である。",
    ),
)
SHARED_ORG = "株式会社サンプル精工"


@dataclass
class Extracted:
    inputs: Path
    out: Path
    first: subprocess.CompletedProcess[str]
    """``extract`` without ``--tokens``."""
    second: subprocess.CompletedProcess[str]
    """``extract --tokens`` into the same folder, inputs unchanged."""
    before: dict[str, bytes]
    """Bytes of files after the first run (relative path → bytes)."""
    manifest_before: dict
    manifest: dict
    run_log: list[dict]
    table: ftables.TableFixture

    def doc(self, doc_id: str) -> Path:
        return self.out / doc_id


DOC_IDS = ("alpha", "beta", "table")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Extracted:
    inputs = tmp_path_factory.mktemp("outputs_in")
    out = tmp_path_factory.mktemp("outputs_out") / "extracted"
    fbase.write_text_pdf(inputs / "alpha.pdf", [fbase.heading_and_paragraphs(*ALPHA)])
    fbase.write_text_pdf(inputs / "beta.pdf", [fbase.heading_and_paragraphs(*BETA)])
    table = ftables.build_ruled_table_pdf(inputs / "table.pdf")

    first = run_cli("extract", inputs, "-o", out, "--no-progress")
    assert first.returncode == 0, first.stderr
    before = {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*")) if path.is_file() and path.name != "run_log.jsonl"
    }
    manifest_before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    second = run_cli("extract", inputs, "-o", out, "--tokens", "--no-progress")
    assert second.returncode == 0, second.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    run_log = [json.loads(line) for line in (out / "run_log.jsonl").read_text(encoding="utf-8").splitlines()]
    return Extracted(inputs, out, first, second, before, manifest_before, manifest, run_log, table)


def test_fixture_inputs_were_extracted(extracted: Extracted) -> None:
    for manifest in (extracted.manifest_before, extracted.manifest):
        assert sorted(e["doc_id"] for e in manifest["documents"]) == list(DOC_IDS)
        assert all(e["status"] == "ok" for e in manifest["documents"]), manifest


# ------------------------------------------------------------------ tokens.csv


def test_no_tokens_csv_without_the_option(extracted: Extracted) -> None:
    for doc_id in DOC_IDS:
        assert f"{doc_id}/document.json" in extracted.before
        assert f"{doc_id}/tokens.csv" not in extracted.before
    for entry in extracted.manifest_before["documents"]:
        assert "tokens.csv" not in entry["outputs"]


def test_tokens_run_after_a_plain_run_reprocesses_the_files(extracted: Extracted) -> None:
    first_log, second_log = extracted.run_log[-2:]
    assert first_log["skipped"] == 0
    assert second_log["skipped"] == 0, "the --tokens run skipped files as unchanged"
    assert sorted(f["doc_id"] for f in second_log["files"]) == list(DOC_IDS)
    assert "0 unchanged (skipped)" in extracted.second.stderr, extracted.second.stderr
    for entry in extracted.manifest["documents"]:
        assert "tokens.csv" in entry["outputs"], entry
        assert (extracted.doc(entry["doc_id"]) / "tokens.csv").is_file()


def test_tokens_csv_columns_and_bom(extracted: Extracted) -> None:
    assert TOKEN_CSV_HEADER == TOKEN_COLUMNS
    for doc_id in DOC_IDS:
        path = extracted.doc(doc_id) / "tokens.csv"
        assert path.read_bytes().startswith(BOM)
        assert header_of(path) == list(TOKEN_COLUMNS)


def test_tokens_csv_covers_every_paragraph(extracted: Extracted) -> None:
    for doc_id in ("alpha", "beta"):
        folder = extracted.doc(doc_id)
        tokens = read_csv(folder / "tokens.csv")
        paragraphs = read_csv(folder / "paragraphs.csv")
        assert tokens and paragraphs
        assert {t["doc_id"] for t in tokens} == {doc_id}
        by_para: dict[str, list[dict[str, str]]] = {}
        for token in tokens:
            by_para.setdefault(token["para_id"], []).append(token)
        for paragraph in paragraphs:
            rows = by_para.get(paragraph["para_id"])
            assert rows, f"no tokens for {paragraph['para_id']}"
            # surfaces rebuild the paragraph (white-space tokens are left out)
            assert "".join(r["surface"] for r in rows) == "".join(paragraph["text"].split())
            indexes = [int(r["i"]) for r in rows]
            assert indexes == sorted(indexes) and len(set(indexes)) == len(indexes)
            sentences = [int(r["sentence"]) for r in rows]
            assert sentences[0] == 0 and sentences == sorted(sentences)
            assert all(r["pos"] and r["lemma"] and r["tag"] for r in rows)
        # 。 ends a sentence: one sentence number per 。 (a heading without one is one sentence)
        for paragraph in paragraphs:
            sentences = {r["sentence"] for r in by_para[paragraph["para_id"]]}
            text = paragraph["text"]
            assert len(sentences) == text.count("。") + (0 if text.endswith("。") else 1)


def test_tokens_csv_token_details(extracted: Extracted) -> None:
    tokens = read_csv(extracted.doc("alpha") / "tokens.csv")
    by_surface = {t["surface"]: t for t in tokens}
    assert by_surface["整備"]["pos"] == "NOUN"
    assert by_surface["整備"]["reading"] == "セイビ"
    assert by_surface["。"]["pos"] == "PUNCT"
    verbs = [t for t in tokens if t["pos"] == "VERB"]
    lemmas = {t["surface"]: t["lemma"] for t in verbs}
    assert lemmas["投じ"] == "投ずる"  # unidic's lemma form
    assert lemmas["目指し"] == "目指す"


def test_tokens_option_help_names_every_tokens_csv_column() -> None:
    """``extract --help`` documents the columns of tokens.csv; it must name all that are written."""
    result = run_cli("extract", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    found = re.search(r"--tokens also write tokens\.csv per document \(([^)]*)\)", text)
    assert found, text
    documented = found.group(1).replace(",", " ").replace(";", " ").split()
    missing = [c for c in TOKEN_CSV_HEADER if c not in documented]
    assert not missing, f"tokens.csv has columns the --tokens help does not name: {missing}"


# ------------------------------------------------------------------ corpus entities.csv


def test_corpus_entities_columns_and_bom(extracted: Extracted) -> None:
    path = extracted.out / "entities.csv"
    assert path.read_bytes().startswith(BOM)
    assert header_of(path) == list(CORPUS_ENTITY_COLUMNS)
    assert CORPUS_ENTITY_COLUMNS == (
        "corpus_entity_id", "label", "type", "name", "aliases", "value", "value_min", "value_max",
        "approx", "bound", "per", "negative", "fiscal", "month", "mentions", "documents", "doc_ids",
    )


def test_corpus_entities_merge_one_entity_across_documents(extracted: Extracted) -> None:
    rows = read_csv(extracted.out / "entities.csv")
    assert [r["corpus_entity_id"] for r in rows] == [f"C{n:05d}" for n in range(1, len(rows) + 1)]
    shared = [r for r in rows if r["label"] == "ORG" and r["name"] == SHARED_ORG]
    assert len(shared) == 1, shared
    (row,) = shared
    assert row["type"] == "company"
    assert row["documents"] == "2"
    assert row["doc_ids"] == "alpha|beta"
    per_doc = [
        e for doc_id in ("alpha", "beta") for e in read_csv(extracted.doc(doc_id) / "entities.csv")
        if e["name"] == SHARED_ORG
    ]
    assert len(per_doc) == 2
    assert row["mentions"] == str(sum(int(e["mentions"]) for e in per_doc))


def test_corpus_entities_keep_single_document_entities_apart(extracted: Extracted) -> None:
    rows = read_csv(extracted.out / "entities.csv")
    keys = [(r["label"], r["name"]) for r in rows]
    assert len(keys) == len(set(keys)), "one entity has two corpus rows"
    years = {r["value"]: r for r in rows if r["label"] == "YEAR"}
    assert years["2023"]["doc_ids"] == "alpha" and years["2023"]["documents"] == "1"
    assert years["2023"]["fiscal"] == "1"
    assert years["2024"]["doc_ids"] == "beta"
    (caption_year,) = re.findall(r"(\d{4})年", extracted.table.caption or "")
    assert years[caption_year]["doc_ids"] == "table"
    assert years["2023"]["aliases"] == "令和5年度"
    money = [r for r in rows if r["label"] == "MONEY" and r["value_min"] == "350000000"]
    assert len(money) == 1 and money[0]["approx"] == "1" and money[0]["doc_ids"] == "alpha"
    capped = [r for r in rows if r["label"] == "MONEY" and r["value"] == "5000000"]
    assert len(capped) == 1 and capped[0]["bound"] == "max" and capped[0]["doc_ids"] == "beta"
    # grouped by label, entities found in more documents first
    order = [(r["label"], -int(r["documents"])) for r in rows]
    assert order == sorted(order)
    for row in rows:
        ids = row["doc_ids"].split("|")
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert row["documents"] == str(len(ids))
        assert set(ids) <= set(DOC_IDS)


def test_corpus_entities_bytes_are_the_same_on_a_second_run(extracted: Extracted) -> None:
    after = (extracted.out / "entities.csv").read_bytes()
    assert after == extracted.before["entities.csv"]
    for doc_id in DOC_IDS:
        for name in ("entities.csv", "mentions.csv", "document.json", "paragraphs.csv", "tables.csv"):
            key = f"{doc_id}/{name}"
            assert (extracted.out / key).read_bytes() == extracted.before[key], key


# ------------------------------------------------------------------ per-document entities / mentions


def test_document_entities_and_mentions_columns(extracted: Extracted) -> None:
    for doc_id in DOC_IDS:
        folder = extracted.doc(doc_id)
        assert header_of(folder / "entities.csv") == list(ENTITY_COLUMNS)
        assert header_of(folder / "mentions.csv") == list(MENTION_COLUMNS)
        assert header_of(folder / "paragraphs.csv") == list(PARAGRAPH_COLUMNS)


def test_document_entities_match_document_json(extracted: Extracted) -> None:
    for doc_id in DOC_IDS:
        folder = extracted.doc(doc_id)
        data = json.loads((folder / "document.json").read_text(encoding="utf-8"))
        entities = read_csv(folder / "entities.csv")
        mentions = read_csv(folder / "mentions.csv")
        assert [e["entity_id"] for e in entities] == [e["entity_id"] for e in data["entities"]]
        assert [(m["entity_id"], m["char_start"]) for m in mentions] == [
            (m["entity_id"], str(m["char_start"])) for m in data["mentions"]
        ]
        assert {e["doc_id"] for e in entities + mentions} <= {doc_id}
        counts: dict[str, int] = {}
        for mention in mentions:
            counts[mention["entity_id"]] = counts.get(mention["entity_id"], 0) + 1
        for entity in entities:
            assert int(entity["mentions"]) == counts.get(entity["entity_id"], 0), entity


def test_mention_offsets_slice_the_paragraph_text(extracted: Extracted) -> None:
    checked = 0
    for doc_id in DOC_IDS:
        folder = extracted.doc(doc_id)
        paragraphs = {p["para_id"]: p["text"] for p in read_csv(folder / "paragraphs.csv")}
        for mention in read_csv(folder / "mentions.csv"):
            if mention["source"] != "paragraph":
                continue
            assert mention["para_id"] in paragraphs, mention
            text = paragraphs[mention["para_id"]]
            start, end = int(mention["char_start"]), int(mention["char_end"])
            assert 0 <= start < end <= len(text), mention
            assert text[start:end] == mention["text"], (mention, text)
            checked += 1
    assert checked >= 8


def test_mention_offsets_in_headings_and_table_cells(extracted: Extracted) -> None:
    for doc_id in DOC_IDS:
        folder = extracted.doc(doc_id)
        data = json.loads((folder / "document.json").read_text(encoding="utf-8"))
        blocks = {b["block_id"]: b for b in data["blocks"]}
        tables = {t["table_id"]: t for t in data["tables"]}
        for mention in data["mentions"]:
            if mention["source"] == "heading":
                text = blocks[mention["para_id"]]["text"]
                assert blocks[mention["para_id"]]["kind"] in ("heading", "title")
            elif mention["source"] == "table":
                table_id, cell = mention["para_id"][1:].split(":r")
                row, col = cell.split("c")
                text = tables[table_id]["rows"][int(row)][int(col)]
            else:
                text = blocks[mention["para_id"]]["text"]
            assert text[mention["char_start"]:mention["char_end"]] == mention["text"], mention


def test_document_mentions_have_the_expected_values(extracted: Extracted) -> None:
    mentions = read_csv(extracted.doc("alpha") / "mentions.csv")
    found = {(m["label"], m["text"]): m for m in mentions}
    assert found["YEAR", "令和5年度"]["value"] == "2023"
    assert found["MONEY", "約3億5千万円"]["value"] == "350000000"
    assert found["ORG", SHARED_ORG]["source"] == "paragraph"
    assert ("PROGRAM", "見本市ものづくり支援補助金") in found
    entities = {(e["label"], e["name"]): e for e in read_csv(extracted.doc("alpha") / "entities.csv")}
    assert entities["YEAR", "2023年度"]["fiscal"] == "1"
    assert entities["MONEY", "約3億5千万円"]["approx"] == "1"


# ------------------------------------------------------------------ tables and document.json


def test_table_files_exist_with_bom(extracted: Extracted) -> None:
    folder = extracted.doc("table")
    for name in ("tables.csv", "tables/01.csv", "tables/01.tidy.csv"):
        assert (folder / name).read_bytes().startswith(BOM), name
    entry = next(e for e in extracted.manifest["documents"] if e["doc_id"] == "table")
    assert {"tables.csv", "tables/01.csv", "tables/01.tidy.csv"} <= set(entry["outputs"])
    assert sorted(p.name for p in (folder / "tables").iterdir()) == ["01.csv", "01.tidy.csv"]
    # documents without tables still get a header-only tables.csv
    assert read_csv_rows(extracted.doc("alpha") / "tables.csv") == (list(TABLES_HEADER), [])


def test_tables_csv_describes_the_ruled_table(extracted: Extracted) -> None:
    folder = extracted.doc("table")
    assert header_of(folder / "tables.csv") == list(TABLES_HEADER)
    (row,) = read_csv(folder / "tables.csv")
    fixture = extracted.table
    assert row["table_id"] == "01"
    assert row["page"] == "1"
    assert row["caption"] == fixture.caption
    assert row["source_note"] == fixture.source_note
    assert (row["n_rows"], row["n_cols"]) == (str(len(fixture.grid)), str(len(fixture.grid[0])))
    assert row["header_rows"] == str(fixture.n_header_rows)
    assert row["kind"] == "grid" and row["continuation_of"] == ""
    assert len(row["bbox"].split()) == 4


def test_printed_table_csv_is_the_grid(extracted: Extracted) -> None:
    header, rows = read_csv_rows(extracted.doc("table") / "tables" / "01.csv")
    assert [header, *rows] == [list(r) for r in extracted.table.grid]


def test_tidy_table_csv(extracted: Extracted) -> None:
    path = extracted.doc("table") / "tables" / "01.tidy.csv"
    assert header_of(path) == list(TIDY_HEADER)
    rows = read_csv(path)
    grid = extracted.table.grid
    body_cells = [(r, c) for r in range(1, len(grid)) for c in range(1, len(grid[0]))]
    assert sorted((int(x["row"]), int(x["col"])) for x in rows) == body_cells
    cell = {(x["row_label"], x["column_header"]): x for x in rows}
    young = cell["年少人口", "人口（人）"]
    assert (young["value"], young["raw_text"], young["is_total_row"]) == ("19873", "19,873", "0")
    assert (young["unit"], young["multiplier"], young["value_yen"]) == ("人", "1", "")  # not an amount of money
    assert cell["総数", "構成比"]["is_total_row"] == "1" and cell["総数", "構成比"]["is_total_col"] == "0"
    assert cell["生産年齢人口", "増減率"]["value"] == "-4.1"
    assert {x["table_id"] for x in rows} == {"01"}


def test_document_json_of_every_output_validates(extracted: Extracted, schema_validator) -> None:
    for doc_id in DOC_IDS:
        data = json.loads((extracted.doc(doc_id) / "document.json").read_text(encoding="utf-8"))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator.iter_errors(data)]
        assert not errors, errors[:5]
    data = json.loads((extracted.doc("table") / "document.json").read_text(encoding="utf-8"))
    (table,) = data["tables"]
    assert table["rows"] == [list(r) for r in extracted.table.grid]
    assert table["cells"] and data["entities"] and data["mentions"]


def test_schema_lists_every_field_of_tables_entities_and_mentions(extracted: Extracted,
                                                                   schema_validator) -> None:
    """Every key the pipeline writes is required by the schema, and no other key is allowed."""
    schema = schema_validator.schema
    docs = [json.loads((extracted.doc(d) / "document.json").read_text(encoding="utf-8")) for d in DOC_IDS]
    for part in ("pages", "sections", "blocks", "tables", "entities", "mentions"):
        items = schema["properties"][part]["items"]
        assert items.get("additionalProperties") is False, part
        written = [item for data in docs for item in data[part]]
        assert written, part
        for item in written:
            assert set(item) == set(items["required"]) == set(items["properties"]), part
    cell_schema = schema["$defs"]["tableCell"]
    cells = [cell for data in docs for table in data["tables"] for cell in table["cells"]]
    assert cells
    for cell in cells:
        assert set(cell) == set(cell_schema["required"]) == set(cell_schema["properties"])


@pytest.mark.parametrize(
    ("part", "field", "bad"),
    [
        ("tables", "kind", "matrix"),
        ("tables", "cells", [{"row": 0, "col": 0, "text": "x"}]),
        ("tables", "extra_field", 1),
        ("entities", "label", "PERSON"),
        ("entities", "approx", "yes"),
        ("entities", "bound", "around"),
        ("mentions", "source", "footnote"),
        ("mentions", "char_start", -1),
        ("mentions", "value", "2023"),
        ("blocks", "footnote_marks", None),
        ("pages", "needs_ocr", None),
    ],
)
def test_schema_rejects_broken_fields(extracted: Extracted, schema_validator, part: str, field: str,
                                      bad: object) -> None:
    data = json.loads((extracted.doc("table") / "document.json").read_text(encoding="utf-8"))
    assert not list(schema_validator.iter_errors(data))
    data[part][0][field] = bad
    assert list(schema_validator.iter_errors(data)), (part, field, bad)


def test_schema_rejects_a_missing_field(extracted: Extracted, schema_validator) -> None:
    data = json.loads((extracted.doc("alpha") / "document.json").read_text(encoding="utf-8"))
    for part, field in (("entities", "fiscal"), ("mentions", "para_id"), ("blocks", "heading_level")):
        broken = json.loads(json.dumps(data))
        del broken[part][0][field]
        assert list(schema_validator.iter_errors(broken)), (part, field)
