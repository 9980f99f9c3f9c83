// Official notices issued at the worksite, offline (issue 17): online, the device reserves blocks of serials for
// the districts it works in (POST /devices/me/notice-blocks, with their official numbers); offline, issuing a
// notice takes the block's next serial in the same IndexedDB transaction as its `notice.issue` mutation, so a
// number survives a reload and is never used twice. A spoiled number is voided with a reason (`notice.void`).
import { getJson } from "./api";
import { byIndex, getAll, getMeta, req, tx } from "./db";
import { uuid7 } from "./ids";
import { commit } from "./outbox";
import { todayAt } from "./today";
import type { Action, Device, Establishment, Inspection, LocalNotice, NoticeBlock } from "./types";

/** The measures that have an official notice (the server's `notices.KINDS`). */
export const NOTICE_MEASURES = new Set<Action["measure"]>(["order_to_rectify", "penalty", "stop_work", "referral"]);
/** At or below this many numbers left in a district, the device reserves another block when online and says so. */
export const LOW = 5;

type ServerBlock = Omit<NoticeBlock, "next_serial" | "reserved_at">;

/** The serials not yet used in a district's blocks on this device (of `year` and later, when given: a notice
 * issued in a new year takes that year's numbers, so an older year's block does not count as enough). */
export function remaining(blocks: NoticeBlock[], year?: number): number {
  return blocks
    .filter((b) => year === undefined || b.year >= year)
    .reduce((n, b) => n + Math.max(0, b.last_serial - b.next_serial + 1), 0);
}

/** The year today in the district (its establishments' time zone), as the server numbers it. */
function yearIn(establishments: Establishment[], unitId: string): number {
  return Number(todayAt(establishments.find((e) => e.district_id === unitId)).slice(0, 4));
}

export function blocksOf(unitId: string): Promise<NoticeBlock[]> {
  return byIndex<NoticeBlock>("notice_blocks", "unit", unitId);
}

/** The districts this device may issue notices in: the user's own districts and those of its draft visits. */
export async function noticeUnits(): Promise<string[]> {
  const [device, inspections, establishments] = await Promise.all([
    getMeta<Device>("device"),
    getAll<Inspection>("inspections"),
    getAll<Establishment>("establishments"),
  ]);
  const districtOf = new Map(establishments.map((e) => [e.id, e.district_id]));
  const districts = new Set(districtOf.values());
  const units = new Set((device?.user.org_unit_ids ?? []).filter((u) => districts.has(u)));
  for (const i of inspections) {
    const district = districtOf.get(i.establishment_id);
    if (i.status === "draft" && district) units.add(district);
  }
  return [...units].sort();
}

/** Online: reserve a new block for each district whose numbers (of this year) on this device are running out. */
export async function refreshNoticeBlocks(): Promise<void> {
  const establishments = await getAll<Establishment>("establishments");
  for (const unit of await noticeUnits()) {
    if (remaining(await blocksOf(unit), yearIn(establishments, unit)) > LOW) continue;
    const block = await getJson<ServerBlock>("/devices/me/notice-blocks", { json: { org_unit_id: unit } });
    await tx(["notice_blocks"], "readwrite", async (t) => {
      const store = t.objectStore("notice_blocks");
      if (await req(store.get(block.id))) return; // never reset a block's next serial
      const fresh: NoticeBlock = { ...block, next_serial: block.first_serial, reserved_at: new Date().toISOString() };
      store.add(fresh);
    });
  }
}

/** Issue the measure's notice with the next number of the district's blocks (this `year`'s first, an older
 * year's only when none is left); null when it has an issued notice already or no number is left. The number,
 * the block's next serial and the mutation are written together. */
export async function issueNotice(action: Action, unitId: string, year = 0): Promise<LocalNotice | null> {
  let made: LocalNotice | null = null;
  await commit(
    ["notice_blocks", "notices"],
    async (t) => {
      const notices = t.objectStore("notices");
      const held = (await req(notices.index("action").getAll(action.id))) as LocalNotice[];
      if (held.some((n) => n.status === "issued")) return; // one notice per measure, until it is voided
      const blocks = t.objectStore("notice_blocks");
      const open = ((await req(blocks.index("unit").getAll(unitId))) as NoticeBlock[])
        .filter((b) => b.next_serial <= b.last_serial)
        .sort((a, b) => Number(b.year >= year) - Number(a.year >= year) || a.year - b.year || a.first_serial - b.first_serial);
      const block = open[0];
      if (!block) return;
      const serial = block.next_serial;
      blocks.put({ ...block, next_serial: serial + 1 });
      made = {
        id: uuid7(),
        action_id: action.id,
        block_id: block.id,
        org_unit_id: unitId,
        serial,
        number: block.numbers[serial - block.first_serial] ?? String(serial),
        status: "issued",
        issued_at: new Date().toISOString(),
      };
      notices.add(made);
    },
    () => {
      const n = made as LocalNotice | null;
      return n
        ? [{ name: "notice.issue", args: { notice_id: n.id, action_id: n.action_id, block_id: n.block_id, serial: n.serial } }]
        : [];
    },
  );
  return made;
}

/** Void an issued notice's number, with the reason; sent once as `notice.void`. */
export async function voidNotice(notice: LocalNotice, reason: string): Promise<void> {
  let first = false;
  await commit(
    ["notices"],
    async (t) => {
      const store = t.objectStore("notices");
      const current = (await req(store.get(notice.id))) as LocalNotice | undefined;
      if (!current || current.status !== "issued") return;
      first = true;
      store.put({ ...current, status: "voided", void_reason: reason });
    },
    () => (first ? [{ name: "notice.void", args: { block_id: notice.block_id, serial: notice.serial, reason } }] : []),
  );
}
