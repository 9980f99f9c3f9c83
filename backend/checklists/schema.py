"""Generate the JSON Schemas of checklist files and of the instruments registry from the pydantic definition.

``python -m backend.checklists.schema`` rewrites ``checklists/schema.json`` and ``checklists/instruments.schema.json``;
a test fails when either file is stale.
"""

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from backend.checklists.definition import Checklist, Registry

CHECKLISTS_DIR = Path(__file__).resolve().parents[2] / "checklists"
SCHEMA_FILE = "schema.json"
REGISTRY_SCHEMA_FILE = "instruments.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _render(model: type[BaseModel], schema_id: str) -> str:
    schema: dict[str, Any] = {"$schema": DRAFT, "$id": schema_id, **model.model_json_schema()}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def render_schema() -> str:
    """The JSON Schema of one checklist file (``checklists/<key>.yaml``)."""
    return _render(Checklist, SCHEMA_FILE)


def render_registry_schema() -> str:
    """The JSON Schema of the instruments registry (``checklists/instruments.yaml``)."""
    return _render(Registry, REGISTRY_SCHEMA_FILE)


def expected_files() -> dict[str, str]:
    """File name in the checklists directory -> the content it must have."""
    return {SCHEMA_FILE: render_schema(), REGISTRY_SCHEMA_FILE: render_registry_schema()}


def write_schemas(directory: Path = CHECKLISTS_DIR) -> list[Path]:
    """Write both schema files into ``directory``; return the paths written."""
    written = []
    for name, content in expected_files().items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def stale_files(directory: Path = CHECKLISTS_DIR) -> list[str]:
    """Names of schema files in ``directory`` that are missing or differ from the definition."""
    stale = []
    for name, content in expected_files().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(name)
    return stale


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else CHECKLISTS_DIR
    for written_path in write_schemas(target):
        print(f"wrote {written_path}")
