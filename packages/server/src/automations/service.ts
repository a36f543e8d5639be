import type { AutomationAction } from "@baton/core";
import type { FastifyBaseLogger } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import type { AutomationFiringTable } from "../db/schema.js";
import { LOG_KEEP_DAYS, backoffSeconds } from "../notifications/outbox.js";
import { runActions, type ActionContext } from "./actions.js";
import { deadlineTriggers } from "./deadline-trigger.js";
import { poolOfflineTriggers } from "./pool-trigger.js";
import { notInStateTriggers } from "./not-in-state-trigger.js";
import { longRunningTriggers } from "./triggers.js";

const MAX_ATTEMPTS = 5;
const LEASE_SECONDS = 60;

/** Take due firings under a lease (PostgreSQL: skipping those another replica takes). */
async function claimFirings(database: BatonDatabase, now: Date): Promise<AutomationFiringTable[]> {
  const stamp = now.toISOString();
  const due = database.db
    .selectFrom("automation_firings")
    .select("id")
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", stamp)
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", stamp)]))
    .orderBy("next_attempt_at")
    .limit(20)
    .$if(database.kind === "postgresql", (q) => q.forUpdate().skipLocked());
  return database.db
    .updateTable("automation_firings")
    .set((eb) => ({ claimed_until: new Date(now.getTime() + LEASE_SECONDS * 1000).toISOString(), attempts: eb("attempts", "+", 1) }))
    .where("id", "in", due)
    .returningAll()
    .execute();
}

/**
 * One pass of the automations: fire the triggers that watch the clock (long runs, states not reached in time, daily
 * deadlines, pools without workers), then run the due firings' actions (state triggers fire where the notifications take the outbox's events).
 */
let prunedAt = 0;

export async function automationPass(ctx: ActionContext, log: FastifyBaseLogger, uiUrl: string | undefined, stopped: () => boolean): Promise<void> {
  const { database } = ctx;
  // Finished firings are kept as long as the delivery log, looked at once an hour.
  if (Date.now() - prunedAt > 3_600_000) {
    prunedAt = Date.now();
    await database.db.deleteFrom("automation_firings").where("created", "<", new Date(Date.now() - LOG_KEEP_DAYS * 86_400_000).toISOString()).where("status", "<>", "pending").execute();
  }
  await longRunningTriggers(database, uiUrl, new Date());
  await notInStateTriggers(database, uiUrl, new Date());
  await deadlineTriggers(database, new Date());
  await poolOfflineTriggers(database, new Date());
  while (!stopped()) {
    const firings = await claimFirings(database, new Date());
    if (firings.length === 0) return;
    for (const firing of firings) {
      const automation = await database.db.selectFrom("automations").select("actions").where("id", "=", firing.automation_id).executeTakeFirst();
      const now = new Date();
      try {
        if (!automation) throw new Error("the automation was deleted before its actions ran");
        await runActions(ctx, firing, fromJson<AutomationAction[]>(automation.actions), now);
        await database.db.updateTable("automation_firings").set({ status: "done", done_at: now.toISOString(), claimed_until: null, last_error: null }).where("id", "=", firing.id).execute();
      } catch (error) {
        const message = (error as Error).message;
        const giveUp = !automation || firing.attempts >= MAX_ATTEMPTS;
        const next = giveUp ? null : new Date(now.getTime() + backoffSeconds(firing.attempts, 5) * 1000).toISOString();
        await database.db.updateTable("automation_firings").set({ status: giveUp ? "failed" : "pending", next_attempt_at: next, claimed_until: null, last_error: message.slice(0, 2000) }).where("id", "=", firing.id).execute();
        log.warn(`automation "${firing.automation_name}": attempt ${firing.attempts} failed: ${message}`);
      }
    }
  }
}
