"""Data exports: rows of a dataset, scoped to the caller's area, streamed as CSV (UTF-8 with BOM)."""
