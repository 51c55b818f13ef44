"""The stages, each a module or folder with its config and its steps. A stage reads what earlier
stages put on the working document and adds its own part; no stage imports another.

    layout      page characters → lines → blocks in reading order (and table regions)
    text_input  a .txt file → blocks
    sections    block kinds, then the heading tree
    tables      tables from their regions: captions, notes, structure, typed cells
    entities    organizations, programs, years and amounts, linked per document
"""
