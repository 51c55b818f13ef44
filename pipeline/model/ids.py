"""The one place ids are formatted. Stages number things; only this module spells the ids."""

from __future__ import annotations


def block_id(number: int) -> str:
    """Blocks in reading order: b0001, b0002, …"""
    return "b%04d" % number


def section_id(number: int) -> str:
    """Sections in document order: s001, s002, …"""
    return "s%03d" % number


def table_id(number: int) -> str:
    """Tables in document order: 01, 02, … (also the file name under ``tables/``)."""
    return "%02d" % number


def entity_id(number: int) -> str:
    """Entities of one document in order of first mention: E0001, E0002, …"""
    return "E%04d" % number


def mention_id(number: int) -> str:
    """Mentions of one document in reading order: M00001, M00002, …"""
    return "M%05d" % number


def fact_id(number: int) -> str:
    """Funding facts of one document in reading order: F0001, F0002, …"""
    return "F%04d" % number


def corpus_entity_id(number: int) -> str:
    """Entities of the corpus-wide ``entities.csv``: C00001, …"""
    return "C%05d" % number


def cell_unit_id(table: str, row: int, col: int) -> str:
    """A table cell as a text unit (``para_id`` in mentions and tokens): T03:r2c1."""
    return f"T{table}:r{row}c{col}"
