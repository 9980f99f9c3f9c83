"""Official notice numbers (issue 17): ten tablets each hold a server-reserved block, issue notices offline and
sync in interleaved order; every number is unique per org unit and year, a voided number is recorded and never
reused, and each notice's content is frozen with its SHA-256."""

import hashlib
import itertools
import uuid
from datetime import date

from sqlmodel import select

from backend.enforcement.case_models import Notice
from sync.canonical import canonical_bytes
from sync.ids import uuid7
from tests.backend.devices import Dev
from tests.backend.test_enforcement_cases import noncompliant_visit, submit

ITEM = "ga.est.01"


def orders_of(api, world, checklist, n):
    """``n`` orders to rectify of one visit (one issued notice each: a measure has one at a time)."""
    insp = noncompliant_visit(api, world, checklist)
    made = []
    for _ in range(n):
        r = api.post(
            f"/inspections/{insp['id']}/actions",
            json={"measure": "order_to_rectify", "item_id": ITEM, "deadline_days": 14},
        )
        assert r.status_code == 201, r.text
        made.append(r.json())
    submit(api, insp)
    return made


def order_of(api, world, checklist):
    return orders_of(api, world, checklist, 1)[0]


def test_ten_devices_issue_offline_without_collisions_and_a_voided_number_is_never_reused(
    as_, inspector, world, checklist, session
):
    orders = iter(orders_of(as_(inspector), world, checklist, 31))
    devices = [Dev(as_, inspector) for _ in range(10)]
    blocks = []
    for dev in devices:  # online, before going to the worksite
        r = dev.api.post("/notice-blocks", json={"org_unit_id": str(world.district.id), "device_id": dev.id, "size": 3})
        assert r.status_code == 201, r.text
        blocks.append(r.json())
    serials = [s for b in blocks for s in range(b["first_serial"], b["last_serial"] + 1)]
    assert len(serials) == len(set(serials)) == 30
    # Offline: each device numbers three notices from its block; the first spoils its second form.
    queued = []
    for n, (dev, block) in enumerate(zip(devices, blocks, strict=True)):
        batch = []
        for serial in range(block["first_serial"], block["last_serial"] + 1):
            if n == 0 and serial == block["first_serial"] + 1:
                batch.append(dev.mutation("notice.void", block_id=block["id"], serial=serial, reason="ink smudged"))
            else:
                batch.append(
                    dev.mutation(
                        "notice.issue",
                        notice_id=str(uuid7()),
                        action_id=next(orders)["id"],
                        block_id=block["id"],
                        serial=serial,
                    )
                )
        queued.append((dev, batch))
    # Back online, the devices sync interleaved: one mutation of each in turn.
    for dev, mutation in itertools.chain.from_iterable(zip(*[[(d, m) for m in b] for d, b in queued], strict=True)):
        r = dev.push(mutation)
        assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied", r.text
    rows = session.exec(select(Notice).where(Notice.org_unit_id == world.district.id)).all()
    assert len(rows) == 30 and len({(n.year, n.serial) for n in rows}) == 30 and len({n.number for n in rows}) == 30
    voided = [n for n in rows if n.status == "voided"]
    assert [(n.serial, n.void_reason) for n in voided] == [(blocks[0]["first_serial"] + 1, "ink smudged")]
    year = date.today().year
    assert voided[0].number == f"〔{year}〕第{blocks[0]['first_serial'] + 1:04d}号"
    for notice in rows:
        if notice.status == "issued":
            assert notice.sha256 == hashlib.sha256(canonical_bytes(notice.content)).hexdigest()
            assert notice.content["number"] == notice.number and notice.content["violations"][0]["item_id"] == ITEM
    # The voided number is never issued, nor a number outside the block or from another device's block.
    lead, order = devices[0], next(orders)  # a measure without a notice
    again = lead.send(
        "notice.issue",
        notice_id=str(uuid7()),
        action_id=order["id"],
        block_id=blocks[0]["id"],
        serial=blocks[0]["first_serial"] + 1,
    )
    assert again["outcome"] == "rejected" and again["reason"] == "exists"
    outside = lead.send(
        "notice.issue",
        notice_id=str(uuid7()),
        action_id=order["id"],
        block_id=blocks[0]["id"],
        serial=blocks[0]["last_serial"] + 1,
    )
    assert outside["outcome"] == "rejected" and outside["reason"] == "invalid"
    other = Dev(as_, world.second_inspector)
    theirs = other.send(
        "notice.issue",
        notice_id=str(uuid7()),
        action_id=order["id"],
        block_id=blocks[1]["id"],
        serial=blocks[1]["first_serial"],
    )
    assert theirs["outcome"] == "rejected"
    # Online issue takes the unit's next serial, after every reserved one; the user's devices pull the notices.
    online = as_(inspector).post(f"/actions/{next(orders)['id']}/notices")
    assert online.status_code == 201 and online.json()["serial"] == max(serials) + 1, online.text
    pulled = lead.pull_all().get("notice", {})
    assert sorted(r["serial"] for r in pulled.values()) == sorted(serials)  # all ten are the inspector's
    assert {r["status"] for r in pulled.values() if r["serial"] == blocks[0]["first_serial"] + 1} == {"voided"}


def test_a_block_is_for_your_own_device_in_your_area(as_, inspector, world):
    api = as_(inspector)
    other = as_(world.second_inspector).post("/devices", json={"name": "theirs"}).json()
    r = api.post("/notice-blocks", json={"org_unit_id": str(world.district.id), "device_id": other["id"]})
    assert r.status_code == 404 and r.json()["code"] == "device.not_found"
    r = api.post("/notice-blocks", json={"org_unit_id": str(world.other_district.id)})
    assert r.status_code == 404 and r.json()["code"] == "org_unit.not_found"
    block = api.post("/notice-blocks", json={"org_unit_id": str(world.district.id)}).json()
    assert block["last_serial"] - block["first_serial"] + 1 == 20  # LI_NOTICE_BLOCK_SIZE


def test_a_tablet_reserves_its_own_block_with_its_device_token_and_numbers_a_notice_from_it(
    as_, inspector, world, checklist
):
    order = order_of(as_(inspector), world, checklist)
    dev = Dev(as_, inspector)
    url = "/devices/me/notice-blocks"
    body = {"org_unit_id": str(world.district.id), "size": 2}
    password = dev.api.post(url, json=body)
    assert password.status_code == 403 and password.json()["code"] == "notice.device_token_required"
    r = dev.api.post(url, json=body, headers=dev.auth())
    assert r.status_code == 201, r.text
    block = r.json()
    assert block["device_id"] == dev.id and block["last_serial"] == block["first_serial"] + 1
    year, first = block["year"], block["first_serial"]
    assert block["numbers"] == [f"〔{year}〕第{first:04d}号", f"〔{year}〕第{first + 1:04d}号"]  # shown offline
    elsewhere = dev.api.post(url, json={"org_unit_id": str(world.other_district.id)}, headers=dev.auth())
    assert elsewhere.status_code == 404 and elsewhere.json()["code"] == "org_unit.not_found"
    done = dev.send(
        "notice.issue",
        notice_id=str(uuid7()),
        action_id=order["id"],
        block_id=block["id"],
        serial=block["first_serial"],
    )
    assert done["outcome"] == "applied", done


def test_a_measure_has_one_issued_notice_the_desk_and_a_tablet_cannot_both_issue(
    as_, inspector, world, checklist, session
):
    order = order_of(as_(inspector), world, checklist)
    dev = Dev(as_, inspector)
    block = dev.api.post("/notice-blocks", json={"org_unit_id": str(world.district.id), "size": 2}).json()
    desk = as_(inspector).post(f"/actions/{order['id']}/notices")
    assert desk.status_code == 201, desk.text
    second = as_(inspector).post(f"/actions/{order['id']}/notices")
    assert second.status_code == 409 and second.json()["code"] == "notice.already_issued", second.text
    assert second.json()["number"] == desk.json()["number"]
    offline = dev.send(
        "notice.issue",
        notice_id=str(uuid7()),
        action_id=order["id"],
        block_id=block["id"],
        serial=block["first_serial"],
    )
    assert offline["outcome"] == "rejected" and offline["data"]["code"] == "notice.already_issued", offline
    # The tablet then voids the number it took: the server records it voided, with no notice of the measure.
    voided = dev.send("notice.void", block_id=block["id"], serial=block["first_serial"], reason="refused: x")
    assert voided["outcome"] == "applied", voided
    rows = session.exec(select(Notice).where(Notice.org_unit_id == world.district.id)).all()
    mine = [(n.serial, n.status.value, n.action_id) for n in rows if n.block_id == uuid.UUID(block["id"])]
    assert mine == [(block["first_serial"], "voided", None)]
    held = as_(inspector).get(f"/actions/{order['id']}/notices").json()
    assert [(n["number"], n["status"]) for n in held] == [(desk.json()["number"], "issued")]
