"""Batches on a Dask cluster: a LocalCluster run writes the same bytes as --jobs 1."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from pipeline.batch import BatchOptions
from pipeline.settings import SettingError
from tests.batch.test_cli import run_cli
from tests.fixtures import base as fbase

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("distributed", reason="the optional [dask] extra is not installed")


def _inputs(folder: Path) -> Path:
    folder.mkdir()
    for pdf in (ROOT / "raw").glob("*.pdf"):
        shutil.copy(pdf, folder / pdf.name)
    for name, text in (("notice", "見本市は令和6年度に上限500万円を助成する。"), ("memo", "株式会社サンプル精工は新工場を整備した。")):
        page = fbase.PageSpec(lines=[fbase.TextLine("第1章　概要", fbase.MARGIN_L, 72.0, 14.0, bold=True),
                                     fbase.TextLine(text, fbase.MARGIN_L, 100.0, 10.5)])
        fbase.write_pdf(folder / f"{name}.pdf", [page])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")  # cut short
    return folder


def _same_tree(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only (run_log.jsonl holds timings: left out)."""
    differ: list[str] = []
    compared = filecmp.dircmp(left, right, ignore=["run_log.jsonl"])
    stack = [(compared, Path())]
    while stack:
        node, where = stack.pop()
        differ += [str(where / n) for n in node.left_only + node.right_only + node.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(node.left, node.right, node.common_files, shallow=False)
        differ += [str(where / n) for n in mismatch + errors]
        stack += [(sub, where / name) for name, sub in node.subdirs.items()]
    return differ


def test_a_local_cluster_run_gives_the_bytes_of_jobs_1_and_reports_a_bad_file(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "raw")
    dask_run = run_cli("extract", inputs, "-o", tmp_path / "dask", "--executor", "dask", "--scheduler", "local:2",
                       cwd=tmp_path)
    assert dask_run.returncode == 1, dask_run.stderr  # one file failed; the others were written
    assert "failed  broken.pdf" in dask_run.stderr + dask_run.stdout
    single = run_cli("extract", inputs, "-o", tmp_path / "single", "-j", "1", cwd=tmp_path)
    assert single.returncode == 1, single.stderr
    assert (tmp_path / "dask" / "notice" / "facts.csv").is_file()
    assert _same_tree(tmp_path / "dask", tmp_path / "single") == []


@pytest.mark.parametrize(("scheduler", "reason"), [
    (None, "needs --scheduler"),
    ("local:0", "N >= 1"),
    ("my-host", "tcp://"),
])
def test_a_dask_run_needs_a_usable_scheduler(scheduler: str | None, reason: str) -> None:
    with pytest.raises(SettingError, match=reason):
        BatchOptions(executor="dask", scheduler=scheduler)


def test_the_cli_refuses_an_unknown_executor_and_a_missing_scheduler(tmp_path: Path) -> None:
    unknown = run_cli("extract", "-o", tmp_path / "out", "--executor", "threads", cwd=ROOT)
    assert unknown.returncode == 2
    missing = run_cli("extract", "-o", tmp_path / "out", "--executor", "dask", cwd=ROOT)
    assert missing.returncode == 2 and "--scheduler" in missing.stderr
