"""Defences applied around the whole application (issue 21): web security headers. Only ``backend.main`` imports
this package."""
