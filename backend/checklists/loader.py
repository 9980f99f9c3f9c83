"""Load checklist YAML files and the instruments registry into validated definitions.

Pure: no database, no HTTP. Every error names the file and the path inside it, and all errors of a
file are reported together.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from backend.checklists.definition import (
    HASH_NEUTRAL_FIELDS,
    Checklist,
    EstablishmentProfile,
    Item,
    LegalBasis,
    Registry,
)

REGISTRY_FILE = "instruments.yaml"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadIssue:
    """One problem found in one file: ``file: location: message``."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.message}" if self.location else f"{self.file}: {self.message}"


class ChecklistLoadError(Exception):
    """A checklist or registry file that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[LoadIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


@dataclass(frozen=True)
class Library:
    """The instruments registry and every checklist, sorted by key."""

    registry: Registry
    checklists: tuple[Checklist, ...]

    def get(self, key: str) -> Checklist | None:
        return next((c for c in self.checklists if c.key == key), None)

    def keys(self) -> list[str]:
        return [c.key for c in self.checklists]

    def applicable(self, profile: EstablishmentProfile) -> dict[str, list[Item]]:
        """Checklist key -> the items that apply to ``profile`` (checklists with none are left out)."""
        result: dict[str, list[Item]] = {}
        for checklist in self.checklists:
            if not checklist.applies_to(profile):
                continue
            items = [item for item in checklist.items() if item.applies_to(profile)]
            if items:
                result[checklist.key] = items
        return result


def _hashed(value: Any) -> Any:
    """``value`` without the hash-neutral fields that hold their default (see ``HASH_NEUTRAL_FIELDS``)."""
    if isinstance(value, dict):
        return {k: _hashed(v) for k, v in value.items() if not (k in HASH_NEUTRAL_FIELDS and v is None)}
    if isinstance(value, list):
        return [_hashed(v) for v in value]
    return value


def content_sha256(checklist: Checklist) -> str:
    """SHA-256 of the canonical JSON of a checklist: what a published (key, version) is pinned to. Fields added
    after the first publication count only once set, so an unchanged file keeps its published hash."""
    content = _hashed(checklist.model_dump(mode="json"))
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, for readable messages."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def loc_to_path(loc: tuple[int | str, ...]) -> str:
    """Pydantic's ``('sections', 0, 'items', 3, 'text', 'zh')`` as ``sections[0].items[3].text.zh``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _read_yaml(path: Path) -> tuple[Any, list[LoadIssue]]:
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [LoadIssue(name, "", f"cannot read file: {exc}")]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [LoadIssue(name, where, f"YAML syntax error: {problem}")]
    if not isinstance(data, dict):
        return None, [LoadIssue(name, "", "expected a mapping at the top level")]
    return data, []


def _validate(model: type[M], data: dict[str, Any], name: str) -> tuple[M | None, list[LoadIssue]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        issues = [LoadIssue(name, loc_to_path(tuple(err["loc"])) or "(file)", err["msg"]) for err in exc.errors()]
        return None, issues


def load_registry(path: Path | str) -> Registry:
    """Read ``instruments.yaml``; raise ``ChecklistLoadError`` listing every problem."""
    path = Path(path)
    name = display_path(path)
    data, issues = _read_yaml(path)
    if data is None:
        raise ChecklistLoadError(issues)
    registry, issues = _validate(Registry, data, name)
    if registry is None:
        raise ChecklistLoadError(issues)
    seen: set[str] = set()
    for i, instrument in enumerate(registry.instruments):
        if instrument.code in seen:
            issues.append(LoadIssue(name, f"instruments[{i}].code", f"duplicate instrument {instrument.code!r}"))
        seen.add(instrument.code)
        refs = [a.ref for a in instrument.articles]
        for ref in {r for r in refs if refs.count(r) > 1}:
            issues.append(LoadIssue(name, f"instruments[{i}].articles", f"duplicate article {ref!r}"))
    if issues:
        raise ChecklistLoadError(issues)
    return registry


def check_checklist(path: Path, data: dict[str, Any], registry: Registry) -> tuple[Checklist | None, list[LoadIssue]]:
    """Validate parsed YAML against the definition, the registry and the file name; collect every issue."""
    name = display_path(path)
    issues: list[LoadIssue] = []
    key = data.get("key")
    if isinstance(key, str) and key != path.stem:
        issues.append(LoadIssue(name, "key", f"key {key!r} does not match the file name {path.stem!r}"))
    issues += _citation_issues(data, registry, name)
    checklist, validation_issues = _validate(Checklist, data, name)
    issues += validation_issues
    return (checklist if not issues else None), issues


def _citation_issues(data: dict[str, Any], registry: Registry, name: str) -> list[LoadIssue]:
    """Unknown instruments or articles, checked on the raw data so they show beside schema errors."""
    issues: list[LoadIssue] = []
    sections = data.get("sections")
    for s, section in enumerate(sections if isinstance(sections, list) else []):
        items = section.get("items") if isinstance(section, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            bases = item.get("legal_basis") if isinstance(item, dict) else None
            for b, raw in enumerate(bases if isinstance(bases, list) else []):
                try:
                    basis = LegalBasis.model_validate(raw)
                except ValidationError:
                    continue  # reported by the schema validation
                if registry.article_exists(basis):
                    continue
                known = any(inst.code == basis.instrument for inst in registry.instruments)
                what = (
                    f"unknown article {basis.instrument!r} Art. {basis.article}"
                    if known
                    else f"unknown instrument {basis.instrument!r}"
                )
                item_id = item.get("id", "?")
                issues.append(LoadIssue(name, f"sections[{s}].items[{i}].legal_basis[{b}]", f"{what} (item {item_id})"))
    return issues


def load_checklist(path: Path | str, registry: Registry) -> Checklist:
    """Read one checklist file; raise ``ChecklistLoadError`` listing every problem in it."""
    path = Path(path)
    data, issues = _read_yaml(path)
    if data is None:
        raise ChecklistLoadError(issues)
    checklist, issues = check_checklist(path, data, registry)
    if checklist is None:
        raise ChecklistLoadError(issues)
    return checklist


def checklist_files(directory: Path | str) -> list[Path]:
    """The checklist files of a directory: every ``*.yaml`` except the registry."""
    return sorted(p for p in Path(directory).glob("*.yaml") if p.name != REGISTRY_FILE)


def load_library(directory: Path | str) -> Library:
    """Load the registry and every checklist of ``directory``; errors of all files are raised together."""
    directory = Path(directory)
    registry = load_registry(directory / REGISTRY_FILE)
    issues: list[LoadIssue] = []
    checklists: list[Checklist] = []
    owner: dict[str, str] = {}
    for path in checklist_files(directory):
        try:
            checklist = load_checklist(path, registry)
        except ChecklistLoadError as exc:
            issues += exc.issues
            continue
        for item in checklist.items():
            if item.id in owner:
                issues.append(
                    LoadIssue(display_path(path), item.id, f"item id also used in checklist {owner[item.id]!r}")
                )
            owner[item.id] = checklist.key
        checklists.append(checklist)
    if issues:
        raise ChecklistLoadError(issues)
    return Library(registry=registry, checklists=tuple(sorted(checklists, key=lambda c: c.key)))
