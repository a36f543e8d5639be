import { z } from "zod";

/** What notification rules and automations watch: the states a run enters, and which runs. */
export const NOTIFY_STATES = ["FAILED", "CRASHED", "LATE", "CANCELLED", "COMPLETED"] as const;
export const NotifyStateSchema = z.enum(NOTIFY_STATES);
export type NotifyState = z.infer<typeof NotifyStateSchema>;

const Names = z.array(z.string().min(1).max(200)).max(100);

/** Which runs a rule (or an automation's trigger) matches: every list given must match; empty lists match all. */
export const RunMatchSchema = z
  .object({
    flows: Names.default([]),
    /** Deployment names, `flow/deployment` or just `deployment`. */
    deployments: Names.default([]),
    /** Any of these tags. */
    tags: Names.default([]),
    work_pools: Names.default([]),
  })
  .strict();
export type RunMatch = z.infer<typeof RunMatchSchema>;
