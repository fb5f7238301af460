"""Inspection reports built from the store: HTML (A4 print) and Markdown."""
