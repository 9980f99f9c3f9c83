"""SQL handler of ``follow_up.result``: a follow-up inspection's result for a measure it verifies, through
``enforcement.followups`` (complied closes the measure, not complied escalates it)."""

from backend.device_sync import mirror
from backend.device_sync.mirror import Ctx, domain_rules
from backend.enforcement import followups
from backend.enforcement.schemas import FollowUpResult
from sync import mutations as mu
from sync.errors import Rejected
from sync.protocol import Outcome
from sync.registry import applied
from sync.rules import draft_check, member_check


@domain_rules
def follow_up_result(ctx: Ctx, a: mu.FollowUpResult) -> Outcome:
    iid = str(a.inspection_id)
    insp = ctx.store.get("inspection", iid)
    if insp is None:
        raise Rejected("not_found", f"inspection {iid} does not exist")
    member_check(ctx.actor, insp, privileged=False, lead=False)
    draft_check(insp)
    key = f"{iid}:{a.action_id}"
    if ctx.store.get("follow_up_result", key) is not None:
        raise Rejected("exists", f"the result for action {a.action_id} is recorded already")
    inspection = mirror.domain_inspection(ctx, iid)
    data = FollowUpResult(result=a.result, evidence=list(a.evidence), note=a.note or "")
    followups.record_result(ctx.store.session, ctx.store.user(ctx.actor), inspection, a.action_id, data)
    row = {**a.model_dump(mode="json"), "author": ctx.actor.user_id}
    return applied(ctx.store.put_in("follow_up_result", key, row, iid))
