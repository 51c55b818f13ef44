"""The recognizers: each finds candidates of one kind in one text unit (no spaCy objects)."""
