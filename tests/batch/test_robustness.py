"""Bad inputs: every kind of broken file gets a clear one-line reason, and the good files still come out right.

All inputs are generated here (tests/fixtures/ and a few bytes written by hand); there
are no binary fixtures. One mixed folder is run once through the real command line; the
other tests call the driver in-process (its workers are forked, so monkeypatches made here
reach them too).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import base as fbase
from tests.fixtures import report as freport
from tests.fixtures import layout as flayout
from tests.fixtures import damaged as fdamaged

from pipeline.batch import BatchOptions, ManifestEntry, run_batch
from pipeline.batch import run as batch_run
from pipeline.batch.outputs import LOCK_NAME, STAGING_DIR
from pipeline.config import PipelineConfig
from pipeline.convert import Converter, write_outputs
from pipeline.pdf.open import describe_pdf_error, open_pdf
from pipeline.sources import InputError, file_sha256

PYTHON = sys.executable


def small_pdf(path: Path, text: str) -> Path:
    """A one-page PDF with one line of text."""
    return fbase.write_text_pdf(path, [[fbase.TextLine(text, fbase.MARGIN_L, 72.0, 10.5)]])


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [PYTHON, "-m", "pipeline", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def entries_by_file(out: Path) -> dict[str, dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["file"]: e for e in manifest["documents"]}


# ----------------------------------------------------------------------------- the mixed folder


@dataclass
class MixedRun:
    raw: Path
    out: Path
    result: subprocess.CompletedProcess[str]
    entries: dict[str, dict]
    report: freport.ReportFixture

    def console_line(self, file: str) -> str:
        (line,) = [line for line in self.result.stderr.splitlines() if f" {file}: " in line]
        return line


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> MixedRun:
    raw = tmp_path_factory.mktemp("mixed_raw")
    report = freport.build_report_pdf(raw / "good_report.pdf")
    (raw / "good_notes.txt").write_text("第1章 概要\n\n本市の産業振興について述べる。\n", encoding="utf-8")
    fdamaged.write_html_as_pdf(raw / "html_error_page.pdf")
    (raw / "picture.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (raw / "office.pdf").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    fdamaged.write_empty_text_file(raw / "empty.pdf")
    fdamaged.write_truncated_pdf(raw / "truncated.pdf")
    fdamaged.write_encrypted_pdf(raw / "encrypted.pdf")
    fdamaged.write_owner_only_encrypted_pdf(raw / "owner_only.pdf")
    fdamaged.write_zero_page_pdf(raw / "zero_pages.pdf")
    flayout.build_all_scanned_pdf(raw / "scanned.pdf", n_pages=2)
    flayout.build_no_text_layer_pdf(raw / "half_scanned.pdf")
    fdamaged.write_cid_font_pdf(raw / "cid_font.pdf")
    flayout.build_many_pages_pdf(raw / "too_long.pdf", 6)
    (raw / "sub").mkdir()
    (raw / "sub" / "bad_encoding.txt").write_bytes(b"\xff\xfe\xfa\xff\x80\xff")
    fdamaged.write_empty_text_file(raw / "sub" / "empty.txt")
    out = tmp_path_factory.mktemp("mixed_out") / "extracted"
    result = run_cli("extract", str(raw), "-o", str(out), "--max-pages", "5", "--jobs", "2")
    return MixedRun(raw, out, result, entries_by_file(out), report)


def test_exit_code_is_1_when_some_files_failed(mixed: MixedRun) -> None:
    assert mixed.result.returncode == 1, mixed.result.stderr


def test_every_input_has_exactly_one_entry(mixed: MixedRun) -> None:
    expected = {p.relative_to(mixed.raw).as_posix() for p in mixed.raw.rglob("*") if p.is_file()}
    assert set(mixed.entries) == expected
    assert len({e["doc_id"] for e in mixed.entries.values()}) == len(expected)


# file, error_code, words the reason must contain
FAILURES = [
    ("html_error_page.pdf", "not_pdf", ["not a PDF", "HTML page", "404 Not Found"]),
    ("picture.pdf", "not_pdf", ["not a PDF", "PNG image"]),
    ("office.pdf", "not_pdf", ["not a PDF", "ZIP archive"]),
    ("empty.pdf", "empty_file", ["empty file (0 bytes)"]),
    ("truncated.pdf", "corrupt_pdf", ["corrupt or truncated PDF"]),
    ("encrypted.pdf", "encrypted", ["encrypted PDF", "password"]),
    ("zero_pages.pdf", "no_pages", ["no pages"]),
    ("too_long.pdf", "too_many_pages", ["6 pages", "limit of 5", "--max-pages"]),
    ("sub/bad_encoding.txt", "text_encoding", ["not UTF-8, Shift_JIS or EUC-JP"]),
    ("sub/empty.txt", "empty_file", ["text file is empty"]),
]


@pytest.mark.parametrize(("file", "code", "words"), FAILURES, ids=[f[0] for f in FAILURES])
def test_failure_has_status_code_and_one_line_reason(mixed: MixedRun, file: str, code: str, words: list[str]) -> None:
    entry = mixed.entries[file]
    assert entry["status"] == "failed"
    assert entry["error_code"] == code
    reason = entry["error"]
    assert "\n" not in reason and len(reason) < 300
    for word in words:
        assert word in reason
    assert entry["outputs"] == []
    assert not (mixed.out / entry["doc_id"]).exists()
    # the same reason is printed on the console, on the file's line
    line = mixed.console_line(file)
    assert line.split("] ", 1)[1].startswith("failed") and reason in line


def test_owner_password_only_pdf_is_fine(mixed: MixedRun) -> None:
    entry = mixed.entries["owner_only.pdf"]
    assert entry["status"] == "ok" and entry["pages"] == 1 and not entry["needs_ocr"]
    document = json.loads((mixed.out / entry["doc_id"] / "document.json").read_text(encoding="utf-8"))
    assert any("印刷のみ許可" in b["text"] for b in document["blocks"])


def test_scanned_pdf_is_ok_with_a_warning_per_page_and_needs_ocr(mixed: MixedRun) -> None:
    entry = mixed.entries["scanned.pdf"]
    assert entry["status"] == "ok" and entry["needs_ocr"] is True
    assert entry["warning_codes"] == {"no_text_layer": 2}
    document = json.loads((mixed.out / entry["doc_id"] / "document.json").read_text(encoding="utf-8"))
    warnings = [w for w in document["warnings"] if w["code"] == "no_text_layer"]
    assert [w["page"] for w in warnings] == [1, 2]
    assert all("OCR" in w["message"] for w in warnings)
    assert [p["needs_ocr"] for p in document["pages"]] == [True, True]
    assert "needs OCR: no usable text layer on pages 1-2" in mixed.console_line("scanned.pdf")


def test_partly_scanned_pdf_flags_only_the_image_page(mixed: MixedRun) -> None:
    entry = mixed.entries["half_scanned.pdf"]
    assert entry["status"] == "ok" and entry["needs_ocr"] is True
    document = json.loads((mixed.out / entry["doc_id"] / "document.json").read_text(encoding="utf-8"))
    assert [w["page"] for w in document["warnings"] if w["code"] == "no_text_layer"] == [2]
    assert any("事業の概要" in b["text"] for b in document["blocks"])
    assert "on page 2" in mixed.console_line("half_scanned.pdf")


def test_broken_font_map_is_reported_with_the_share_of_characters(mixed: MixedRun) -> None:
    entry = mixed.entries["cid_font.pdf"]
    assert entry["status"] == "ok"
    assert entry["unmapped_share"] == 1.0
    document = json.loads((mixed.out / entry["doc_id"] / "document.json").read_text(encoding="utf-8"))
    (warning,) = [w for w in document["warnings"] if w["code"] == "unmapped_glyphs"]
    assert "21 of 21 characters (100%)" in warning["message"] and warning["page"] == 1
    # no (cid:NN) ever reaches the text
    assert not any("(cid:" in b["text"] for b in document["blocks"])
    line = mixed.console_line("cid_font.pdf")
    assert "broken font map: 100% of the text (21 of 21 characters on page 1)" in line


def test_good_files_next_to_failures_come_out_as_if_alone(mixed: MixedRun, tmp_path: Path) -> None:
    for file in ("good_report.pdf", "good_notes.txt"):
        entry = mixed.entries[file]
        assert entry["status"] == "ok" and entry["error"] is None and entry["error_code"] is None
        path = mixed.raw / file
        alone = tmp_path / entry["doc_id"]
        alone.mkdir()
        extraction = Converter(PipelineConfig(max_pages=5)).convert(path, entry["doc_id"], file_sha256(path))
        written = write_outputs(extraction, alone)
        assert entry["outputs"] == written
        for name in written:
            assert (mixed.out / entry["doc_id"] / name).read_bytes() == (alone / name).read_bytes(), name
    report = json.loads((mixed.out / "good_report" / "document.json").read_text(encoding="utf-8"))
    assert report["metadata"]["pages"] == mixed.report.n_pages
    assert report["sections"], "the report's headings were found"


def test_summary_line_counts_failures(mixed: MixedRun) -> None:
    last = mixed.result.stderr.strip().splitlines()[-1]
    assert f"{len(FAILURES)} failed" in last
    manifest = json.loads((mixed.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["failed"] == len(FAILURES)
    assert manifest["counts"]["needs_ocr"] == 2  # scanned, half_scanned


def test_no_staging_left_behind(mixed: MixedRun) -> None:
    assert not (mixed.out / STAGING_DIR).exists()
    assert not list(mixed.out.glob(".manifest.json.tmp-*"))


# ----------------------------------------------------------------------------- readers, directly


def test_open_pdf_reasons(tmp_path: Path) -> None:
    cases = {
        fdamaged.write_html_as_pdf(tmp_path / "a.pdf"): "not_pdf",
        fdamaged.write_truncated_pdf(tmp_path / "b.pdf"): "corrupt_pdf",
        fdamaged.write_encrypted_pdf(tmp_path / "c.pdf"): "encrypted",
        fdamaged.write_zero_page_pdf(tmp_path / "d.pdf"): "no_pages",
        fdamaged.write_empty_text_file(tmp_path / "e.pdf"): "empty_file",
    }
    for path, code in cases.items():
        with pytest.raises(InputError) as raised:
            with open_pdf(path):
                pass
        assert raised.value.code == code, (path.name, str(raised.value))
    with pytest.raises(InputError) as raised:
        with open_pdf(tmp_path / "missing.pdf"):
            pass
    assert raised.value.code == "unreadable" and "No such file" in str(raised.value)


def test_pdfminer_errors_during_page_reading_read_as_corrupt() -> None:
    from pdfminer.psexceptions import PSSyntaxError

    reason = describe_pdf_error(PSSyntaxError("invalid token at 1234"))
    assert reason is not None and reason.code == "corrupt_pdf"
    assert "corrupt or truncated PDF" in str(reason) and "invalid token" in str(reason)
    assert describe_pdf_error(ValueError("a bug of ours")) is None


# ----------------------------------------------------------------------------- files that vanish mid-run


@pytest.fixture()
def three_files(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a", "b", "c"):
        small_pdf(raw / f"{name}.pdf", f"{name}の資料。本市の産業振興について述べる。")
    return raw


def _run(raw: Path, out: Path, **options: object) -> tuple[list[ManifestEntry], list[str]]:
    lines: list[str] = []
    entries = run_batch([raw], out, PipelineConfig(), log=lines.append, options=BatchOptions(**options))
    return entries, lines


def test_file_deleted_between_listing_and_processing(three_files: Path, tmp_path: Path, monkeypatch) -> None:
    real_list = batch_run.list_inputs

    def list_then_delete(*args, **kwargs):
        found = real_list(*args, **kwargs)
        (three_files / "b.pdf").unlink()
        return found

    monkeypatch.setattr(batch_run, "list_inputs", list_then_delete)
    entries, lines = _run(three_files, tmp_path / "out")
    by_file = {e.file: e for e in entries}
    assert by_file["b.pdf"].status == "failed" and by_file["b.pdf"].error_code == "unreadable"
    assert by_file["b.pdf"].error == "cannot read file: No such file or directory (moved or deleted during the run?)"
    assert by_file["a.pdf"].status == by_file["c.pdf"].status == "ok"
    assert any("failed  b.pdf: cannot read file" in line for line in lines)


def test_file_deleted_after_hashing_before_the_worker_opens_it(three_files: Path, tmp_path: Path, monkeypatch) -> None:
    real_hash = batch_run.file_sha256

    def hash_then_delete(path: Path) -> str:
        digest = real_hash(path)
        if path.name == "c.pdf":
            path.unlink()
        return digest

    monkeypatch.setattr(batch_run, "file_sha256", hash_then_delete)
    entries, _ = _run(three_files, tmp_path / "out")
    by_file = {e.file: e for e in entries}
    assert by_file["c.pdf"].status == "failed" and by_file["c.pdf"].error_code == "unreadable"
    assert "No such file or directory" in by_file["c.pdf"].error
    assert by_file["c.pdf"].sha256  # it was read once, so the manifest still says which bytes it was
    assert by_file["a.pdf"].status == "ok"


def test_file_replaced_by_a_folder_mid_run(three_files: Path, tmp_path: Path, monkeypatch) -> None:
    real_list = batch_run.list_inputs

    def list_then_swap(*args, **kwargs):
        found = real_list(*args, **kwargs)
        (three_files / "a.pdf").unlink()
        (three_files / "a.pdf").mkdir()
        return found

    monkeypatch.setattr(batch_run, "list_inputs", list_then_swap)
    entries, _ = _run(three_files, tmp_path / "out")
    by_file = {e.file: e for e in entries}
    assert by_file["a.pdf"].status == "failed" and by_file["a.pdf"].error_code == "unreadable"
    assert "Is a directory" in by_file["a.pdf"].error
    assert by_file["b.pdf"].status == "ok"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(three_files: Path, tmp_path: Path) -> None:
    (three_files / "b.pdf").chmod(0)
    try:
        entries, _ = _run(three_files, tmp_path / "out")
    finally:
        (three_files / "b.pdf").chmod(0o644)
    by_file = {e.file: e for e in entries}
    assert by_file["b.pdf"].error_code == "unreadable" and "Permission denied" in by_file["b.pdf"].error


# ----------------------------------------------------------------------------- runaway and crashing files


def test_timeout_stops_a_runaway_file_and_keeps_its_previous_outputs(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    flayout.build_many_pages_pdf(raw / "long.pdf", 60)
    small_pdf(raw / "short.pdf", "短い資料。")
    out = tmp_path / "out"
    first, _ = _run(raw, out)
    assert all(e.status == "ok" for e in first)
    before = {p.name: p.read_bytes() for p in (out / "long").iterdir()}

    entries, lines = _run(raw, out, force=True, timeout_seconds=0.25)
    by_file = {e.file: e for e in entries}
    long = by_file["long.pdf"]
    assert long.status == "failed" and long.error_code == "timeout"
    assert long.error.startswith("timed out after 0.25 s of processing (--timeout); stopped after ")
    assert long.error.endswith(" of 60 pages")
    assert by_file["short.pdf"].status == "ok"
    assert {p.name: p.read_bytes() for p in (out / "long").iterdir()} == before
    assert not (out / STAGING_DIR).exists()
    assert any("failed  long.pdf: timed out after 0.25 s" in line for line in lines)


def test_a_worker_that_dies_is_reported_and_the_others_go_on(three_files: Path, tmp_path: Path, monkeypatch) -> None:
    real_convert = Converter.convert

    def convert_or_die(self, path, *args, **kwargs):
        if path.name == "b.pdf":
            os.kill(os.getpid(), signal.SIGKILL)  # like the kernel's out-of-memory killer
        return real_convert(self, path, *args, **kwargs)

    monkeypatch.setattr(Converter, "convert", convert_or_die)
    entries, _ = _run(three_files, tmp_path / "out", jobs=2)
    by_file = {e.file: e for e in entries}
    assert by_file["b.pdf"].status == "failed" and by_file["b.pdf"].error_code == "crashed"
    assert by_file["b.pdf"].error == "the worker process processing it crashed (killed by SIGKILL, possibly out of memory)"
    assert by_file["a.pdf"].status == by_file["c.pdf"].status == "ok"


def test_an_unexpected_exception_is_an_internal_error_of_that_file_only(three_files: Path, tmp_path: Path, monkeypatch) -> None:
    real_convert = Converter.convert

    def convert_or_raise(self, path, *args, **kwargs):
        if path.name == "a.pdf":
            raise ValueError("boom")
        return real_convert(self, path, *args, **kwargs)

    monkeypatch.setattr(Converter, "convert", convert_or_raise)
    entries, _ = _run(three_files, tmp_path / "out")
    by_file = {e.file: e for e in entries}
    assert by_file["a.pdf"].error_code == "internal_error"
    assert by_file["a.pdf"].error == (
        "internal error: ValueError: boom (please report it with this file; the traceback is in run_log.jsonl)"
    )
    assert by_file["b.pdf"].status == "ok"
    [run] = [json.loads(line) for line in (tmp_path / "out" / "run_log.jsonl").read_text(encoding="utf-8").splitlines()]
    [logged] = [f for f in run["files"] if f["file"] == "a.pdf"]
    assert "ValueError: boom" in logged["traceback"] and "convert_or_raise" in logged["traceback"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("extract", str(tmp_path / "nothing_here"), "-o", str(tmp_path / "o")).returncode == 2
    assert run_cli("extract", str(tmp_path), "--jobs", "-1").returncode == 2
    assert run_cli("extract", str(tmp_path), "--timeout", "soon").returncode == 2
    (tmp_path / "file").write_text("x")
    result = run_cli("extract", str(tmp_path), "-o", str(tmp_path / "file"))
    assert result.returncode == 2 and "not a folder" in result.stderr


def test_a_second_run_on_the_same_output_folder_is_refused(tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with (out / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        result = run_cli("extract", str(tmp_path), "-o", str(out))
    assert result.returncode == 2 and "another run is writing to" in result.stderr
