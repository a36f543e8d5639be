import type { BatonDatabase } from "../db/open.js";
import { factsOf, matches, runFacts, type MessageFacts, type RunFacts } from "../notifications/message.js";
import { enabledOf, firing, insertFirings } from "./firings.js";

const BATCH = 200;
const BATCHES_PER_PASS = 5;
/** Entries are read again this far back, in case a state committed a little after its timestamp; the firing key makes it harmless. */
const SKEW_MS = 30_000;

interface Position {
  timestamp: string;
  id: string;
}
interface Entry extends Position {
  flow_run_id: string;
  type: string;
  name: string;
}

/**
 * Where an automation's reading of the history stands, per entered type, kept on its row: a pass
 * reads only the entries whose deadline passed since, and so does a restarted server. `for` is
 * the row's `updated`: a changed trigger starts over. Replicas may write it in turn; each position
 * is one a pass reached, and the firing key makes reading an entry twice harmless.
 */
interface Cursor {
  for: string;
  at: Record<string, Position>;
}

function cursorOf(row: { trigger_cursor?: string | null; updated: string }): Cursor {
  const saved = row.trigger_cursor ? (JSON.parse(row.trigger_cursor) as Cursor) : undefined;
  return saved?.for === row.updated ? saved : { for: row.updated, at: {} };
}

const iso = (ms: number) => new Date(ms).toISOString();
const after = (a: Position, b: Position) => a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.id > b.id);

/**
 * "Not in state S within N after entering T" (Prefect's proactive trigger): each entry of a
 * matching run into one of `after` whose N has passed fires unless the run entered one of
 * `expect` in those N. Entries are read by (type, timestamp) through an index, from the
 * automation's cursor to now - N, in bounded batches; the expected states of a batch's runs in
 * one read of their histories. The event key is the entry's state id: once per (automation, run,
 * entry), on one replica. Entries whose deadline fell before the automation was made or last
 * changed are not looked at.
 */
export async function notInStateTriggers(database: BatonDatabase, uiUrl: string | undefined, now: Date): Promise<number> {
  const db = database.db;
  let fired = 0;
  for (const a of await enabledOf(db, "not_in_state_within")) {
    const { trigger } = a;
    const window = trigger.seconds * 1000;
    const upper = iso(now.getTime() - window);
    // Entries due before the trigger was made, changed or resumed are not its to judge.
    const floor = iso(Date.parse(a.row.updated) - window);
    const cursor = cursorOf(a.row);
    // One index range per entered type, each with its own position.
    for (const type of new Set(trigger.after)) {
      let from = cursor.at[type] ?? { timestamp: floor, id: "" };
      for (let batch = 0; batch < BATCHES_PER_PASS && from.timestamp <= upper; batch++) {
        const position = from;
        const entries: Entry[] = await db
          .selectFrom("flow_run_states")
          .select(["flow_run_id", "id", "timestamp", "type", "name"])
          .where("type", "=", type)
          .where("timestamp", ">=", floor)
          .where("timestamp", "<=", upper)
          .where((eb) => eb.or([eb("timestamp", ">", position.timestamp), eb.and([eb("timestamp", "=", position.timestamp), eb("id", ">", position.id)])]))
          .orderBy("timestamp")
          .orderBy("id")
          .limit(BATCH)
          .execute();
        fired += await fire(database, a, entries, window, uiUrl, now);
        const last = entries.at(-1);
        from = entries.length < BATCH || !last ? { timestamp: iso(Date.parse(upper) - SKEW_MS), id: "" } : { timestamp: last.timestamp, id: last.id };
        cursor.at[type] = from;
        if (entries.length < BATCH) break;
      }
    }
    await db.updateTable("automations").set({ trigger_cursor: JSON.stringify(cursor) }).where("id", "=", a.row.id).where("updated", "=", a.row.updated).execute();
  }
  return fired;
}

type Automation = Awaited<ReturnType<typeof enabledOf<"not_in_state_within">>>[number];

/** The entries of one batch that saw none of the expected states in their window become firings. */
async function fire(database: BatonDatabase, a: Automation, entries: Entry[], window: number, uiUrl: string | undefined, now: Date): Promise<number> {
  if (entries.length === 0) return 0;
  const { trigger } = a;
  const runs = await runFacts(database.db, entries.map((e) => e.flow_run_id));
  const watched = entries.filter((e) => {
    const run = runs.get(e.flow_run_id);
    return run !== undefined && matches(trigger.match, run);
  });
  if (watched.length === 0) return 0;
  const first = watched.reduce((x, y) => (y.timestamp < x.timestamp ? y : x)).timestamp;
  const last = watched.reduce((x, y) => (y.timestamp > x.timestamp ? y : x)).timestamp;
  const reached = await database.db
    .selectFrom("flow_run_states")
    .select(["flow_run_id", "id", "timestamp"])
    .where("flow_run_id", "in", [...new Set(watched.map((e) => e.flow_run_id))])
    .where("type", "in", trigger.expect)
    .where("timestamp", ">=", first)
    .where("timestamp", "<=", iso(Date.parse(last) + window))
    .execute();
  const byRun = new Map<string, typeof reached>();
  for (const r of reached) byRun.set(r.flow_run_id, [...(byRun.get(r.flow_run_id) ?? []), r]);
  const rows = watched.flatMap((e) => {
    const deadline = iso(Date.parse(e.timestamp) + window);
    if ((byRun.get(e.flow_run_id) ?? []).some((r) => after(r, e) && r.timestamp <= deadline)) return [];
    return [firing(a.row, `entered:${e.flow_run_id}:${e.id}`, "NOT_IN_STATE", facts(runs.get(e.flow_run_id)!, e, trigger.expect, trigger.seconds, uiUrl, now), now)];
  });
  return insertFirings(database.db, rows);
}

function facts(run: RunFacts, entry: Entry, expect: readonly string[], seconds: number, uiUrl: string | undefined, now: Date): MessageFacts {
  const message = `entered ${entry.name} at ${entry.timestamp} and was not ${expect.join(" or ")} within ${seconds}s`;
  const event = { id: "", flow_run_id: run.id, event: "NOT_IN_STATE", state_name: entry.name, message, occurred: now.toISOString() };
  return { ...factsOf(event, run, uiUrl), state: { type: entry.type, name: entry.name, message, timestamp: entry.timestamp } };
}
