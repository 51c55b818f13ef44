"""Which heading is above which: the evidence the tree is built from.

Levels are not taken from the order headings first appear in (a （1） before any 1．
would then outrank every 1．). Each heading gets a *style key* (its numbering family and
typography), and two keys are ordered by, in turn:

1. page titles (slides, pamphlets) above everything on their pages;
2. the document's own outline (bookmarks, 目次) where it names both headings; a heading it
   leaves out takes the depth of the last outlined heading of its key
   (【第19条 労働時間…】 after 第19条（労働時間…）);
3. containment: a numbering that starts again right after a heading of another key is
   inside it (（１） after ２．, having counted up under １．);
4. asides (コラム, 【補足】) hold only unnumbered, less prominent headings;
5. prominence: a larger size, then weight, a bar, a rule, colour;
6. the usual order of numbering families (第1章 > 第1節 > 1. > 1-1 > （1） > ① > （ア））.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.japanese.markers import ASIDE_LABEL, labelled_number, numbering_family, numbering_position
from pipeline.model import Block
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.headings import strip_enclosure
from pipeline.stages.sections.style import BodyStyle, is_heavier, prominence
from pipeline.stages.working import WorkingDocument

FAMILY_ORDER = (
    "part", "chapter", "section", "article", "example", "roman", "dot_digit", "dotted_decimal", "label",
    "paren_digit", "circled", "katakana", "paren_katakana", "paren_latin",
)
"""Numbering families from the outermost to the innermost, as reports usually nest them
(``label`` stands for every numbered word: 別紙1, 注意点2, ステップ3)."""
_SIZE_BUCKET = 1.0
"""Sizes within this (points) count as one size in a style key."""


@dataclass
class RankedHeading:
    """A heading block with the evidence its rank is read from."""

    block: Block
    key: str
    family: str | None
    number: tuple[int, ...] | None
    """Position in its numbering sequence: 2-1-2 → (2, 1, 2), （３） → (3,)."""
    prominence: float
    outline_level: int | None
    page_title: bool
    aside: bool


@dataclass
class RankEvidence:
    """Containment between style keys, counted over the whole document."""

    contains: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(A, B): B's numbering started again right after an A heading (（1） after ２．, having
    counted up under １．). A numbering seen for the first time proves nothing yet: はじめに
    then 1. are siblings. Numbering that runs on across headings (第1条 … 第3条 across 第2章)
    proves nothing either: articles and figures are numbered through the whole document."""


def ranked_headings(headings: list[Block], work: WorkingDocument, body: BodyStyle) -> list[RankedHeading]:
    """The headings with their style keys (same-family keys merged unless nested) and outline depths."""
    ranked = [_ranked(block, work, body) for block in headings]
    _merge_sibling_keys(ranked)
    _inherit_outline_levels(ranked)
    return ranked


def _ranked(block: Block, work: WorkingDocument, body: BodyStyle) -> RankedHeading:
    family, number = heading_number(block)
    lines = work.lines_of(block)
    typography = ""
    score = block.font_size or 0.0
    if lines:
        first = lines[0]
        score = prominence(first, body)
        typography = "%.0f:%s:%s:%s" % (
            round(first.font_size / _SIZE_BUCKET) * _SIZE_BUCKET, is_heavier(first, body), first.shaded, first.underlined,
        )
    page_title = block.block_id in work.page_titles
    aside = heading_family(block)[0] is None and bool(ASIDE_LABEL.match(strip_enclosure(block.text)))
    key = "page_title" if page_title else "%s|%s" % (family or "plain", typography)
    return RankedHeading(block, key, family, number, score, work.outline_levels.get(block.block_id), page_title, aside)


def heading_family(block: Block) -> tuple[str | None, str]:
    """The numbering of a heading, looking inside a bracket: 【第1条 目的】 is numbered as an
    article; a bracketed label without a number (【市の概況】) ranks as an unnumbered heading."""
    family, marker = numbering_family(block.text)
    if family == "bracket":
        inner_family, inner_marker = numbering_family(block.text[1:])
        if inner_family and inner_family != "bracket":
            return inner_family, inner_marker
        return None, ""
    return family, marker


def heading_number(block: Block) -> tuple[str | None, tuple[int, ...] | None]:
    """A heading's numbering family and position in its sequence, including a numbered word
    (注意点2 → label:注意点, (2,))."""
    family, marker = heading_family(block)
    if family:
        return family, numbering_position(family, marker)
    labelled = labelled_number(block.text)
    if labelled is not None:
        return "label:" + labelled[0], (labelled[1],)
    return None, None


def _merge_sibling_keys(ranked: list[RankedHeading]) -> None:
    """Headings of one numbering family set a little differently are one rank, unless one
    restarts right after the other (１１．on a bar, then 1. in plain type: nested)."""
    nested: set[tuple[str, str]] = set()
    for previous, heading in zip(ranked, ranked[1:]):
        if (
            heading.family is not None and previous.family == heading.family and previous.key != heading.key
            and heading.number is not None and previous.number is not None and heading.number < previous.number
        ):
            nested.add((previous.key, heading.key))
    rename: dict[str, str] = {}
    first_key: dict[str, str] = {}
    for heading in ranked:
        if heading.family is None or heading.page_title:
            continue
        anchor = first_key.setdefault(heading.family, heading.key)
        if heading.key != anchor and (anchor, heading.key) not in nested and (heading.key, anchor) not in nested:
            rename[heading.key] = anchor
    for heading in ranked:
        heading.key = rename.get(heading.key, heading.key)


def _inherit_outline_levels(ranked: list[RankedHeading]) -> None:
    """A heading the outline leaves out takes the depth of the last outlined heading of its key."""
    last_level: dict[str, int] = {}
    for heading in ranked:
        if heading.family is None:
            continue  # unnumbered headings of one style are too loose a match
        if heading.outline_level is not None:
            last_level[heading.key] = heading.outline_level
        elif heading.key in last_level:
            heading.outline_level = last_level[heading.key]


def rank_evidence(ranked: list[RankedHeading]) -> RankEvidence:
    """Count numbering that starts again right after a heading of another key."""
    evidence = RankEvidence()
    last_number: dict[str, tuple[int, ...]] = {}
    previous: RankedHeading | None = None
    for heading in ranked:
        if heading.aside:
            continue  # an aside (コラム) sits between a heading and its first sub-heading
        key, number = heading.key, heading.number
        if number is not None and previous is not None and previous.key != key:
            if key in last_number and number <= last_number[key]:
                evidence.contains[(previous.key, key)] += 1
        if number is not None:
            last_number[key] = number
        previous = heading
    return evidence


def is_above(upper: RankedHeading, lower: RankedHeading, evidence: RankEvidence, config: SectionConfig) -> bool:
    """Whether ``upper`` (an earlier heading) can hold ``lower`` as a descendant."""
    if upper.page_title != lower.page_title:
        if upper.outline_level is not None and lower.outline_level is not None:
            return upper.outline_level < lower.outline_level
        return upper.page_title
    if upper.outline_level is not None and lower.outline_level is not None:
        return upper.outline_level < lower.outline_level
    if upper.key == lower.key:
        return False
    verdict = _by_containment(upper.key, lower.key, evidence)
    if verdict is not None:
        return verdict
    if upper.aside != lower.aside:
        if upper.aside:
            return lower.family is None and lower.prominence < upper.prominence
        return True
    if upper.prominence >= lower.prominence + config.prominence_step:
        return True
    if lower.prominence >= upper.prominence + config.prominence_step:
        return False
    return _by_family_order(upper.family, lower.family)


def _by_containment(upper: str, lower: str, evidence: RankEvidence) -> bool | None:
    inside = evidence.contains[(upper, lower)]
    outside = evidence.contains[(lower, upper)]
    if inside > outside:
        return True
    if outside > inside:
        return False
    return None


def _by_family_order(upper: str | None, lower: str | None) -> bool:
    if upper is None:
        return False
    if lower is None:
        return True
    return _family_rank(upper) < _family_rank(lower)


def _family_rank(family: str) -> int:
    family = "label" if family.startswith("label:") else family
    return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
