import { FLOW_RUN_COUNT_CAP, type FlowRunCount, type FlowRunCountQuerySchema } from "@baton/core";
import { sql } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { splitStateFilter } from "../db/filters.js";
import { COMMON_TAG_RUNS, commonTags, filtered } from "./list.js";

export type FlowRunCountQuery = z.output<typeof FlowRunCountQuerySchema>;

/**
 * How many runs the list's filters match, for the runs page's total. Counting stops at the cap
 * (`limit cap + 1` inside the count), so a count reads at most that many index entries however
 * many runs there are; past it the answer is "at least the cap".
 */
export async function countFlowRuns(database: BatonDatabase, query: FlowRunCountQuery, cap = FLOW_RUN_COUNT_CAP): Promise<FlowRunCount> {
  let matching = filtered(database, query, database.kind === "sqlite" ? await commonTags(database, query.tag ?? [], COMMON_TAG_RUNS) : new Set());
  const { types, names } = splitStateFilter(query.state ?? []);
  if (types.length + names.length > 0) {
    matching = matching.where((eb) =>
      eb.or([...(types.length ? [eb("state_type", "in", types)] : []), ...(names.length ? [eb("state_name", "in", names)] : [])]),
    );
  }
  const bounded = matching.clearSelect().select(sql<number>`1`.as("one")).limit(cap + 1);
  const row = await database.db.selectFrom(bounded.as("matching")).select((eb) => eb.fn.countAll<number | string | bigint>().as("n")).executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}
