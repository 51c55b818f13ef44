"""The spaCy side: the fugashi tokenizer, registered components that recognize YEAR, MONEY,
ORG and PROGRAM, one priority scale and overlap policy, gazetteers, name keys and linking.

    tokenizer    fugashi + unidic-lite as a registered spaCy tokenizer
    units        the text units of a Document, one spaCy Doc each
    candidate    a recognized mention, and the priority scale
    textview     a unit's text as the name rules see it
    gazetteer    the CSVs under data/, loaded once
    recognizers  years, money, orgs (+ org_context, abbreviations), programs
    resolve      the overlap policy (a registered function)
    components   the spaCy factories
    names        comparison keys and short forms of names
    linking      propagation of names, and mentions → entities
    pipeline     build_nlp, analyze_units (nlp.pipe), tag_text
"""
