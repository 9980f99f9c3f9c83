"""The published checklist as devices and clients receive it: the stored definition plus, per item, its
citations in the official form (``citation``) and the measure this inspectorate can take (``authority``).

Computed when served (REST and the sync feed), never stored: the definition a version was published with stays
as it was. Pure but for reading the registry file, which is kept per process.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any

from backend.checklists.authority import offered_measure
from backend.checklists.citation import format_citation
from backend.checklists.definition import Authority, Checklist, Registry
from backend.checklists.loader import REGISTRY_FILE, load_registry


@lru_cache(maxsize=4)
def _registry(path: Path) -> Registry:
    return load_registry(path)


def current_registry() -> Registry:
    from backend.config import settings

    return _registry(settings.checklists_dir / REGISTRY_FILE)


def annotate(
    definition: dict[str, Any], checklist: Checklist, registry: Registry, authorities: frozenset[Authority]
) -> dict[str, Any]:
    """A copy of ``definition`` whose items carry ``authority``, ``offered_measure`` and ``citations``."""
    sections = []
    for section, parsed in zip(definition["sections"], checklist.sections, strict=True):
        items = []
        for raw, item in zip(section["items"], parsed.items, strict=True):
            offered = offered_measure(item, checklist, authorities)
            citations = [format_citation(b, registry).model_dump(mode="json") for b in item.legal_basis]
            items.append(
                {
                    **raw,
                    "authority": offered.authority.value if offered.authority else None,
                    "offered_measure": offered.model_dump(mode="json"),
                    "citations": citations,
                }
            )
        sections.append({**section, "items": items})
    return {**definition, "sections": sections}
