"""The PDF handbook: chapters from docs/ as one book, laid out by WeasyPrint and tagged."""
