"""The handler registry: how a server plugs its domain logic in for each mutation ``(name, v)``."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel

from .mutations import MUTATIONS
from .protocol import Outcome, Status
from .store import Actor

S = TypeVar("S")


@dataclass(frozen=True)
class MutationContext(Generic[S]):
    """What a handler gets besides its validated args: the request's store and who sent the mutation."""

    store: S
    actor: Actor
    mutation_id: UUID
    seq: int
    name: str
    client_ts: datetime | None


Handler = Callable[[MutationContext[Any], Any], Outcome]


@dataclass(frozen=True)
class Registered:
    args_model: type[BaseModel]
    fn: Handler


def applied(server_version: int | None = None, data: dict[str, Any] | None = None) -> Outcome:
    return Outcome(outcome=Status.applied, server_version=server_version, data=data)


def conflict(
    reason: str, conflict_ids: list[UUID] | None = None, server_version: int | None = None, **data: Any
) -> Outcome:
    return Outcome(
        outcome=Status.conflict,
        reason=reason,
        conflict_ids=conflict_ids or [],
        server_version=server_version,
        data=data or None,
    )


class Registry:
    """Maps ``(name, v)`` to a handler and its args model (from ``catalogue``, the protocol's by default)."""

    def __init__(self, catalogue: Mapping[tuple[str, int], type[BaseModel]] = MUTATIONS) -> None:
        self._catalogue = dict(catalogue)
        self._handlers: dict[tuple[str, int], Registered] = {}

    def register(self, name: str, fn: Handler, v: int = 1, args_model: type[BaseModel] | None = None) -> None:
        key = (name, v)
        model = args_model or self._catalogue.get(key)
        if model is None:
            raise KeyError(f"{name}@{v} is not in the protocol catalogue; pass args_model")
        if key in self._handlers:
            raise ValueError(f"a handler for {name}@{v} is already registered")
        self._handlers[key] = Registered(model, fn)

    def handler(self, name: str, v: int = 1) -> Callable[[Handler], Handler]:
        """Decorator form of :meth:`register`."""

        def decorate(fn: Handler) -> Handler:
            self.register(name, fn, v)
            return fn

        return decorate

    def lookup(self, name: str, v: int) -> Registered | None:
        return self._handlers.get((name, v))

    def missing(self) -> list[tuple[str, int]]:
        """Catalogue mutations without a handler (a server should have none)."""
        return sorted(set(self._catalogue) - set(self._handlers))
