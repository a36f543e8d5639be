import type { WhyResult } from "@baton/core";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { decayedSlots, heldSlots } from "./limits.js";

type Reason = WhyResult["reasons"][number];

/** A wait not seen again for this long is over (the run got its slots another way, or died). */
const STALE_MS = 60_000;

/**
 * When a running run's code waits in concurrency() or rateLimit() (or a tagged task waits on its
 * tag's limit): which limit, how full, who holds it, and the fix. Undefined when it is not waiting.
 */
export async function limitWaitReason(db: Kysely<Database>, flowRunId: string, now: Date): Promise<Reason | undefined> {
  const wait = await db.selectFrom("concurrency_waits").selectAll().where("flow_run_id", "=", flowRunId).executeTakeFirst();
  if (!wait || Date.parse(wait.seen) < now.getTime() - STALE_MS) return undefined;
  const limit = await db.selectFrom("concurrency_limits").selectAll().where("name", "=", wait.limit_name).executeTakeFirst();
  if (!limit) return undefined;
  const held = (await heldSlots(db, [limit.id], now)).get(limit.id) ?? 0;
  const decayed = decayedSlots(limit, now);
  const holders = await db
    .selectFrom("concurrency_leases")
    .innerJoin("flow_runs", "flow_runs.id", "concurrency_leases.flow_run_id")
    .select(["flow_runs.id", "flow_runs.name"])
    .distinct()
    .where("concurrency_leases.limit_id", "=", limit.id)
    .where("concurrency_leases.expires", ">", now.toISOString())
    .limit(20)
    .execute();
  const kind = limit.name.startsWith("tag:") ? `tag limit "${limit.name.slice(4)}"` : `concurrency limit "${limit.name}"`;
  const usage = `${Math.round(held + decayed)} of ${limit.limit} slots in use${decayed > 0 ? ` (${decayed.toFixed(1)} still decaying at ${limit.slot_decay_per_second}/s)` : ""}`;
  return {
    code: "CONCURRENCY_LIMIT_WAIT",
    message: `the run is running and has waited since ${wait.since} for a slot of ${kind}: ${usage}${holders.length > 0 ? `, held by ${holders.map((h) => h.name).join(", ")}` : ""}; it goes on when one is released (or its lease ends), or raise the limit with baton concurrency-limit update ${limit.name} --limit N`,
    holders,
  };
}
