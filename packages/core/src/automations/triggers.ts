import { z } from "zod";
import { NotifyStateSchema, RunMatchSchema } from "./run-match.js";
import { ResourceNameSchema } from "../resource-name.js";
import { TIME_OF_DAY } from "../schedules/daily-deadline.js";
import { isValidTimeZone } from "../schedules/zone.js";
import { STATE_TYPES } from "../states/names.js";

/** What fires an automation (issue 15 part 3), and the same as a deployment's `triggers:` in baton.yaml. */
const Match = RunMatchSchema.default({ flows: [], deployments: [], tags: [], work_pools: [] });
export const DeploymentRefSchema = z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must be flow/deployment, e.g. etl/nightly");
const Seconds = z.number().int().min(1).max(30 * 86_400);

/** A run of a matching flow, deployment, tag or pool enters one of `states`. */
const State = z.object({ type: z.literal("state"), states: z.array(NotifyStateSchema).min(1, "give at least one of FAILED, CRASHED, LATE, CANCELLED, COMPLETED").max(5), match: Match }).strict();
/** A matching run is still Running `seconds` after it started. */
const RunningLongerThan = z.object({ type: z.literal("running_longer_than"), seconds: Seconds, match: Match }).strict();
/** Prefect's proactive triggers name events (`prefect.flow-run.Pending`); Baton's name the run's state type. */
function notAStateType(issue: { input?: unknown }): string {
  const text = String(issue.input);
  const meant = STATE_TYPES.find((t) => t === text.replace(/^prefect\.flow-run\./, "").toUpperCase());
  return `${JSON.stringify(issue.input)} is not a state type; ${meant ? `write ${meant}` : `use ${STATE_TYPES.join(", ")}`}`;
}
const RunStateType = z.enum(STATE_TYPES, { error: notAStateType });
const RunStates = (field: string) => z.array(RunStateType).min(1, `give at least one state in ${field}, e.g. [PENDING]`).max(STATE_TYPES.length);
/**
 * Prefect's proactive trigger: a matching run entered one of `after` and did not enter any of
 * `expect` within `seconds` of that (whatever else it did). Fires once per entry into `after`.
 * `running_longer_than` is the case after [RUNNING], expect the final states.
 */
const NotInStateWithin = z
  .object({ type: z.literal("not_in_state_within"), after: RunStates("after"), expect: RunStates("expect"), seconds: Seconds, match: Match })
  .strict();
/**
 * No run of `deployment` entered Completed between the previous day's `time` and today's, on the
 * clock of `timezone` (default: the deployment's first schedule's, else UTC). Fires once a day.
 */
const NoCompletedRunBy = z
  .object({
    type: z.literal("no_completed_run_by"),
    deployment: DeploymentRefSchema,
    time: z.string().regex(TIME_OF_DAY, "must be HH:MM or HH:MM:SS on a 24-hour clock, e.g. 07:00"),
    timezone: z.string().refine(isValidTimeZone, "must be an IANA time zone such as Europe/Paris or UTC").optional(),
  })
  .strict();
/** None of a pool's workers has been online for `seconds` (every pool when `work_pools` is empty). Fires once an outage. */
const WorkPoolOffline = z.object({ type: z.literal("work_pool_offline"), work_pools: z.array(ResourceNameSchema).default([]), seconds: Seconds }).strict();

const TYPES = "state, running_longer_than, not_in_state_within, no_completed_run_by or work_pool_offline";

/** A type that is none of Baton's, Prefect's event triggers first among them, gets the list. */
function unknownType(issue: { code?: string; input?: unknown }): string | undefined {
  if (issue.code !== "invalid_union") return undefined;
  const type = issue.input && typeof issue.input === "object" ? (issue.input as { type?: unknown }).type : undefined;
  if (type === undefined) return `give the trigger a type: ${TYPES}`;
  const prefect = ["event", "metric", "compound", "sequence"].includes(String(type)) ? " (Prefect's event, metric, compound and sequence triggers read Prefect's events, which Baton does not have)" : "";
  return `"${String(type)}" is not a trigger type; use ${TYPES}${prefect}`;
}

export const AutomationTriggerSchema = z.discriminatedUnion("type", [State, RunningLongerThan, NotInStateWithin, NoCompletedRunBy, WorkPoolOffline], { error: unknownType });
export type AutomationTrigger = z.input<typeof AutomationTriggerSchema>;

/**
 * A deployment's trigger (`triggers:` in baton.yaml, Prefect's deployment triggers): an
 * automation owned by the deployment whose action is always running it, with `parameters`
 * (`{{ flow_run.id }}` and friends take the triggering run's). `name` defaults to
 * FLOW-DEPLOYMENT-N; `no_completed_run_by` watches the deployment itself unless it names another.
 */
const Own = { name: ResourceNameSchema.optional(), enabled: z.boolean().default(true), parameters: z.record(z.string(), z.unknown()).default({}) };
export const DeploymentTriggerSchema = z.discriminatedUnion("type", [
  State.extend(Own),
  RunningLongerThan.extend(Own),
  NotInStateWithin.extend(Own),
  NoCompletedRunBy.extend({ ...Own, deployment: DeploymentRefSchema.optional() }),
  WorkPoolOffline.extend(Own),
], { error: unknownType });
export type DeploymentTrigger = z.input<typeof DeploymentTriggerSchema>;

/** The automation a deployment's trigger becomes: its `name`, else FLOW-DEPLOYMENT-N in the letters a name may use. */
export function deploymentTriggerName(flow: string, deployment: string, index: number, name?: string): string {
  if (name !== undefined) return name;
  const base = `${flow}-${deployment}`.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return `${base.slice(0, 90) || "deployment"}-${index + 1}`;
}
