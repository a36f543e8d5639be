import type { BatonDatabase } from "../db/open.js";
import type { AutomationFiringTable } from "../db/schema.js";
import { factsOf, matches, runFacts, type MessageFacts, type RunFacts } from "../notifications/message.js";
import type { EventConsumer } from "../notifications/outbox.js";
import { enabledOf, firing, insertFirings } from "./firings.js";

/** State triggers, read from the notifications' outbox in the transaction that takes its events. */
export function stateTriggers(uiUrl: string | undefined): EventConsumer {
  return async (trx, events, runs, now) => {
    const automations = await enabledOf(trx, "state");
    if (automations.length === 0) return;
    const rows: AutomationFiringTable[] = [];
    for (const event of events) {
      const run = runs.get(event.flow_run_id);
      if (!run) continue;
      for (const a of automations) {
        if (!a.trigger.states.includes(event.event as never) || !matches(a.trigger.match, run)) continue;
        rows.push(firing(a.row, `event:${event.id}`, event.event, factsOf(event, run, uiUrl), now));
      }
    }
    await insertFirings(trx, rows);
  };
}

/**
 * "Running longer than N": RUNNING runs that started more than N ago, for each such automation.
 * The event key is the run and its attempt (run_count), so a run fires once per attempt.
 */
export async function longRunningTriggers(database: BatonDatabase, uiUrl: string | undefined, now: Date): Promise<number> {
  const automations = await enabledOf(database.db, "running_longer_than");
  let fired = 0;
  for (const a of automations) {
    const trigger = a.trigger;
    const before = new Date(now.getTime() - trigger.seconds * 1000).toISOString();
    const rows = await database.db.selectFrom("flow_runs").select(["id", "run_count", "start_time", "state_name"]).where("state_type", "=", "RUNNING").where("start_time", "<", before).limit(500).execute();
    const runs = await runFacts(database.db, rows.map((r) => r.id));
    const firings = rows.flatMap((r) => {
      const run = runs.get(r.id);
      if (!run || !matches(trigger.match, run)) return [];
      return [firing(a.row, `running:${r.id}:${r.run_count}`, "RUNNING_LONG", longFacts(run, r.state_name, r.start_time!, trigger.seconds, uiUrl, now), now)];
    });
    await insertFirings(database.db, firings);
    fired += firings.length;
  }
  return fired;
}

function longFacts(run: RunFacts, stateName: string, started: string, seconds: number, uiUrl: string | undefined, now: Date): MessageFacts {
  const event = { id: "", flow_run_id: run.id, event: "RUNNING_LONG", state_name: stateName, message: `running since ${started}, longer than ${seconds}s`, occurred: now.toISOString() };
  return { ...factsOf(event, run, uiUrl), state: { type: "RUNNING", name: stateName, message: event.message, timestamp: event.occurred } };
}
