"""The output model (``document``), the one place ids are formatted (``ids``) and read-only
views of tables (``table_views``)."""

from pipeline.model.document import (
    MARGIN_KINDS,
    BBox,
    Block,
    BlockKind,
    Document,
    Entity,
    Mention,
    PageInfo,
    QualityWarning,
    Section,
    SourceInfo,
    Table,
    TableCell,
    Token,
    entity_name_key,
    format_bbox,
    format_share,
)

__all__ = [
    "MARGIN_KINDS",
    "BBox",
    "Block",
    "BlockKind",
    "Document",
    "Entity",
    "Mention",
    "PageInfo",
    "QualityWarning",
    "Section",
    "SourceInfo",
    "Table",
    "TableCell",
    "Token",
    "entity_name_key",
    "format_bbox",
    "format_share",
]
