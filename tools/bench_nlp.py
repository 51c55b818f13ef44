"""Timing of the tokens + entities stages (and of GiNZA on the same texts, when installed).

    python -m tools.bench_nlp [FILE.json|FILE.txt ...] [--runs 5]

With no file, the texts are the text units (headings, paragraphs, list items, captions,
notes, table cells) that the pipeline extracts from the seed replica PDF of the reference
corpus (``--shared``/corpus/seed), when it is present. A ``.txt`` file gives one text per
paragraph (blank-line separated); a ``.json`` file is read as ``gold_blocks.json``.

``bench_nlp(texts, runs)`` returns tokens per second (median of ``runs`` runs) of the full
stage (``pipeline.nlp.pipeline.analyze_units``: tokenizer, recognizers, propagation,
linking), of the tokenizer alone, and of GiNZA (``ja_ginza``) if it can be imported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.nlp.config import EntityConfig
from pipeline.nlp.pipeline import analyze_units, build_nlp
from pipeline.nlp.tokenizer import build_tokenizer_nlp
from pipeline.nlp.units import TextUnit


def texts_from_seed_pdf(shared: Path) -> list[str]:
    """The text units our pipeline extracts from the seed replica (empty if the corpus is absent)."""
    from pipeline.convert import Converter  # noqa: PLC0415  (only when the corpus is used)
    from pipeline.nlp.units import text_units  # noqa: PLC0415

    pdfs = sorted((shared / "corpus" / "seed").glob("*.pdf"))
    if not pdfs:
        return []
    doc = Converter().extract(pdfs[0])
    return [unit.text for unit in text_units(doc)]


def texts_from_gold_blocks(path: Path) -> list[str]:
    """The texts of a ``gold_blocks.json``: paragraphs, list items, headings, captions and table cells."""
    texts: list[str] = []
    for block in json.loads(path.read_text(encoding="utf-8")):
        if block.get("type") == "bullets":
            texts.extend(item["text"] for item in block.get("items", []))
        elif block.get("type") == "table":
            texts.extend(cell for row in block.get("rows", []) for cell in row if cell and cell.strip())
        elif block.get("text"):
            texts.append(block["text"])
    return texts


def texts_from_file(path: Path) -> list[str]:
    if path.suffix.lower() == ".json":
        return texts_from_gold_blocks(path)
    content = path.read_text(encoding="utf-8")
    return [p for p in content.split("\n\n") if p.strip()]


def _median_rate(run_once: Any, runs: int, cpu: list[float] | None = None) -> tuple[float, int, list[float]]:
    run_once()  # warm-up: dictionaries, caches, compiled patterns
    times: list[float] = []
    tokens = 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        tokens = run_once()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    median = statistics.median(times)
    return (tokens / median if median else 0.0), tokens, times


def bench_nlp(texts: Sequence[str], runs: int = 5, config: EntityConfig | None = None) -> dict[str, Any]:
    """Tokens per second (median of ``runs``) of our stages and, if installed, of GiNZA."""
    config = config or EntityConfig()
    nlp = build_nlp(config)
    units = [TextUnit(f"u{i}", text, "paragraph", None, None, "paragraph") for i, text in enumerate(texts)]

    def run_full() -> int:
        result = analyze_units(units, nlp, config)
        return result.n_tokens

    tokenizer = build_tokenizer_nlp()

    def run_tokenizer() -> int:
        return sum(len(doc) for doc in tokenizer.pipe(texts))

    cpu_times: list[float] = []
    rate, tokens, times = _median_rate(run_full, runs, cpu_times)
    tok_rate, _, _ = _median_rate(run_tokenizer, runs)
    report: dict[str, Any] = {
        "texts": len(texts), "characters": sum(len(t) for t in texts), "tokens": tokens, "runs": runs,
        "tokens_per_second": round(rate), "seconds_median": round(statistics.median(times), 4),
        # CPU time of this process only: steadier than wall time on a machine shared with other jobs
        "cpu_tokens_per_second": round(tokens / statistics.median(cpu_times)) if cpu_times else None,
        "tokenizer_tokens_per_second": round(tok_rate), "ginza": None,
    }
    try:
        import spacy  # noqa: PLC0415

        ginza = spacy.load("ja_ginza")
    except (ImportError, OSError):
        return report

    def run_ginza() -> int:
        return sum(len(doc) for doc in ginza.pipe(texts))

    ginza_rate, ginza_tokens, _ = _median_rate(run_ginza, max(1, min(runs, 3)))
    report["ginza"] = {"tokens": ginza_tokens, "tokens_per_second": round(ginza_rate)}
    report["speedup_vs_ginza"] = round(rate / ginza_rate, 1) if ginza_rate else None
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_nlp", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="gold_blocks.json-like or .txt files")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding corpus/")
    args = parser.parse_args(argv)
    texts = [t for f in args.files for t in texts_from_file(f)] if args.files else texts_from_seed_pdf(args.shared)
    if not texts:
        print(f"NLP bench skipped: no input files and no seed PDF under {args.shared / 'corpus' / 'seed'}")
        return 0
    report = bench_nlp(texts, args.runs)
    print("== tokens + entities stages (median of %d runs)" % args.runs)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    target = 50_000
    print(f"tokens/s {report['tokens_per_second']:,} (target >= {target:,})"
          + (f"; GiNZA {report['ginza']['tokens_per_second']:,} tokens/s" if report.get("ginza") else "; GiNZA not installed"))
    return 0 if report["tokens_per_second"] >= target else 1


if __name__ == "__main__":
    raise SystemExit(main())
