"""Official documents, built with reportlab platypus from plain domain objects (no SQL here)."""
