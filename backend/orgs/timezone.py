"""The time zone an org unit works in — its own ``time_zone``, else its nearest ancestor's, else
``LI_DEFAULT_TIMEZONE`` (Asia/Shanghai) — and ``local_date``: the date a moment falls on there, so an inspection
started at 07:30 in Beijing (23:30 UTC the day before) is dated that morning."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from backend.config import settings
from backend.errors import Invalid
from backend.orgs.models import OrgUnit

MAX_DEPTH = 8  # national > province > district; a bound, not a rule


def require_zone(name: str) -> ZoneInfo:
    """The zone of an IANA name, or ``org_unit.unknown_time_zone``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("org_unit.unknown_time_zone", f"{name!r} is not a known time zone.", time_zone=name) from None


def zone_of(session: Session, unit_id: uuid.UUID | None) -> ZoneInfo:
    """The unit's time zone (looked up through the session's identity map: a unit is read once per request)."""
    for _ in range(MAX_DEPTH):
        unit = session.get(OrgUnit, unit_id) if unit_id is not None else None
        if unit is None:
            break
        if unit.time_zone:
            return ZoneInfo(unit.time_zone)
        unit_id = unit.parent_id
    return ZoneInfo(settings.default_timezone)


def local_date(session: Session, unit_id: uuid.UUID | None, moment: datetime) -> date:
    """The date ``moment`` (timezone-aware) falls on in the unit's time zone."""
    return moment.astimezone(zone_of(session, unit_id)).date()
