import { join } from "node:path";
import { ApiError, LOG_LEVELS, randomRunName, toJsonSafe, uuidv7, type FlowRun, type State } from "@baton/core";
import { getClient, type BatonClient } from "../client/index.js";
import { currentFlowFrame, type FlowRunFrame } from "../context/run-context.js";
import { FlowRunFailedError } from "../errors/index.js";
import type { FlowDefinition } from "../flow/flow.js";
import { validateParameters } from "../flow/parameters.js";
import { emit } from "../logging/run-logger.js";
import { logConfigFrom } from "../logging/log-config.js";
import { reporterFor } from "../reporter/index.js";
import { loadSettings } from "../settings/index.js";
import { trackRun, untrackRun } from "../signals/crash-handlers.js";
import { executeFlowRun } from "./flow-run-attempts.js";
import { createParentTaskRun, finishParentTaskRun, type ParentTaskRun } from "./subflow.js";

export interface RunFlowOptions {
  /** Run this flow run (a worker's, created beforehand) or create it with this ID. */
  flowRunId?: string;
  /** Talk to the server through this client instead of the process's shared one (a worker's, with secrets masked). */
  client?: BatonClient;
  /** Called once the flow run exists on the server, before the flow function starts. */
  onFlowRunCreated?(run: { id: string; name: string }): void;
}

export interface FlowRunOutcome<R = unknown> {
  flowRunId: string;
  flowRunName: string;
  /** The final state, as the server recorded it. */
  state: State;
  /** The return value, when the run completed. */
  result?: R;
  /** Why it did not complete: the flow's own error when there is one. */
  error?: unknown;
}

interface Environment {
  client: BatonClient;
  log: FlowRunFrame["log"];
  resultsDir: string;
  heartbeatSeconds: number;
}

/** A subflow inherits its parent's client and settings; a top-level run reads them once. */
async function environment(parent: FlowRunFrame | undefined, client: BatonClient | undefined): Promise<Environment> {
  if (parent) return { client: parent.client, log: parent.log, resultsDir: parent.resultsDir, heartbeatSeconds: parent.heartbeatSeconds };
  const settings = loadSettings();
  return {
    client: client ?? (await getClient()),
    log: logConfigFrom(settings),
    resultsDir: settings.get("BATON_RESULTS_DIR") ?? join(settings.home, "results"),
    heartbeatSeconds: settings.get("BATON_FLOW_RUN_HEARTBEAT_SECONDS") ?? 10,
  };
}

async function createOrRead(client: BatonClient, def: FlowDefinition, id: string, existing: boolean, body: {
  parameters: Record<string, unknown>;
  parent?: ParentTaskRun;
}): Promise<FlowRun> {
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
  const run = await createOrRead(env.client, def, id, options.flowRunId !== undefined, { parameters: recordedParameters, ...(parentTask ? { parent: parentTask } : {}) });
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
    resultsDir: env.resultsDir,
    heartbeatSeconds: env.heartbeatSeconds,
    attempt: 1,
    signal: new AbortController().signal,
    taskCounters: new Map(),
    runningTaskRuns: new Map(),
    abandoned: new Set(),
  };
  emit(frame, LOG_LEVELS.info, `Beginning flow run '${run.name}' for flow '${def.name}'`, "baton.flow_runs");
  trackRun(frame);
  let outcome: FlowRunOutcome;
  try {
    outcome = await executeFlowRun(def, frame, parameters);
  } finally {
    untrackRun(frame);
    // Whatever way the run ended (even an ABORT thrown at start), its lines reach the server.
    await frame.reporter.flush();
  }
  if (outcome.state.type !== "COMPLETED" && outcome.error === undefined) {
    outcome.error = new FlowRunFailedError(`FlowRunFailed: flow run '${run.name}' ended ${outcome.state.name}${outcome.state.message ? `: ${outcome.state.message}` : ""}`);
  }
  return outcome;
}
