"""The shape of the code, read from its source: imports point one way, sizes stay small.

Every import of the package (at module level or inside a function) is an edge of the
module graph. The layers, bottom up, are::

    version, settings, sources, japanese, model      rules and the output model
    pdf, nlp                                          libraries the stages use
    stages                                            layout, text_input, sections, tables, entities, facts
    export                                            read-only writers of the model
    config, convert                                   one input → one Document
    batch                                             many inputs → one output folder
    cli, __main__, pipeline (the public API)

An import may point to a lower layer or within its own package, never up, and no
import chain may come back to where it started.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pipeline"
LAYERS = (
    ("pipeline.version", "pipeline.settings", "pipeline.sources"),
    ("pipeline.japanese",),
    ("pipeline.model",),
    ("pipeline.pdf", "pipeline.nlp"),
    ("pipeline.stages",),
    ("pipeline.export",),
    ("pipeline.config", "pipeline.convert", "pipeline.review"),
    ("pipeline.batch",),
    ("pipeline.cli", "pipeline.datasets", "pipeline.__main__", "pipeline"),
)
STAGES = ("layout", "text_input", "sections", "tables", "entities", "facts")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, name: str) -> set[str]:
    """Every pipeline module imported by a module, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    modules = _modules()
    return {m for m in found if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    return {name: _imports(path, name) for name, path in _modules().items()}


def _layer(name: str) -> int:
    best = -1
    best_length = -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    assert best >= 0, f"{name} is in no layer"
    return best


def _stage_of(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) >= 3 and parts[1] == "stages" and parts[2] in STAGES:
        return parts[2]
    return None


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, if there is any (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_every_module_is_in_a_layer() -> None:
    for name in _modules():
        _layer(name)


def test_imports_never_point_to_a_higher_layer() -> None:
    upward = [
        f"{name} → {target}"
        for name, targets in _graph().items() for target in sorted(targets)
        if _layer(target) > _layer(name)
    ]
    assert upward == []


def test_no_import_cycle_between_modules() -> None:
    assert _cycle(_graph()) is None


def test_no_import_cycle_between_packages() -> None:
    def package(name: str) -> str:
        module = _modules()[name]
        return name if module.name == "__init__.py" else name.rpartition(".")[0]

    graph: dict[str, set[str]] = defaultdict(set)
    for name, targets in _graph().items():
        for target in targets:
            a, b = package(name), package(target)
            # a package's __init__ may re-export its own modules: not an edge between packages
            if a != b and not b.startswith(a + ".") and not a.startswith(b + "."):
                graph[a].add(b)
    assert _cycle(dict(graph)) is None


def test_no_stage_imports_another_stage() -> None:
    crossing = [
        f"{name} → {target}"
        for name, targets in _graph().items() for target in sorted(targets)
        if _stage_of(name) and _stage_of(target) and _stage_of(name) != _stage_of(target)
    ]
    assert crossing == []


def test_exporters_import_only_the_model() -> None:
    allowed = ("pipeline.model", "pipeline.export", "pipeline.version")
    wrong = [
        f"{name} → {target}"
        for name, targets in _graph().items() if name.startswith("pipeline.export")
        for target in sorted(targets) if not target.startswith(allowed)
    ]
    assert wrong == []


@pytest.mark.parametrize("library", ["pdfplumber", "pdfminer"])
def test_only_the_pdf_package_touches_the_pdf_parser(library: str) -> None:
    users = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            if any(n == library or n.startswith(library + ".") for n in names) and not name.startswith("pipeline.pdf"):
                users.append(name)
    # The batch driver imports pdfplumber once before forking workers, only to warm them up.
    assert sorted(set(users) - {"pipeline.batch.run"}) == []


def test_no_module_is_too_long() -> None:
    long = {
        name: count for name, path in _modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_too_long() -> None:
    long = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {length} lines")
    assert long == []


def _string_constants(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
        and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    # A string on its own line after an assignment documents it (attribute docstrings).
    docstrings.update(
        id(node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    )
    return [
        (node.lineno, node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_only_the_japanese_package_spells_markers_and_eras() -> None:
    """Bullets, decorative markers and era names are vocabulary: other modules ask
    ``pipeline.japanese`` (the middle dot ・ is left out: it also joins words in names)."""
    from pipeline.japanese.eras import ERA_NAMES
    from pipeline.japanese.markers import BULLET_MARKS, CAPTION_MARKS, HEADING_MARKERS

    marks = set(BULLET_MARKS + HEADING_MARKERS + CAPTION_MARKS) - {"・"}
    spelled = []
    for name, path in _modules().items():
        if name.startswith("pipeline.japanese"):
            continue
        for line, text in _string_constants(path):
            if marks & set(text) or any(era in text for era in ERA_NAMES):
                spelled.append(f"{name}:{line}: {text[:40]!r}")
    assert spelled == []
