"""Every id referenced in any output exists in the file that defines it: the committed
sample, and a run over generated fixture PDFs (reports, tables, slides, two columns)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import layout as flayout
from tests.fixtures import report as freport
from tests.fixtures import tables as ftables
from tests.fixtures.references import broken_references

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_OUTPUT = ROOT / "extracted"


@pytest.mark.skipif(not (SAMPLE_OUTPUT / "manifest.json").exists(), reason="no committed sample outputs")
def test_committed_sample_has_no_dangling_ids() -> None:
    assert broken_references(SAMPLE_OUTPUT) == []


def test_fixture_outputs_have_no_dangling_ids(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    freport.build_report_pdf(inputs / "report.pdf")
    flayout.build_two_column_pdf(inputs / "two_column.pdf")
    flayout.build_slide_pdf(inputs / "slide.pdf")
    ftables.build_ruled_table_pdf(inputs / "table.pdf")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(out), "--tokens", "--no-progress"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")) == [
        "report", "slide", "table", "two_column",
    ]
    assert broken_references(out) == []


def test_a_dangling_id_is_reported(tmp_path: Path) -> None:
    """The checker itself: a section removed from sections.csv leaves its references dangling."""
    import shutil

    from tests.fixtures.references import read_rows

    if not (SAMPLE_OUTPUT / "manifest.json").exists():
        pytest.skip("no committed sample outputs")
    out = tmp_path / "out"
    shutil.copytree(SAMPLE_OUTPUT, out)
    doc = sorted(p for p in out.iterdir() if p.is_dir())[0]
    removed = next(row["section_id"] for row in read_rows(doc / "paragraphs.csv") if row["section_id"])
    lines = (doc / "sections.csv").read_text(encoding="utf-8-sig").splitlines()
    kept = [line for line in lines if not line.startswith(removed + ",")]
    assert len(kept) == len(lines) - 1
    (doc / "sections.csv").write_text("\ufeff" + "\n".join(kept) + "\n", encoding="utf-8")
    problems = broken_references(out)
    assert f"{doc.name}/paragraphs.csv: section_id {removed}" in problems
