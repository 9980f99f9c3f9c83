"""The org-unit tree (national > province > district), scope rules, and the establishments registry."""
