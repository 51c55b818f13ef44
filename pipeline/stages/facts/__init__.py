"""Facts stage: what each yen amount is about (``doc.facts``).

Reads only the finished Document (blocks, tables, entities, mentions). For every MONEY mention
with a yen value, the program, organization and year it belongs to are looked for in its clause,
its sentence, its table row and column, the text before it and the headings above it; for a
document about one program (a call for applications), that program is the fallback. The relation
(a subsidy cap, a budget, a cost…) is read from the words printed with the amount.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.stages.facts.config import FactConfig
from pipeline.stages.facts.find import find_facts

__all__ = ["FactConfig", "run"]


def run(doc: Document, config: FactConfig | None = None) -> None:
    """Fill ``doc.facts``."""
    doc.facts = find_facts(doc, config or FactConfig())
