"""Which heading is above which: the evidence the tree is built from.

Levels are not taken from the order headings first appear in (a （1） before any 1．
would then outrank every 1．). Each heading gets a *style key* (its numbering family and
typography), and two keys are ordered by, in turn:

1. page titles (slides, pamphlets) above everything on their pages;
2. the document's own outline (bookmarks, 目次) where it names both headings; a heading it
   leaves out takes the depth of the last outlined heading of its key
   (【第19条 労働時間…】 after 第19条（労働時間…）);
3. containment: a numbering that restarts at 1 right after a heading of another key is
   inside it (（１） after ２．); one that runs on across it is not (（３） after 【補足】);
4. asides (コラム, 【補足】) hold only unnumbered, less prominent headings;
5. prominence: a larger size, then weight, a bar, a rule, colour;
6. the usual order of numbering families (第1章 > 第1節 > 1. > 1-1 > （1） > ① > （ア））.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.japanese.markers import ASIDE_LABEL, labelled_number, numbering_family, numbering_value
from pipeline.model import Block
from pipeline.stages.sections.headings import strip_enclosure
from pipeline.stages.sections.style import BodyStyle, prominence
from pipeline.stages.working import WorkingDocument

FAMILY_ORDER = (
    "part", "chapter", "section", "article", "example", "roman", "dot_digit", "dotted_decimal",
    "paren_digit", "circled", "katakana", "paren_katakana", "paren_latin",
)
"""Numbering families from the outermost to the innermost, as reports usually nest them."""
_PROMINENCE_STEP = 0.5
"""Prominence (in points) one heading must exceed another's by to rank above it."""
_SIZE_BUCKET = 1.0
"""Sizes within this (points) count as one size in a style key."""


@dataclass
class RankedHeading:
    """A heading block with the evidence its rank is read from."""

    block: Block
    key: str
    family: str | None
    number: int | None
    prominence: float
    outline_level: int | None
    page_title: bool
    aside: bool


@dataclass
class RankEvidence:
    """Containment between style keys, counted over the whole document."""

    contains: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(A, B): a B heading numbered 1 came right after an A heading."""
    crosses: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(A, B): a B heading continued B's numbering right after an A heading."""


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
            round(first.font_size / _SIZE_BUCKET) * _SIZE_BUCKET, first.bold or score - first.font_size >= 0.6,
            first.shaded, first.underlined,
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


def heading_number(block: Block) -> tuple[str | None, int | None]:
    """A heading's numbering family and ordinal, including a numbered word (注意事項2 → label:注意事項, 2)."""
    family, marker = heading_family(block)
    if family:
        return family, numbering_value(family, marker)
    labelled = labelled_number(block.text)
    if labelled is not None:
        return "label:" + labelled[0], labelled[1]
    return None, None


def _merge_sibling_keys(ranked: list[RankedHeading]) -> None:
    """Headings of one numbering family set a little differently are one rank, unless one
    restarts right after the other (１１．on a bar, then 1. in plain type: nested)."""
    nested: set[tuple[str, str]] = set()
    last_of_family: dict[str, RankedHeading] = {}
    for heading in ranked:
        if heading.family is None or heading.page_title:
            continue
        previous = last_of_family.get(heading.family)
        if previous is not None and previous.key != heading.key and heading.number == 1 and (previous.number or 0) > 1:
            nested.add((previous.key, heading.key))
        last_of_family[heading.family] = heading
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
    """Count restarts and run-ons of numbering right after headings of other keys."""
    evidence = RankEvidence()
    last_number: dict[str, int] = {}
    previous: RankedHeading | None = None
    for heading in ranked:
        if heading.aside:
            continue  # an aside (コラム) sits between a heading and its first sub-heading
        if heading.number is not None and previous is not None and previous.key != heading.key:
            if heading.number == 1:
                evidence.contains[(previous.key, heading.key)] += 1
            elif heading.number == last_number.get(heading.key, -1) + 1:
                evidence.crosses[(previous.key, heading.key)] += 1
        if heading.number is not None:
            last_number[heading.key] = heading.number
        previous = heading
    return evidence


def is_above(upper: RankedHeading, lower: RankedHeading, evidence: RankEvidence) -> bool:
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
    if upper.prominence >= lower.prominence + _PROMINENCE_STEP:
        return True
    if lower.prominence >= upper.prominence + _PROMINENCE_STEP:
        return False
    return _by_family_order(upper.family, lower.family)


def _by_containment(upper: str, lower: str, evidence: RankEvidence) -> bool | None:
    inside = evidence.contains[(upper, lower)]
    outside = evidence.contains[(lower, upper)]
    if evidence.crosses[(upper, lower)] > inside:
        return False  # lower's numbering runs on across upper
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
    if upper in FAMILY_ORDER and lower in FAMILY_ORDER:
        return FAMILY_ORDER.index(upper) < FAMILY_ORDER.index(lower)
    return upper in FAMILY_ORDER
