"""SQL handlers of ``notice.issue`` and ``notice.void``: an official notice numbered offline from the device's block
(``enforcement.notices``); the pulled ``notice`` row (owner only) tells the device its number and hash."""

from typing import Any

from backend.device_sync.mirror import Ctx, domain_rules
from backend.enforcement import notices
from backend.enforcement import service as enforcement
from backend.enforcement.case_models import Notice
from backend.errors import Conflict
from sync import mutations as mu
from sync.errors import Rejected
from sync.protocol import Outcome
from sync.registry import applied


def notice_row(notice: Notice) -> dict[str, Any]:
    return {
        "action_id": str(notice.action_id) if notice.action_id else None,
        "block_id": str(notice.block_id),
        "serial": notice.serial,
        "number": notice.number,
        "kind": notice.kind,
        "status": notice.status.value,
        "sha256": notice.sha256,
    }


@domain_rules
def notice_issue(ctx: Ctx, a: mu.NoticeIssue) -> Outcome:
    session = ctx.store.session
    if ctx.store.get("notice", str(a.notice_id)) is not None or session.get(Notice, a.notice_id) is not None:
        raise Rejected("exists", f"notice {a.notice_id} already exists")
    user = ctx.store.user(ctx.actor)
    action = enforcement.get_visible(session, user, a.action_id)
    try:
        notice = notices.issue(session, user, action, notice_id=a.notice_id, block_id=a.block_id, serial=a.serial)
    except Conflict as taken:
        raise Rejected("exists", taken.detail, {"code": taken.code, "serial": a.serial}) from taken
    return applied(ctx.store.put("notice", str(notice.id), notice_row(notice), None, owner_id=ctx.actor.user_id))


@domain_rules
def notice_void(ctx: Ctx, a: mu.NoticeVoid) -> Outcome:
    user = ctx.store.user(ctx.actor)
    try:
        notice = notices.void(ctx.store.session, user, a.block_id, a.serial, a.reason)
    except Conflict as taken:
        raise Rejected("exists", taken.detail, {"code": taken.code, "serial": a.serial}) from taken
    return applied(ctx.store.put("notice", str(notice.id), notice_row(notice), None, owner_id=ctx.actor.user_id))
