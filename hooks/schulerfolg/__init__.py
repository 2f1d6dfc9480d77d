"""Schulerfolg sichern: data model, validation and generators for the knowledge portal.

Nothing in this package imports MkDocs; ``hooks/main.py`` wires it to MkDocs events.
"""
