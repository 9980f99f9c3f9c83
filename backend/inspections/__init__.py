"""Inspections, their findings, the review workflow, submission snapshots and amendments."""
