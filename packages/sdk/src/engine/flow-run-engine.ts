import { join } from "node:path";
import type { FlowRun, State } from "@baton/core";
import { ApiError, LOG_LEVELS, randomRunName, toJsonSafe, uuidv7 } from "@baton/core/runtime";
import { getClient, type BatonClient } from "../client/index.js";
import { currentFlowFrame, currentFrame, type FlowRunFrame } from "../context/run-context.js";
import { endFlowRunSpan, loadTracing, startFlowRunSpan } from "../tracing/index.js";
import { FlowRunFailedError } from "../errors/index.js";
import type { FlowDefinition } from "../definition/flow-types.js";
import { validateParameters } from "../definition/parameters.js";
import { emit } from "../logging/run-logger.js";
import { logConfigFrom } from "../settings/log-config.js";
import { capturePrints } from "../logging/log-prints.js";
import { reporterFor } from "../reporter/index.js";
import { loadSettings } from "../settings/index.js";
import { trackRun, untrackRun } from "../signals/crash-handlers.js";
import { executeFlowRun } from "./flow-run-attempts.js";
import type { ResultSettings } from "../results/index.js";
import { createParentTaskRun, finishParentTaskRun, type ParentTaskRun } from "./subflow.js";
import type { FlowRunOutcome, KnownFlowRun, RunFlowOptions } from "./flow-run-outcome.js";

export type { FlowRunOutcome, RunFlowOptions } from "./flow-run-outcome.js";

interface Environment {
  client: BatonClient;
  log: FlowRunFrame["log"];
  resultSettings: ResultSettings;
  heartbeatSeconds: number;
}

/** A subflow inherits its parent's client and settings; a top-level run reads them once. */
async function environment(parent: FlowRunFrame | undefined, client: BatonClient | undefined): Promise<Environment> {
  if (parent) return { client: parent.client, log: parent.log, resultSettings: parent.resultSettings, heartbeatSeconds: parent.heartbeatSeconds };
  const settings = loadSettings();
  return {
    client: client ?? (await getClient()),
    log: logConfigFrom(settings),
    resultSettings: {
      dir: settings.get("BATON_RESULTS_DIR") ?? join(settings.home, "results"),
      storage: settings.get("BATON_RESULTS_STORAGE") ?? "local",
      s3Endpoint: settings.get("BATON_RESULTS_S3_ENDPOINT"),
      s3Region: settings.get("BATON_RESULTS_S3_REGION"),
      s3CredentialsSecret: settings.get("BATON_RESULTS_S3_CREDENTIALS_SECRET"),
    },
    heartbeatSeconds: settings.get("BATON_FLOW_RUN_HEARTBEAT_SECONDS") ?? 10,
  };
}

async function createOrRead(client: BatonClient, def: FlowDefinition, id: string, existing: boolean, body: {
  parameters: Record<string, unknown>;
  parent?: ParentTaskRun;
}, known?: KnownFlowRun): Promise<KnownFlowRun> {
  if (existing && known?.id === id) return known;
  if (existing) {
    try {
      return await client.readFlowRun(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }
  const o = def.options;
  const name = typeof o.flowRunName === "function" ? o.flowRunName(body.parameters) : (o.flowRunName ?? randomRunName());
  return client.createFlowRun({
    id,
    flow_name: def.name,
    name,
    parameters: body.parameters,
    tags: o.tags ?? [],
    empirical_policy: { retries: o.retries ?? 0, retry_delay_seconds: o.retryDelaySeconds ?? 0 },
    ...(body.parent ? { parent_flow_run_id: body.parent.flow.id, parent_task_run_id: body.parent.id } : {}),
    state: { type: "PENDING" },
  });
}

/** Runs a flow as a recorded flow run, from parameter validation to its final state. */
export async function runFlowEngine(def: FlowDefinition, input: unknown, options: RunFlowOptions = {}): Promise<FlowRunOutcome> {
  const parameters = await validateParameters(def.name, def.options.parameters, input);
  const parent = currentFlowFrame();
  const env = await environment(parent, options.client);
  const id = options.flowRunId ?? uuidv7();
  const parentTask = parent ? await createParentTaskRun(parent, def.name, id) : undefined;
  let outcome: FlowRunOutcome;
  try {
    outcome = await runRecordedFlow(def, parameters, env, id, options, parentTask);
  } catch (error) {
    // The run could not be created or was refused: the parent's task run for it fails with the reason.
    if (parentTask) finishParentTaskRun(parentTask, undefined, undefined, error);
    throw error;
  }
  if (parentTask) finishParentTaskRun(parentTask, outcome.state, outcome.result, outcome.error);
  return outcome;
}

async function runRecordedFlow(
  def: FlowDefinition,
  parameters: Record<string, unknown>,
  env: Environment,
  id: string,
  options: RunFlowOptions,
  parentTask: ParentTaskRun | undefined,
): Promise<FlowRunOutcome> {
  const recordedParameters = toJsonSafe(parameters) as Record<string, unknown>;
  const run = await createOrRead(env.client, def, id, options.flowRunId !== undefined, { parameters: recordedParameters, ...(parentTask ? { parent: parentTask } : {}) }, options.knownRun);
  try {
    options.onFlowRunCreated?.({ id: run.id, name: run.name });
  } catch (error) {
    // The run exists now: a failing callback must not leave it Pending forever.
    process.stderr.write(`baton: onFlowRunCreated threw (${error instanceof Error ? error.message : String(error)}); the run goes on\n`);
  }

  const frame: FlowRunFrame = {
    kind: "flow",
    id: run.id,
    name: run.name,
    flowName: def.name,
    parameters,
    client: env.client,
    reporter: reporterFor(env.client),
    log: env.log,
    logPrints: def.options.logPrints ?? parentTask?.flow.logPrints ?? env.log.logPrints,
    resultSettings: env.resultSettings,
    resultStorage: def.options.resultStorage ?? parentTask?.flow.resultStorage,
    resultSerializer: def.options.resultSerializer ?? parentTask?.flow.resultSerializer,
    heartbeatSeconds: env.heartbeatSeconds,
    attempt: 1,
    ...(options.source ? { source: options.source } : {}),
    signal: new AbortController().signal,
    taskCounters: new Map(),
    runningTaskRuns: new Map(),
    abandoned: new Set(),
    hooks: def.options,
  };
  if (frame.logPrints) capturePrints();
  emit(frame, LOG_LEVELS.info, `Beginning flow run '${run.name}' for flow '${def.name}'`, "baton.flow_runs");
  trackRun(frame);
  await loadTracing();
  startFlowRunSpan({ frame, caller: currentFrame(), traceparent: run.traceparent, deployment: run.deployment_id ? { id: run.deployment_id, name: run.deployment_name ?? null } : undefined, workPool: run.work_pool_name });
  let outcome: FlowRunOutcome | undefined;
  try {
    outcome = await executeFlowRun(def, frame, parameters);
  } finally {
    untrackRun(frame);
    // Whatever way the run ended (even an ABORT thrown at start), its lines reach the server.
    await frame.reporter.flush();
    await endFlowRunSpan(frame, outcome?.state ?? { type: "CRASHED", message: "the flow-run engine stopped" });
  }
  if (outcome.state.type !== "COMPLETED" && outcome.error === undefined) {
    outcome.error = new FlowRunFailedError(`FlowRunFailed: flow run '${run.name}' ended ${outcome.state.name}${outcome.state.message ? `: ${outcome.state.message}` : ""}`);
  }
  return outcome;
}
