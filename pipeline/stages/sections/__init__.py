"""Sections stage: block kinds (``classify_blocks``), then the heading tree (``build_tree``).

The two steps run apart, with the tables stage between them: the tables stage claims the
caption and note blocks of its tables (a heading-looking 企業概要 right above a table is its
caption), and the tree is built from the headings that remain, so no later stage has to
correct it.
"""

from pipeline.stages.sections.classify import classify_blocks
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.style import BodyStyle, body_style
from pipeline.stages.sections.tree import build_tree

__all__ = ["BodyStyle", "SectionConfig", "body_style", "build_tree", "classify_blocks"]
