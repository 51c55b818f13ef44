"""One vocabulary of Japanese text rules: widths, glyph classes, line joining, markers and
numbering, numbers and units, eras, font names. Nothing here reads a PDF or uses spaCy;
every stage asks these modules rather than spelling a bullet, an era or a number itself.
"""
