"""The lock file of published checklist versions: ``{key: {version: sha256}}``.

A published (key, version) is immutable: changing a checklist's content without bumping its version is an error.
"""

import json
from pathlib import Path

from backend.checklists.definition import Checklist
from backend.checklists.loader import content_sha256

LOCK_FILE = "published.lock.json"

Lock = dict[str, dict[int, str]]


def read_lock(path: Path | str) -> Lock:
    """Read the lock file; a missing file is an empty lock."""
    path = Path(path)
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {key: {int(version): digest for version, digest in versions.items()} for key, versions in raw.items()}


def render_lock(lock: Lock) -> str:
    """Canonical text of a lock: keys and versions sorted, one entry a line."""
    data = {key: {str(v): lock[key][v] for v in sorted(lock[key])} for key in sorted(lock)}
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def write_lock(path: Path | str, lock: Lock) -> None:
    Path(path).write_text(render_lock(lock), encoding="utf-8")


def lock_problems(checklists: list[Checklist] | tuple[Checklist, ...], lock: Lock) -> list[str]:
    """Checklists whose locked (key, version) content changed, or whose version went below a published one."""
    problems = []
    for checklist in checklists:
        published = lock.get(checklist.key, {})
        digest = content_sha256(checklist)
        locked = published.get(checklist.version)
        if locked is not None and locked != digest:
            problems.append(
                f"{checklist.key} version {checklist.version}: content changed without a version bump "
                f"(published sha256 {locked[:12]}, now {digest[:12]}); set version: {max(published) + 1}"
            )
        elif locked is None and published and checklist.version < max(published):
            problems.append(
                f"{checklist.key} version {checklist.version}: older than the published version {max(published)}"
            )
    return problems


def updated_lock(checklists: list[Checklist] | tuple[Checklist, ...], lock: Lock) -> Lock:
    """The lock plus an entry for every (key, version) not yet in it; existing entries are never changed."""
    result = {key: dict(versions) for key, versions in lock.items()}
    for checklist in checklists:
        result.setdefault(checklist.key, {}).setdefault(checklist.version, content_sha256(checklist))
    return result
