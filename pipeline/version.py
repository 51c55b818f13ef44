"""The pipeline's version: written into every output and compared by incremental runs."""

__version__ = "0.5.0"
