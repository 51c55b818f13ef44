"""Batch runs: atomic folders, incremental re-runs, pruning, determinism, --jobs, interrupts.

Interrupt tests start the real command line in a subprocess, wait until it is writing
(its staging folder appears), then send SIGINT or SIGKILL, and check that every document
folder is complete and the earlier outputs are intact.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import base as fbase
from tests.fixtures import report as freport
from tests.fixtures import layout as flayout
from tests.fixtures import damaged as fdamaged

from pipeline.batch import BatchOptions, ManifestEntry, manifest, read_manifest, run_batch
from pipeline.batch.inputs import assign_doc_ids, list_inputs
from pipeline.batch.outputs import STAGING_DIR, recover_staging, replace_folder_atomically
from pipeline.batch.run import RUN_LOG_NAME
from pipeline.config import PipelineConfig

PYTHON = sys.executable


def small_pdf(path: Path, text: str) -> Path:
    return fbase.write_text_pdf(path, [[fbase.TextLine(text, fbase.MARGIN_L, 72.0, 10.5)]])


def cli(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [PYTHON, "-m", "pipeline", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([PYTHON, "-m", "pipeline", *args], capture_output=True, text=True, env=env, timeout=120)


def batch(raw: Path, out: Path, **options: object) -> tuple[list[ManifestEntry], list[str]]:
    lines: list[str] = []
    entries = run_batch([raw], out, PipelineConfig(), log=lines.append, options=BatchOptions(**options))
    return entries, lines


def tree(out: Path) -> dict[str, bytes]:
    """Every data file under ``out`` (the run log and hidden bookkeeping left out)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != RUN_LOG_NAME and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def processed(lines: list[str]) -> set[str]:
    """Files the run processed, from its log lines ('[1/3] ok      a.pdf: …')."""
    return {line.split()[2].rstrip(":") for line in lines if line.startswith("[")}


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "sub").mkdir(parents=True)
    freport.build_report_pdf(folder / "report.pdf")
    small_pdf(folder / "a.pdf", "第1章　概要")
    small_pdf(folder / "sub" / "a.pdf", "同じ名前の別の資料。")
    (folder / "notes.txt").write_text("第1章 概要\n\n本市の産業振興について述べる。\n", encoding="utf-8")
    fdamaged.write_html_as_pdf(folder / "broken.pdf")
    return folder


# ----------------------------------------------------------------------------- inputs and ids


def test_inputs_are_keyed_by_relative_path_and_hidden_files_are_skipped(raw: Path, tmp_path: Path) -> None:
    (raw / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    (raw / ".cache").mkdir()
    small_pdf(raw / ".cache" / "x.pdf", "x")
    (raw / "extracted").mkdir()  # an output folder inside the input folder is not read back
    small_pdf(raw / "extracted" / "y.pdf", "y")
    (raw / "folder.pdf").mkdir()  # a folder with a PDF name is not an input
    keys = [f.key for f in list_inputs([raw], exclude=raw / "extracted")]
    assert keys == ["a.pdf", "broken.pdf", "notes.txt", "report.pdf", "sub/a.pdf"]
    keys = [f.key for f in list_inputs([raw / "a.pdf", raw / "sub"])]
    assert keys == ["a.pdf", "sub/a.pdf"]


def test_doc_ids_are_unique_and_kept_across_runs(tmp_path: Path) -> None:
    files = [Path("x/a.pdf"), Path("y/a.pdf"), Path("a.txt")]
    ids = assign_doc_ids(files)
    assert sorted(ids.values()) == ["a", "a_pdf", "a_txt"]
    again = assign_doc_ids([Path("new/a.pdf"), *files], reserved=ids)
    assert {p: again[p] for p in files} == ids and again[Path("new/a.pdf")] == "a_2"
    assert assign_doc_ids([Path("a.pdf")], taken=["a"]) == {Path("a.pdf"): "a_pdf"}
    assert assign_doc_ids([Path("a.pdf")], reserved={Path("a.pdf"): "../evil"}) == {Path("a.pdf"): "a"}


# ----------------------------------------------------------------------------- atomic folders


def test_a_failed_build_leaves_the_previous_folder_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out" / "doc"
    target.mkdir(parents=True)
    (target / "document.json").write_text("old")

    def half_then_fail(folder: Path) -> list[str]:
        (folder / "document.json").write_text("new, half written")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replace_folder_atomically(half_then_fail, target)
    assert (target / "document.json").read_text() == "old"
    assert not (tmp_path / "out" / STAGING_DIR).exists() or not any((tmp_path / "out" / STAGING_DIR).rglob("document.json"))

    replace_folder_atomically(lambda folder: [(folder / "document.json").write_text("new") and "document.json"], target)
    assert (target / "document.json").read_text() == "new"


def test_recovery_after_a_process_died_between_the_two_renames(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = out / STAGING_DIR / "99999"
    (dead / "new" / "half").mkdir(parents=True)
    (dead / "new" / "half" / "document.json").write_text("partial")
    (dead / "old" / "moved_away").mkdir(parents=True)  # previous outputs, moved aside, new ones never arrived
    (dead / "old" / "moved_away" / "document.json").write_text("previous")
    (dead / "old" / "swapped").mkdir(parents=True)  # the new folder did arrive: the old copy is garbage
    (out / "swapped").mkdir()
    (out / "swapped" / "document.json").write_text("new")
    recover_staging(out)
    assert (out / "moved_away" / "document.json").read_text() == "previous"
    assert (out / "swapped" / "document.json").read_text() == "new"
    assert not (out / "half").exists() and not (out / STAGING_DIR).exists()


# ----------------------------------------------------------------------------- incremental runs


def test_second_run_skips_unchanged_files_and_changes_nothing(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, lines = batch(raw, out)
    assert processed(lines) == {"a.pdf", "broken.pdf", "notes.txt", "report.pdf", "sub/a.pdf"}
    before = tree(out)
    inode = (out / "report").stat().st_ino
    second, lines = batch(raw, out)
    assert processed(lines) == {"broken.pdf"}  # failures are tried again; ok files are skipped
    assert any("4 unchanged and skipped (--force redoes them)" in line for line in lines)
    assert tree(out) == before
    assert (out / "report").stat().st_ino == inode
    assert second == first
    log = [json.loads(line) for line in (out / RUN_LOG_NAME).read_text(encoding="utf-8").splitlines()]
    assert len(log) == 2 and log[1]["skipped"] == 4 and "started" in log[1]


def test_changed_file_is_redone_and_force_redoes_all(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch(raw, out)
    small_pdf(raw / "a.pdf", "第2章　変更後の内容")
    _, lines = batch(raw, out)
    assert processed(lines) == {"a.pdf", "broken.pdf"}
    assert "変更後の内容" in (out / "a" / "document.json").read_text(encoding="utf-8")
    _, lines = batch(raw, out, force=True)
    assert processed(lines) == {"a.pdf", "broken.pdf", "notes.txt", "report.pdf", "sub/a.pdf"}


def test_new_pipeline_version_redoes_all(raw: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    batch(raw, out)
    monkeypatch.setattr(manifest, "__version__", "999.0")
    _, lines = batch(raw, out)
    assert processed(lines) == {"a.pdf", "broken.pdf", "notes.txt", "report.pdf", "sub/a.pdf"}


def test_deleted_output_folder_is_rebuilt(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch(raw, out)
    (out / "notes" / "sections.csv").unlink()
    _, lines = batch(raw, out)
    assert processed(lines) == {"notes.txt", "broken.pdf"}
    assert (out / "notes" / "sections.csv").exists()


def test_removed_input_is_reported_kept_and_pruned_only_with_prune(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch(raw, out)
    (raw / "notes.txt").unlink()
    entries, lines = batch(raw, out)
    (notes,) = [e for e in entries if e.file == "notes.txt"]
    assert notes.status == "removed" and "--prune" in notes.error
    assert (out / "notes" / "document.json").exists()
    assert any(line.startswith("removed input: notes.txt: its outputs in") for line in lines)
    # a new input with the same stem does not take over the kept folder
    small_pdf(raw / "notes.pdf", "新しい資料。")
    entries, _ = batch(raw, out)
    (new,) = [e for e in entries if e.file == "notes.pdf"]
    assert new.doc_id != "notes" and (out / "notes" / "document.json").exists()
    # removed entries are not failures
    assert run_cli("extract", str(raw / "report.pdf"), "-o", str(tmp_path / "single")).returncode == 0
    entries, lines = batch(raw, out, prune=True)
    assert "notes.txt" not in {e.file for e in entries}
    assert not (out / "notes").exists()
    assert any("removed input: notes.txt: deleted" in line for line in lines)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["removed"] == 0


def test_unreadable_previous_manifest_means_a_full_run(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch(raw, out)
    (out / "manifest.json").write_text("{ not json", encoding="utf-8")
    _, lines = batch(raw, out)
    assert any("cannot be read" in line for line in lines)
    assert processed(lines) == {"a.pdf", "broken.pdf", "notes.txt", "report.pdf", "sub/a.pdf"}


# ----------------------------------------------------------------------------- determinism and jobs


def test_reruns_and_jobs_give_byte_identical_outputs(raw: Path, tmp_path: Path) -> None:
    flayout.build_no_text_layer_pdf(raw / "scan.pdf")
    fdamaged.write_cid_font_pdf(raw / "cid.pdf")
    one = run_cli("extract", str(raw), "-o", str(tmp_path / "one"), "--jobs", "1")
    again = run_cli("extract", str(raw), "-o", str(tmp_path / "again"), "--jobs", "1", "--force")
    two = run_cli("extract", str(raw), "-o", str(tmp_path / "two"), "--jobs", "2")
    assert one.returncode == again.returncode == two.returncode == 1  # broken.pdf
    reference = tree(tmp_path / "one")
    assert "manifest.json" in reference and "report/document.json" in reference
    assert tree(tmp_path / "again") == reference
    assert tree(tmp_path / "two") == reference
    for data in reference.values():
        assert b"run_log" not in data
    log = (tmp_path / "two" / RUN_LOG_NAME).read_text(encoding="utf-8")
    assert json.loads(log)["jobs"] == 2


def test_plain_log_lines_when_not_a_terminal(raw: Path, tmp_path: Path) -> None:
    result = run_cli("extract", str(raw), "-o", str(tmp_path / "out"))
    assert "\r" not in result.stderr and "\x1b[" not in result.stderr
    lines = result.stderr.splitlines()
    assert sum(line.startswith("[") for line in lines) == 5
    quiet = run_cli("extract", str(raw), "-o", str(tmp_path / "quiet"), "--quiet")
    assert [line for line in quiet.stderr.splitlines() if line.startswith("[")] == [
        line for line in lines if line.startswith("[") and "failed" in line
    ]


# ----------------------------------------------------------------------------- interrupts


@pytest.fixture()
def long_inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "long"
    folder.mkdir()
    for number in range(3):
        flayout.build_many_pages_pdf(folder / f"long_{number}.pdf", 60)
    return folder


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.005)


def _complete(out: Path, doc_id: str) -> bool:
    folder = out / doc_id
    names = sorted(p.name for p in folder.iterdir())
    json.loads((folder / "document.json").read_text(encoding="utf-8"))  # parses: not cut short
    return names == ["document.json", "entities.csv", "mentions.csv", "paragraphs.csv", "sections.csv"] or bool(names)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupted_run_keeps_earlier_outputs_and_leaves_no_partial_folder(
    long_inputs: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "out"
    first = run_cli("extract", str(long_inputs), "-o", str(out))
    assert first.returncode == 0, first.stderr
    earlier = tree(out)
    # Change every input (61 pages now), so that new and old outputs differ.
    for number in range(3):
        flayout.build_many_pages_pdf(long_inputs / f"long_{number}.pdf", 61)

    process = cli("extract", str(long_inputs), "-o", str(out))
    _wait_for(lambda: (out / STAGING_DIR).exists() or process.poll() is not None)
    time.sleep(0.05)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "interrupted: " in stderr and "earlier outputs are intact" in stderr
        assert not (out / STAGING_DIR).exists()
    else:
        time.sleep(0.5)  # the workers die with their parent: nothing changes after this
    settled = tree(out)
    time.sleep(1.0)
    assert tree(out) == settled

    # Each document folder is either the earlier one, byte for byte, or a complete new one.
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    visible = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert visible == ["long_0", "long_1", "long_2"]
    for doc_id in visible:
        files = {k: v for k, v in settled.items() if k.startswith(doc_id + "/")}
        old = {k: v for k, v in earlier.items() if k.startswith(doc_id + "/")}
        if files != old:
            document = json.loads(files[f"{doc_id}/document.json"])
            assert document["metadata"]["pages"] == 61
            assert set(files) == set(old)
    if sig == signal.SIGINT:  # the manifest was rewritten on the way out and matches the folders
        for entry in manifest["documents"]:
            document = json.loads((out / entry["doc_id"] / "document.json").read_text(encoding="utf-8"))
            assert document["metadata"]["sha256"] == entry["sha256"]

    # The next run cleans up whatever was left and finishes the job.
    final = run_cli("extract", str(long_inputs), "-o", str(out))
    assert final.returncode == 0, final.stderr
    assert not (out / STAGING_DIR).exists()
    for doc_id in visible:
        document = json.loads((out / doc_id / "document.json").read_text(encoding="utf-8"))
        assert document["metadata"]["pages"] == 61


def test_removed_input_without_outputs_just_leaves_the_manifest(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch(raw, out)
    (raw / "broken.pdf").unlink()
    entries, lines = batch(raw, out)
    assert "broken.pdf" not in {e.file for e in entries}
    assert "removed input: broken.pdf: it had no outputs; dropped from the manifest" in lines


def test_progress_bars_on_a_terminal() -> None:
    import io

    from pipeline.batch.console import BatchConsole

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    console = BatchConsole(2, stream=screen)
    assert console.bar
    console.pages_opened("a", 3)
    for _ in range(3):
        console.page_read("a")
    console.file_finished("a", "ok      a.pdf: 3 pages", failed=False, noteworthy=False, n_pages=3)
    console.file_finished("b", "failed  b.pdf: not a PDF", failed=True, noteworthy=False, n_pages=0)
    console.close()
    shown = screen.getvalue()
    assert "files: 100%" in shown and "2/2" in shown and "pages: 100%" in shown and "3/3" in shown
    assert "[2/2] failed  b.pdf: not a PDF" in shown and "a.pdf: 3 pages" not in shown  # only failures get a line
    plain = io.StringIO()
    console = BatchConsole(1, stream=plain)
    assert not console.bar
    console.file_finished("a", "ok      a.pdf: 3 pages", failed=False, noteworthy=False, n_pages=3)
    assert plain.getvalue() == "[1/1] ok      a.pdf: 3 pages\n"


def test_an_input_named_another_way_keeps_its_entry_and_doc_id(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    small_pdf(raw / "a.pdf", "地域産業の概要。")
    other = tmp_path / "other"
    other.mkdir()
    small_pdf(other / "b.pdf", "別の資料の概要。")
    out = tmp_path / "out"
    run_batch([raw], out, PipelineConfig(), options=BatchOptions(quiet=True, progress=False, timeout_seconds=None), log=lambda line: None)
    before, _ = read_manifest(out)
    entries = run_batch([raw, other / "b.pdf"], out, PipelineConfig(), options=BatchOptions(quiet=True, progress=False, timeout_seconds=None), log=lambda line: None)
    statuses = {e.doc_id: e.status for e in entries}
    assert statuses == {"a": "ok", "b": "ok"}
    assert not (out / "a_pdf").exists()
    (a_before,) = [e for e in before if e.doc_id == "a"]
    (a_after,) = [e for e in entries if e.doc_id == "a"]
    assert a_after.sha256 == a_before.sha256

