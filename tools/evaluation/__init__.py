"""Scoring against the gold files of the reference corpus (when it is present)."""
