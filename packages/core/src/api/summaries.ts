import { z } from "zod";
import { StateTypeSchema } from "../states/index.js";
import { IdSchema, TimestampSchema } from "./common.js";

/** The most deployments one summaries request may name: a page of the deployments list. */
export const MAX_SUMMARY_IDS = 200;

/** `ids=a,b,c`: the deployments of one page of the list; `runs`: how many last runs each. */
export const DeploymentSummariesQuerySchema = z
  .object({
    ids: z
      .string()
      .transform((text) => text.split(",").map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(IdSchema).min(1, { message: "name at least one deployment id (ids=ID,ID,...)" }).max(MAX_SUMMARY_IDS, { message: `at most ${MAX_SUMMARY_IDS} ids per request; ask per page` })),
    runs: z.coerce.number().int().min(0).max(20).default(5),
  })
  .strict();

export const RunBadgeSchema = z.object({ id: IdSchema, name: z.string(), state_type: StateTypeSchema, state_name: z.string() });

export const DeploymentSummarySchema = z.object({
  deployment_id: IdSchema,
  /** The SCHEDULED run due first (by expected start time, not creation). */
  next_scheduled_run: RunBadgeSchema.extend({ expected_start_time: TimestampSchema.nullable() }).nullable(),
  /** The last runs that started (not Scheduled), newest created first. */
  last_runs: z.array(RunBadgeSchema),
});
export type DeploymentSummary = z.infer<typeof DeploymentSummarySchema>;
export const DeploymentSummariesSchema = z.object({ items: z.array(DeploymentSummarySchema) });
