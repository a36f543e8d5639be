import type { RouteName } from "@baton/core";
import type { BatonDatabase } from "../../db/open.js";
import { artifactRunId } from "../../artifacts/store.js";
import { assertRunMayReadSecret } from "../../secrets/references.js";
import { claimKeyMayRunDeployment } from "./deployment-scope.js";
import { isRunInScope, runFacts } from "./run-lookup.js";
import { allRunsInScope, newOrOwnFlowRun, taskRunsInScope } from "./scope-checks.js";

/** What a check gets: the token's run, and the request's params, query and body as the route's schemas validated them. */
interface ScopeInput {
  database: BatonDatabase;
  /** The run the token names. */
  rootId: string;
  params: any;
  query: any;
  body: any;
}

type Check = (input: ScopeInput) => Promise<boolean>;

const ownRun: Check = ({ database, rootId, params }) => isRunInScope(database, rootId, params.id);
const ownTaskRun: Check = ({ database, rootId, params }) => taskRunsInScope(database, rootId, [params.id]);
const always: Check = async () => true;

/**
 * THE RUN-TOKEN SCOPE: every route a run token may use, and what it must target. A route not in
 * this table answers 403 to a run token, whatever it is. "In scope" means the token's flow run or
 * one of its subflow runs (a run whose parent_flow_run_id chain reaches it).
 *
 * | route                                                            | allowed when                                               |
 * |------------------------------------------------------------------|------------------------------------------------------------|
 * | readFlowRun, waitForFlowRun, setFlowRunState, heartbeatFlowRun, flowRunStates, whyFlowRun | the flow run is in scope          |
 * | createRunToken (renewal)                                         | it is the token's own run (not a subflow), not yet final   |
 * | createFlowRun (a subflow)                                        | parent_flow_run_id is in scope and parent_task_run_id is a task run of it; an existing id must be in scope |
 * | createTaskRun                                                    | its flow run is in scope; an existing id must be in scope  |
 * | readTaskRun, setTaskRunState, taskRunStates                      | the task run belongs to a run in scope                     |
 * | listTaskRuns, listLogs                                           | filtered by a flow_run_id in scope                         |
 * | createLogs                                                       | every line's flow run (and task run, if any) is in scope   |
 * | reportRun                                                        | every task run, state and line targets a run in scope      |
 * | readDeployment                                                   | it is the token run's deployment                           |
 * | readDeploymentByName                                             | the key that claimed the run may act on that deployment    |
 * | runDeployment (runDeployment in flow code)                       | the new run is a child of a run in scope (parent_flow_run_id; parent_task_run_id a task run of it), its id new or in scope, and the key that claimed the run may act on that deployment (its pool and deployment limits) |
 * | readSecretValue                                                  | the secret's scope covers the run's pool and deployment, or its pool's base job template names it (getSecret in flow code) |
 * | readResult, writeResult, readResultContent, writeResultContent    | owner is a run in scope (its persisted results) or "cache" (shared cache entries, keyed by task and cache key) |
 * | acquireConcurrencySlots                                          | flow_run_id (required) is in scope                         |
 * | renewConcurrencyLease, releaseConcurrencyLease, readConcurrencyLimit | always (a lease id is known only to whoever took it)     |
 * | createArtifact                                                   | its flow run is in scope; its task run, if it exists, too  |
 * | updateArtifact                                                   | the artifact belongs to a run in scope                     |
 * | createFlow, readVariable, whoAmI, version, health, ready         | always (flow names and variables are not secret)           |
 *
 * Not allowed, on purpose: cancelling or deleting a run, any list but the two above (a run cannot
 * enumerate others), deployments but the above (no writes, no runs outside the claiming key's limits,
 * no run that is not a child of its own), pools, work queues, claims, variables and secrets writes,
 * API keys, other run tokens.
 */
export const RUN_TOKEN_SCOPE: Partial<Record<RouteName, Check>> = {
  readFlowRun: ownRun,
  // runDeployment in flow code waits on the child run it started (a subflow run: in scope).
  waitForFlowRun: ownRun,
  setFlowRunState: ownRun,
  heartbeatFlowRun: ownRun,
  flowRunStates: ownRun,
  whyFlowRun: ownRun,
  // Renewal: a run longer than a token's life asks for its next token with the current one. Only
  // its own run's (a subflow's token would be a second credential for the same work), and never once
  // the run is final: authorizeRunScope refuses every route but AFTER_END_ROUTES then.
  createRunToken: async ({ rootId, params }) => params.id === rootId,
  createFlowRun: async ({ database, rootId, body }) => {
    if (!body.parent_flow_run_id || !body.parent_task_run_id) return false;
    if (!(await isRunInScope(database, rootId, body.parent_flow_run_id))) return false;
    const parentTask = await database.db.selectFrom("task_runs").select("flow_run_id").where("id", "=", body.parent_task_run_id).executeTakeFirst();
    return parentTask?.flow_run_id === body.parent_flow_run_id && newOrOwnFlowRun(database, rootId, body.id);
  },
  createTaskRun: async ({ database, rootId, body }) =>
    (await isRunInScope(database, rootId, body.flow_run_id)) && taskRunsInScope(database, rootId, [body.id], new Set([body.id])),
  readTaskRun: ownTaskRun,
  setTaskRunState: ownTaskRun,
  taskRunStates: ownTaskRun,
  listTaskRuns: async ({ database, rootId, query }) => query.flow_run_id !== undefined && isRunInScope(database, rootId, query.flow_run_id),
  listLogs: ({ database, rootId, query }) => isRunInScope(database, rootId, query.flow_run_id),
  createLogs: async ({ database, rootId, body }) => {
    const lines = body as { flow_run_id: string; task_run_id?: string | null }[];
    if (!(await allRunsInScope(database, rootId, lines.map((l) => l.flow_run_id)))) return false;
    return logTaskRunsInScope(database, rootId, lines, new Set());
  },
  reportRun: async ({ database, rootId, body }) => {
    const report = body as { task_runs: { id: string; flow_run_id: string }[]; task_run_states: { task_run_id: string }[]; logs: { flow_run_id: string; task_run_id?: string | null }[] };
    const created = new Set(report.task_runs.map((t) => t.id));
    if (!(await allRunsInScope(database, rootId, [...report.task_runs.map((t) => t.flow_run_id), ...report.logs.map((l) => l.flow_run_id)]))) return false;
    // Ids that exist already must be ours too: a report cannot adopt another run's task run.
    if (!(await taskRunsInScope(database, rootId, [...created, ...report.task_run_states.map((s) => s.task_run_id)], created))) return false;
    return logTaskRunsInScope(database, rootId, report.logs, created);
  },
  readDeployment: async ({ database, rootId, params }) => (await runFacts(database, rootId))?.deployment_id === params.id,
  // runDeployment in flow code looks the deployment up by name, then starts a child run of it.
  readDeploymentByName: ({ database, rootId, params }) => claimKeyMayRunDeployment(database, rootId, { flow: params.flow, name: params.name }),
  runDeployment: async ({ database, rootId, params, body }) => {
    if (!body.parent_flow_run_id || !(await isRunInScope(database, rootId, body.parent_flow_run_id))) return false;
    if (!(await newOrOwnFlowRun(database, rootId, body.id))) return false;
    return claimKeyMayRunDeployment(database, rootId, { id: params.id });
  },
  // Refuses with SecretOutOfScope (403) naming the scope and the fix, rather than the generic answer.
  readSecretValue: async ({ database, rootId, params }) => {
    await assertRunMayReadSecret(database, rootId, params.name);
    return true;
  },
  // A run takes slots for itself: the run it names must be in scope (task_run_id is a label: the
  // task run may not be reported yet). Leases are 122 random bits, known only to whoever took them.
  acquireConcurrencySlots: async ({ database, rootId, body }) => body.flow_run_id !== undefined && isRunInScope(database, rootId, body.flow_run_id),
  // Persisted results belong to a run: its own and its subflows'. Cache entries are shared by design
  // (a cache key hits across runs and pods), so any run may read and write them.
  readResult: async ({ database, rootId, params }) => params.owner === "cache" || isRunInScope(database, rootId, params.owner),
  writeResult: async ({ database, rootId, params }) => params.owner === "cache" || isRunInScope(database, rootId, params.owner),
  readResultContent: async ({ database, rootId, params }) => params.owner === "cache" || isRunInScope(database, rootId, params.owner),
  writeResultContent: async ({ database, rootId, params }) => params.owner === "cache" || isRunInScope(database, rootId, params.owner),
  renewConcurrencyLease: always,
  releaseConcurrencyLease: always,
  readConcurrencyLimit: always,
  // Flow code publishes artifacts of its own run; the task run is a label that may not be reported yet, but one that exists must be ours.
  createArtifact: async ({ database, rootId, body }) =>
    (await isRunInScope(database, rootId, body.flow_run_id)) && (body.task_run_id === undefined || taskRunsInScope(database, rootId, [body.task_run_id], new Set([body.task_run_id]))),
  updateArtifact: async ({ database, rootId, params }) => {
    const runId = await artifactRunId(database.db, params.id);
    return runId !== undefined && isRunInScope(database, rootId, runId);
  },
  createFlow: always,
  readVariable: always,
  whoAmI: always,
  version: always,
  health: always,
  ready: always,
};

/** A log line may name a task run only of a run in scope (or one the same report creates). */
async function logTaskRunsInScope(database: BatonDatabase, rootId: string, lines: { task_run_id?: string | null }[], created: ReadonlySet<string>): Promise<boolean> {
  const ids = lines.map((l) => l.task_run_id).filter((id): id is string => typeof id === "string");
  return taskRunsInScope(database, rootId, ids, created);
}

/** After its run ended, a token may only send the run's last lines and task-run states (see RUN_TOKEN_GRACE_SECONDS). */
export const AFTER_END_ROUTES: ReadonlySet<RouteName> = new Set(["createLogs", "reportRun", "whoAmI"]);
