"""The sync protocol (version 1) and its pure engine: wire models, push/pull over a ``Store``, merge, hashing.

Standard library and pydantic only (``sync.client`` also uses httpx). ``sync/PROTOCOL.md`` is the contract.
"""

from .engine import Engine, parse_pull, parse_push
from .errors import Rejected, SyncError
from .protocol import PROTOCOL_VERSION
from .registry import MutationContext, Registry
from .store import Actor, AppliedRecord, AuditEntry, Store

__all__ = [
    "PROTOCOL_VERSION",
    "Actor",
    "AppliedRecord",
    "AuditEntry",
    "Engine",
    "MutationContext",
    "Registry",
    "Rejected",
    "Store",
    "SyncError",
    "parse_pull",
    "parse_push",
]
