"""The only code that touches pdfplumber: opening a PDF (``open``), one page as plain data
(``page``), and the rules for reading its characters into rows and words (``chars``)."""
