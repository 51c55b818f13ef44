"""Command line: ``python -m pipeline extract`` end to end, in a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import pipeline
from pipeline.cli import build_parser
from pipeline.sources import file_sha256

from tests.fixtures import report as freport
from tests.fixtures import damaged as fdamaged

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_KEYS = {"doc_id", "file", "sha256", "pages", "status", "error", "outputs", "pipeline_version"}
DOC_FILES = {"document.json", "sections.csv", "paragraphs.csv"}


def run_cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )


# ------------------------------------------------------------------ help


def test_extract_help_documents_every_option() -> None:
    result = run_cli("extract", "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for needle in ("INPUT", "-o", "--output", "OUT", "--max-pages", "N", "manifest.json", "-h", "--help"):
        assert needle in text, needle
    extract = build_parser()._subparsers._group_actions[0].choices["extract"]  # type: ignore[union-attr]
    for action in extract._actions:
        names = action.option_strings or [action.metavar or action.dest]
        for name in names:
            assert name in text, name
        assert action.help and action.help.split("(")[0].strip()[:20] in " ".join(text.split()), action.dest


def test_top_level_help_lists_extract_and_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    assert "extract" in result.stdout
    text = " ".join(result.stdout.split())
    assert re.search(r"exit status: 0 .*\b1 .*\b2 usage error", text), text


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert pipeline.__version__ in result.stdout


def test_unknown_option_is_a_usage_error() -> None:
    result = run_cli("extract", "--no-such-option")
    assert result.returncode == 2
    assert "--no-such-option" in result.stderr


# ------------------------------------------------------------------ a batch with good and bad files


@dataclass
class Batch:
    inputs: Path
    out: Path
    result: subprocess.CompletedProcess[str]
    manifest: dict
    good: dict[str, tuple[Path, int]]
    """doc_id → (input file, pages)."""
    bad: dict[str, tuple[Path, tuple[str, ...]]]
    """doc_id → (input file, words the reason must contain)."""

    def key(self, path: Path) -> str:
        """How the manifest names an input: its path relative to the input folder."""
        return path.relative_to(self.inputs).as_posix()

    def entry(self, doc_id: str) -> dict:
        (found,) = [e for e in self.manifest["documents"] if e["doc_id"] == doc_id]
        return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, report_fixture: freport.ReportFixture,
          text_input_fixture) -> Batch:
    inputs = tmp_path_factory.mktemp("cli_in")
    out = tmp_path_factory.mktemp("cli_out") / "extracted"
    report = inputs / "report.pdf"
    report.write_bytes(report_fixture.path.read_bytes())
    notes = inputs / "sub" / "notes.txt"
    notes.parent.mkdir()
    notes.write_bytes(text_input_fixture.path.read_bytes())
    owner_only = fdamaged.write_owner_only_encrypted_pdf(inputs / "print_only.pdf")
    good = {"report": (report, report_fixture.n_pages), "notes": (notes, 1), "print_only": (owner_only, 1)}
    bad = {
        "download_error": (fdamaged.write_html_as_pdf(inputs / "download_error.pdf"), ("not a pdf", "html")),
        "truncated": (fdamaged.write_truncated_pdf(inputs / "truncated.pdf"), ("truncated",)),
        "locked": (fdamaged.write_encrypted_pdf(inputs / "locked.pdf"), ("encrypted", "password")),
        "no_pages": (fdamaged.write_zero_page_pdf(inputs / "no_pages.pdf"), ("no pages",)),
        "empty": (fdamaged.write_empty_text_file(inputs / "empty.pdf"), ("empty",)),
    }
    (inputs / "readme.md").write_text("not an input", encoding="utf-8")
    result = run_cli("extract", inputs, "-o", out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return Batch(inputs, out, result, manifest, good, bad)


def test_batch_exit_code_is_1_when_some_files_fail(batch: Batch) -> None:
    assert batch.result.returncode == 1, batch.result.stderr


def test_manifest_lists_every_input_once(batch: Batch) -> None:
    documents = batch.manifest["documents"]
    assert batch.manifest["pipeline_version"] == pipeline.__version__
    assert sorted(e["doc_id"] for e in documents) == sorted({**batch.good, **batch.bad})
    assert [e["doc_id"] for e in documents] == sorted(e["doc_id"] for e in documents)
    for entry in documents:
        assert MANIFEST_KEYS <= set(entry), entry
        assert entry["pipeline_version"] == pipeline.__version__


@pytest.mark.parametrize("doc_id", ["report", "notes", "print_only"])
def test_good_files_produce_outputs(batch: Batch, doc_id: str) -> None:
    path, pages = batch.good[doc_id]
    entry = batch.entry(doc_id)
    assert (entry["status"], entry["error"]) == ("ok", None)
    assert entry["file"] == batch.key(path)
    assert entry["pages"] == pages
    assert entry["sha256"] == file_sha256(path)
    folder = batch.out / doc_id
    assert DOC_FILES <= set(entry["outputs"])
    assert sorted(p.name for p in folder.iterdir()) == sorted(entry["outputs"])
    document = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    assert document["doc_id"] == doc_id and document["metadata"]["sha256"] == entry["sha256"]


def test_good_report_content(batch: Batch, report_fixture: freport.ReportFixture) -> None:
    paragraphs = (batch.out / "report" / "paragraphs.csv").read_bytes().decode("utf-8-sig")
    assert "医療用センサー部品" in paragraphs and "Internet of Things" in paragraphs
    assert paragraphs.startswith("doc_id,para_id,section_id,page,kind,text\r\n")
    sections = (batch.out / "report" / "sections.csv").read_bytes().decode("utf-8-sig")
    assert sections.startswith("section_id,parent_id,level,title,page,path\r\n")
    assert sections.count("\r\n") == 1 + sum(1 for h in report_fixture.headings)


@pytest.mark.parametrize("doc_id", ["download_error", "truncated", "locked", "no_pages", "empty"])
def test_bad_files_fail_with_a_clear_reason(batch: Batch, doc_id: str) -> None:
    path, words = batch.bad[doc_id]
    entry = batch.entry(doc_id)
    assert entry["status"] == "failed"
    assert entry["file"] == batch.key(path)
    assert entry["outputs"] == [] and entry["pages"] is None
    reason = (entry["error"] or "").lower()
    for word in words:
        assert word in reason, f"{doc_id}: {entry['error']!r} does not say {word!r}"
    assert not (batch.out / doc_id).exists()
    assert entry["error"] in batch.result.stderr


def test_only_document_folders_and_manifest_are_left(batch: Batch) -> None:
    """No staging or half-written folders remain; hidden files (the run lock) are allowed."""
    visible = sorted(p.name for p in batch.out.iterdir() if not p.name.startswith("."))
    assert [n for n in visible if (batch.out / n).is_dir()] == sorted(batch.good)
    assert "manifest.json" in visible
    hidden_dirs = [p.name for p in batch.out.iterdir() if p.name.startswith(".") and p.is_dir()]
    assert hidden_dirs == []
    assert not [p for p in batch.out.rglob("*") if "tmp" in p.name]


def test_log_names_every_file(batch: Batch) -> None:
    for path, _ in [*batch.good.values(), *batch.bad.values()]:
        assert batch.key(path) in batch.result.stderr, path.name


# Run bookkeeping (timings, the lock) is kept apart from the data on purpose.
NOT_DATA = {"run_log.jsonl", ".lock"}


def data_files(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name not in NOT_DATA}


def test_second_run_is_byte_identical(batch: Batch, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = run_cli("extract", batch.inputs, "-o", again)
    assert result.returncode == 1
    first, second = data_files(batch.out), data_files(again)
    assert Path("manifest.json") in first and Path("report/document.json") in first
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


# ------------------------------------------------------------------ exit codes


def test_all_good_files_exit_0(tmp_path: Path, text_input_fixture) -> None:
    result = run_cli("extract", text_input_fixture.path, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [(e["doc_id"], e["status"]) for e in manifest["documents"]] == [("notes", "ok")]
    assert (tmp_path / "out" / "notes" / "sections.csv").is_file()


def test_missing_input_path_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_folder"
    result = run_cli("extract", missing, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "no_such_folder" in result.stderr
    assert not (tmp_path / "out").exists()


def test_max_pages_limit_fails_the_file(tmp_path: Path, report_fixture: freport.ReportFixture) -> None:
    result = run_cli("extract", report_fixture.path, "-o", tmp_path / "out", "--max-pages", "2")
    assert result.returncode == 1
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["documents"]
    assert entry["status"] == "failed" and "3 pages" in entry["error"] and "--max-pages" in entry["error"]


def test_the_python_api_names_a_missing_file_as_an_input_error(tmp_path: Path) -> None:
    from pipeline.sources import InputError

    with pytest.raises(InputError) as caught:
        pipeline.extract(tmp_path / "missing.pdf")
    assert caught.value.code == "unreadable"
