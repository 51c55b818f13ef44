"""Layout stage: page characters → printed lines → blocks in reading order.

Each page is parsed once (``read_page``). While it is open, the page's characters are
grouped into lines (with font name, size, bold and position) and the table detector, if
given, reads its tables; then the page is closed and only plain data is kept. Once every
page has been read (``assemble``), running headers, footers and page numbers are set
aside, and each page's lines are put in reading order (recursive XY-cut: columns, text
boxes, slides) and grouped into blocks by geometry (vertical gap, indent, line length,
bullets, font changes).
"""

from pipeline.stages.layout.assemble import assemble
from pipeline.stages.layout.config import BlockConfig, DecorationConfig, LayoutConfig, VerticalTextConfig
from pipeline.stages.layout.page import PageLayout, TableDetector, read_page, unreadable_page

__all__ = [
    "BlockConfig", "DecorationConfig", "LayoutConfig", "PageLayout", "TableDetector", "VerticalTextConfig", "assemble",
    "read_page", "unreadable_page",
]
