"""The committed sample outputs in extracted/ must be exactly what a fresh run produces."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_INPUT = ROOT / "raw"
SAMPLE_OUTPUT = ROOT / "extracted"


def _files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


@pytest.mark.skipif(not (SAMPLE_OUTPUT / "manifest.json").exists(), reason="no committed sample outputs")
def test_committed_sample_matches_a_fresh_run(tmp_path: Path) -> None:
    out = tmp_path / "extracted"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(SAMPLE_INPUT), "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    committed = _files_under(SAMPLE_OUTPUT)
    fresh = _files_under(out)
    committed.pop("run_log.jsonl", None)
    fresh.pop("run_log.jsonl", None)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in committed if committed[name] != fresh[name]]
    assert not changed, f"committed outputs differ from a fresh run: {changed} (re-run `make extract` and commit)"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(entry["status"] == "ok" for entry in manifest["documents"])


@pytest.mark.skipif(not (SAMPLE_OUTPUT / "manifest.json").exists(), reason="no committed sample outputs")
def test_every_committed_csv_opens_in_pandas_with_its_header() -> None:
    """What a user does first: pandas.read_csv on each file, Japanese intact, columns named."""
    import pandas as pd

    csv_files = sorted(SAMPLE_OUTPUT.rglob("*.csv"))
    assert csv_files
    for path in csv_files:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert not any(str(c).startswith("\ufeff") for c in frame.columns), path
        assert len(frame.columns) == len(set(frame.columns)), path
    paragraphs = pd.read_csv(next(SAMPLE_OUTPUT.glob("*/paragraphs.csv")), encoding="utf-8-sig")
    assert list(paragraphs.columns) == ["doc_id", "para_id", "section_id", "page", "kind", "text"]
    assert paragraphs["text"].str.contains("[ぁ-ん]", regex=True).any()
