"""Request-level failures keep the outbox; every mutation reaches the server exactly once."""

from sync.engine import Engine
from sync.memory_handlers import memory_registry
from tests.e2e.flows import answer, sign_in_and_register, start_inspection, wait_until

OUTBOX_EMPTY = "async () => (await window.__li.outboxSize()) === 0"


def _offline_work(page, api, context) -> str:
    sign_in_and_register(page)
    api.set_offline(context, True)
    inspection_id = start_inspection(page)
    for item in ("basic.01", "basic.02", "basic.03"):
        answer(page, item, "Compliant")
    api.set_offline(context, False)
    return inspection_id


def test_a_lost_acknowledgement_is_resent_and_applied_once(tablet, api):
    context = tablet()
    page = context.new_page()
    inspection_id = _offline_work(page, api, context)
    api.lose_push_acks = 1
    page.evaluate("window.__li.syncNow()")
    wait_until(page, "async () => window.__li.syncState().last_error !== null")
    assert page.evaluate("window.__li.outboxSize()") == 4  # the client never saw the answer: nothing dropped
    page.evaluate("window.__li.syncNow()")
    wait_until(page, OUTBOX_EMPTY)
    ids = [m["id"] for m in api.pushed]
    assert len(ids) == 8 and len(set(ids)) == 4  # each sent twice ...
    assert len(api.store.applied_records()) == 4  # ... and applied once
    assert len(api.server_rows("finding")) == 3
    assert inspection_id in api.server_rows("inspection")
    assert page.evaluate("window.__li.invariant()") is None


def test_a_smaller_server_batch_limit_is_respected(tablet, api):
    api.engine = Engine(memory_registry(), max_batch=2)
    context = tablet()
    page = context.new_page()
    _offline_work(page, api, context)
    page.evaluate("window.__li.syncNow()")
    wait_until(page, OUTBOX_EMPTY)
    assert len(api.store.applied_records()) == 4
    assert page.evaluate("window.__li.syncState().last_error") is None
