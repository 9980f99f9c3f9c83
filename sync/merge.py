"""Field-level three-way merge of a device's writes into a record, judged by the base version it saw.

Same value is never a conflict; different fields always merge; one field changed on both sides to
different values is a conflict that keeps both candidates (no silent winner).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .canonical import json_equal


@dataclass(frozen=True)
class FieldState:
    """The server's view of one field: its value, the global version of its last write, open conflict."""

    value: Any
    version: int
    conflicted: bool = False
    device: str | None = None  # the device whose mutation wrote it last


@dataclass(frozen=True)
class MergeResult:
    apply: dict[str, Any] = field(default_factory=dict)  # fields to write now
    same: tuple[str, ...] = ()  # already hold the written value: no write, no conflict
    conflicts: dict[str, Any] = field(default_factory=dict)  # field -> the incoming, differing value

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_fields(
    current: Mapping[str, FieldState], writes: Mapping[str, Any], base_version: int, device: str | None = None
) -> MergeResult:
    """Decide, field by field, what a write made on top of ``base_version`` does to ``current``.

    * never written on the server -> apply;
    * equal to the server value -> same (no-op);
    * field has an open conflict -> conflict (the new value joins the candidates);
    * server field version <= base_version (the device saw the latest write) -> apply;
    * the latest write came from this same ``device`` -> apply: a device's mutations arrive in its own order,
      so its later write supersedes its earlier one even when both were made offline on the same base;
    * otherwise (changed since the device's base, to another value) -> conflict.
    """
    apply: dict[str, Any] = {}
    same: list[str] = []
    conflicts: dict[str, Any] = {}
    for name, value in writes.items():
        state = current.get(name)
        if state is None:
            apply[name] = value
        elif json_equal(state.value, value):
            same.append(name)
        elif state.conflicted or (state.version > base_version and (device is None or state.device != device)):
            conflicts[name] = value
        else:
            apply[name] = value
    return MergeResult(apply=apply, same=tuple(same), conflicts=conflicts)


def add_candidate(candidates: Sequence[Mapping[str, Any]], candidate: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Candidates of a conflict with ``candidate`` added unless one with an equal ``value`` is there."""
    result = [dict(c) for c in candidates]
    if not any(json_equal(c["value"], candidate["value"]) for c in result):
        result.append(dict(candidate))
    return result
