"""Generated files stay in step: schema.json with the definition, the lock with published content."""

import shutil
from pathlib import Path

import yaml

from backend.checklists.loader import content_sha256, load_library
from backend.checklists.lock import LOCK_FILE, lock_problems, read_lock, updated_lock, write_lock
from backend.checklists.schema import REGISTRY_SCHEMA_FILE, SCHEMA_FILE, stale_files, write_schemas

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"


def test_schema_files_are_not_stale() -> None:
    assert stale_files(CHECKLISTS) == [], "run: .venv/bin/python -m backend.checklists.schema"


def test_stale_schema_is_detected(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    assert stale_files(tmp_path) == []
    path = tmp_path / SCHEMA_FILE
    path.write_text(path.read_text(encoding="utf-8").replace('"version"', '"edition"'), encoding="utf-8")
    (tmp_path / REGISTRY_SCHEMA_FILE).unlink()
    assert stale_files(tmp_path) == [SCHEMA_FILE, REGISTRY_SCHEMA_FILE]


def test_schema_describes_the_checklist_fields() -> None:
    import json

    schema = json.loads((CHECKLISTS / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert set(schema["required"]) == {"key", "version", "title", "description", "sections"}
    assert "Item" in schema["$defs"] and "LegalBasis" in schema["$defs"]


def test_repository_lock_matches_every_checklist() -> None:
    library = load_library(CHECKLISTS)
    lock = read_lock(CHECKLISTS / LOCK_FILE)
    assert lock_problems(library.checklists, lock) == []
    for checklist in library.checklists:
        assert lock[checklist.key][checklist.version] == content_sha256(checklist), checklist.key


def _copy_library(tmp_path: Path) -> Path:
    for path in CHECKLISTS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(CHECKLISTS / LOCK_FILE, tmp_path / LOCK_FILE)
    return tmp_path


def _version(path: Path) -> int:
    """The version a checklist file is at (issue 15 moved some to 2): the tests below work from it."""
    return int(yaml.safe_load(path.read_text(encoding="utf-8"))["version"])


def _edit(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = data["sections"][0]["items"][0]
    item.update(changes.pop("item", {}))  # type: ignore[arg-type]
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_changed_content_without_version_bump_fails(tmp_path: Path) -> None:
    directory = _copy_library(tmp_path)
    version = _version(directory / "wages.yaml")
    _edit(directory / "wages.yaml", item={"severity": "minor"})
    problems = lock_problems(load_library(directory).checklists, read_lock(directory / LOCK_FILE))
    assert len(problems) == 1
    assert problems[0].startswith(f"wages version {version}: content changed without a version bump")


def test_reformatting_without_content_change_passes(tmp_path: Path) -> None:
    directory = _copy_library(tmp_path)
    _edit(directory / "wages.yaml")  # rewritten by yaml.safe_dump: other layout, same content
    assert lock_problems(load_library(directory).checklists, read_lock(directory / LOCK_FILE)) == []


def test_version_bump_is_accepted_and_recorded_without_rewriting(tmp_path: Path) -> None:
    directory = _copy_library(tmp_path)
    version = _version(directory / "wages.yaml")
    _edit(directory / "wages.yaml", version=version + 1, item={"severity": "minor"})
    library = load_library(directory)
    lock = read_lock(directory / LOCK_FILE)
    assert lock_problems(library.checklists, lock) == []
    new = updated_lock(library.checklists, lock)
    assert new["wages"][version] == lock["wages"][version]
    assert new["wages"][version + 1] == content_sha256(library.get("wages"))  # type: ignore[arg-type]
    write_lock(directory / LOCK_FILE, new)
    assert read_lock(directory / LOCK_FILE) == new


def test_going_back_below_a_published_version_fails(tmp_path: Path) -> None:
    directory = _copy_library(tmp_path)
    version = _version(directory / "wages.yaml")
    lock = read_lock(directory / LOCK_FILE)
    lock["wages"][version + 1] = "0" * 64
    del lock["wages"][version]
    problems = lock_problems(load_library(directory).checklists, lock)
    assert problems == [f"wages version {version}: older than the published version {version + 1}"]


def test_missing_lock_file_is_empty(tmp_path: Path) -> None:
    assert read_lock(tmp_path / LOCK_FILE) == {}
    assert lock_problems([], {}) == []


def test_new_fields_at_their_default_keep_the_published_hash_and_set_ones_change_it(tmp_path: Path) -> None:
    directory = _copy_library(tmp_path)
    path = directory / "wages.yaml"
    before = content_sha256(load_library(directory).get("wages"))  # type: ignore[arg-type]
    _edit(path, item={"authority": None, "applies_if": None})
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "authority" in data["sections"][0]["items"][0]
    assert content_sha256(load_library(directory).get("wages")) == before  # type: ignore[arg-type]
    _edit(path, item={"authority": "work_safety"})
    changed = load_library(directory)
    assert content_sha256(changed.get("wages")) != before  # type: ignore[arg-type]
    assert lock_problems(changed.checklists, read_lock(directory / LOCK_FILE)) != []
