"""Turn Japanese public-sector report PDFs into clean datasets."""

__version__ = "0.1.0"
