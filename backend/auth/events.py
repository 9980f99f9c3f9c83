"""Security events of refused requests, recorded centrally (issue 21): an authenticated caller answered 403 or 404
(another area's records look absent: ``access.refused``), and a revoked, expired or disabled credential presented
(``auth.token_refused``). The request's own transaction was rolled back; ``backend.db.after_rollback`` calls
``record_refusal`` in a transaction of its own. No token, password or body is recorded: the code, method and path."""

import logging
import uuid
from dataclasses import dataclass

from sqlmodel import Session

from backend.audit import service as audit_log
from backend.db import context_of, register_after_rollback
from backend.errors import Problem

log = logging.getLogger("backend.auth.events")
TOKEN_CODES = frozenset(
    {"auth.token_revoked", "auth.token_expired", "auth.device_revoked", "auth.device_token_expired",
     "auth.inactive_user", "device.wipe"}
)  # fmt: skip


@dataclass
class Caller:
    """Who a request authenticated as, and what it asked for (noted by ``auth.deps.field_principal``)."""

    user_id: uuid.UUID | None = None
    method: str = ""
    path: str = ""


def note(session: Session, *, user_id: uuid.UUID | None, method: str, path: str) -> None:
    caller = context_of(session).part(Caller)
    caller.user_id, caller.method, caller.path = user_id, method, path[:300]


def record_refusal(session: Session, exc: BaseException) -> None:
    problem = exc if isinstance(exc, Problem) else getattr(exc, "problem", None)
    if not isinstance(problem, Problem):
        return
    caller = context_of(session).peek(Caller) or Caller()
    where = {"code": problem.code, "method": caller.method, "path": caller.path}
    if problem.code in TOKEN_CODES:
        with session.begin_nested():
            audit_log.record(session, None, "auth.token_refused", "request", problem.code, **where)
    elif problem.status in (403, 404) and caller.user_id is not None:
        with session.begin_nested():
            audit_log.record(session, caller.user_id, "access.refused", "user", caller.user_id,
                             status=problem.status, **where)  # fmt: skip


register_after_rollback(record_refusal)
