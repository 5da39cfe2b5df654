"""Importing the bureau's spreadsheets: an existing list of enterprises (ARCHITECTURE.md section 1)."""
