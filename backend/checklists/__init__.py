"""Checklists: the file definition, the YAML loader, the instruments registry and published immutable versions."""
