"""Sign-in throttling and lockout (OWASP ASVS 2.2): counters per account, per client address and per account
from one address, a growing delay, and a bounded lockout. Outcomes are returned, not raised, so the failure counts
and their audit events commit with the request.

- After ``LI_SIGN_IN_FREE_FAILURES`` failures of an account or an address within ``LI_SIGN_IN_WINDOW_MINUTES``,
  each further attempt must wait 2**(n - free) seconds after the last failure, at most
  ``LI_SIGN_IN_MAX_DELAY_SECONDS`` (``auth.throttled``, 429, ``Retry-After``; no password is checked).
- After ``LI_SIGN_IN_LOCKOUT_FAILURES`` failures of one account *from one address*, that pair is locked for
  ``LI_SIGN_IN_LOCKOUT_MINUTES``: even the right password is refused (``auth.locked``).
- An attacker cannot lock an account out for good: the lockout ends by itself, it binds the attacker's address
  only (the owner signs in from another address after at most the account's bounded delay), and the tablet's
  device token — which needs no password — keeps syncing throughout.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from backend.audit import service as audit_log
from backend.auth.models import SignInCounter, User
from backend.config import settings
from backend.db import utcnow
from backend.errors import Problem

LOCKED = "Too many failed sign-ins: locked for a while. / 登录失败次数过多，已暂时锁定。"
THROTTLED = "Too many attempts: wait and try again. / 尝试次数过多，请稍后再试。"


class Throttled(Problem):
    status = 429
    title = "Too many attempts"


@dataclass(frozen=True)
class Keys:
    account: str
    address: str
    pair: str

    @classmethod
    def of(cls, email: str, address: str) -> "Keys":
        def h(kind: str, value: str) -> str:
            return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()

        return cls(h("account", email), h("address", address), h("pair", f"{email}\n{address}"))


def _fresh(session: Session, key: str, now: datetime) -> SignInCounter | None:
    counter = session.get(SignInCounter, key)
    window = timedelta(minutes=settings.sign_in_window_minutes)
    if counter is None or counter.last_failure_at + window >= now:
        return counter
    locked = counter.locked_until is not None and counter.locked_until > now
    return counter if locked else None


def delay_seconds(failures: int) -> int:
    extra = failures - settings.sign_in_free_failures
    return 0 if extra < 0 else min(2**extra, settings.sign_in_max_delay_seconds)


def refusal(session: Session, keys: Keys, now: datetime) -> Problem | None:
    """Why this attempt is refused before its password is checked, or None."""
    pair = _fresh(session, keys.pair, now)
    if pair is not None and pair.locked_until is not None and pair.locked_until > now:
        wait = math.ceil((pair.locked_until - now).total_seconds())
        return _throttled("auth.locked", LOCKED, wait)
    for key in (keys.account, keys.address):
        counter = _fresh(session, key, now)
        if counter is None:
            continue
        ready = counter.last_failure_at + timedelta(seconds=delay_seconds(counter.failures))
        if ready > now:
            wait = math.ceil((ready - now).total_seconds())
            return _throttled(
                "auth.throttled", "Too many attempts: wait and try again. / 尝试次数过多，请稍后再试。", wait
            )
    return None


def _throttled(code: str, detail: str, wait: int) -> Problem:
    problem = Throttled(code, detail, retry_after=wait)
    problem.headers = {"Retry-After": str(wait)}  # type: ignore[misc]
    return problem


def failed(session: Session, keys: Keys, now: datetime, *, user: User | None, address: str) -> None:
    """Count a wrong password (or unknown email) on all three counters; lock the pair at the threshold."""
    locked = False
    for key in (keys.account, keys.address, keys.pair):
        counter = _fresh(session, key, now) or session.get(SignInCounter, key)
        if counter is None:
            counter = SignInCounter(key=key, failures=0)
        elif counter.last_failure_at + timedelta(minutes=settings.sign_in_window_minutes) < now:
            counter.failures, counter.locked_until = 0, None
        counter.failures += 1
        counter.last_failure_at = now
        if key == keys.pair and counter.failures >= settings.sign_in_lockout_failures:
            counter.locked_until = now + timedelta(minutes=settings.sign_in_lockout_minutes)
            locked = counter.failures == settings.sign_in_lockout_failures
        session.add(counter)
    subject = user.id if user is not None else None
    audit_log.record(session, subject, "auth.sign_in_failed", "user", subject, address=address,
                     known_account=user is not None)  # fmt: skip
    if locked:
        audit_log.record(session, subject, "auth.lockout", "user", subject, address=address,
                         minutes=settings.sign_in_lockout_minutes)  # fmt: skip


def succeeded(session: Session, keys: Keys, user: User, *, address: str) -> None:
    """The account's and the pair's counters start again; the address's does not (it may be guessing others)."""
    for key in (keys.account, keys.pair):
        counter = session.get(SignInCounter, key)
        if counter is not None:
            session.delete(counter)
    audit_log.record(session, user.id, "auth.sign_in", "user", user.id, address=address)


def now() -> datetime:
    return utcnow()
