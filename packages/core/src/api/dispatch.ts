import { z } from "zod";
import { RunTokenSchema } from "./auth.js";
import { DeploymentSchema } from "./deployments.js";
import { FlowRunSchema } from "./flow-runs.js";

export const ClaimRequestSchema = z
  .object({
    worker_name: z.string().min(1).max(200),
    /** Only these queues of the pool; all of them, by priority, when omitted. */
    queues: z.array(z.string().min(1)).optional(),
    /** How many runs this worker can take now (its free slots). */
    limit: z.number().int().min(1).max(100).default(1),
    /** Long poll: wait up to this long for a run to become due before answering with none. */
    wait_seconds: z.number().min(0).max(60).default(0),
    /** A claimed run that has not started by then goes back to SCHEDULED. */
    lease_seconds: z.number().min(5).max(3600).default(60),
    /**
     * Each claimed run comes with its run token (what POST /flow_runs/:id/token would give this
     * caller): a worker that hands runs their own credential saves a request per run.
     */
    run_tokens: z.boolean().default(false),
  })
  .strict();
export type ClaimRequest = z.input<typeof ClaimRequestSchema>;

export const ClaimedRunSchema = z.object({
  flow_run: FlowRunSchema,
  deployment: DeploymentSchema.nullable(),
  /** This claim of the run: the worker sends it with the states it sets, so an earlier attempt's cannot land on a later one. */
  claim_id: z.string().optional(),
  /** The pool's base job template rendered with the pool, deployment and run variables. Secrets stay as references. */
  job_configuration: z.record(z.string(), z.unknown()),
  /** The run's own credential, when the claim asked for `run_tokens`. */
  run_token: RunTokenSchema.optional(),
});
export type ClaimedRun = z.infer<typeof ClaimedRunSchema>;
export const ClaimResultSchema = z.object({ flow_runs: z.array(ClaimedRunSchema) });

/** Why a run has not started: every reason that applies, each with what to do about it. */
export const WHY_CODES = [
  "SCHEDULED_IN_FUTURE",
  "NO_WORK_POOL",
  "WORK_POOL_NOT_FOUND",
  "NO_WORKER_ONLINE",
  "WORK_POOL_PAUSED",
  "WORK_QUEUE_PAUSED",
  "DEPLOYMENT_PAUSED",
  "POOL_CONCURRENCY_FULL",
  "QUEUE_CONCURRENCY_FULL",
  "DEPLOYMENT_CONCURRENCY_FULL",
  "LEASE_LOST",
  "CLAIMED_NOT_STARTED",
  "ALREADY_STARTED",
  "CONCURRENCY_LIMIT_WAIT",
] as const;
export const WhyResultSchema = z.object({
  flow_run_id: z.string(),
  state_type: z.string(),
  state_name: z.string(),
  reasons: z.array(
    z.object({
      code: z.enum(WHY_CODES),
      message: z.string(),
      /** Runs holding a full concurrency limit, when that is the reason. */
      holders: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
    }),
  ),
});
export type WhyResult = z.infer<typeof WhyResultSchema>;
