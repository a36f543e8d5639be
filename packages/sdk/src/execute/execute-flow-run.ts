import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Deployment, FlowRun, PulledSource, State } from "@baton/core";
import { BatonError, LOG_LEVELS, SecretMasker, isTerminal } from "@baton/core/runtime";
import { BatonClient, getClient } from "../client/index.js";
import { serializeFailure } from "../errors/error-stack.js";
import { runFlow } from "../flow/index.js";
import { loadEntrypoint } from "../loader/index.js";
import { logMasker } from "../logging/index.js";
import { runPullSteps, type PullProgress } from "../pull-steps/index.js";
import { loadSettings } from "../settings/index.js";
import { maskProcessOutput } from "./mask-output.js";
import { MaskingTransport } from "./masking-transport.js";
import { learnReferencedSecrets } from "./referenced-secrets.js";
import { referenceResolvers } from "./run-references.js";
import { setReportSpillDirectory } from "../reporter/index.js";
import { giveBackUnstartedRun, ignoreClosedOutput, REQUEUED_EXIT_CODE } from "./leave-queue.js";
import { watchWorker } from "./worker-watch.js";

/** Whether the flow has started, and the way out taken when the worker died before it did. */
interface StartGate {
  started: boolean;
  leaving: Promise<never> | undefined;
}

export class FlowRunNotExecutable extends BatonError {
  override readonly code = "FlowRunNotExecutable";
  override readonly status = 400;
}

export interface ExecuteFlowRunOptions {
  flowRunId: string;
  /** The process's client (from the settings) when not given. */
  client?: BatonClient;
  /** Where the pull steps start; a fresh temporary folder per run when not given. */
  workDir?: string;
  /** Git mirrors kept between runs; `$BATON_HOME/git-cache` when not given. */
  cacheDir?: string;
  /**
   * Set by a reused executor (a process pool's `reuse_process`), where several runs share this
   * process: the process-wide duties of a run that owns its process (watching the worker, masking
   * stdout, the report spill folder) are the executor's, and the deployment's code is pulled and
   * loaded once per deployment version (`codeCache`, in `workDir`) and shared by its runs.
   */
  sharedProcess?: { codeCache: Map<string, Promise<PulledCode>> };
  /** What the pull steps are doing (a clone's progress), for a person at a terminal; the repository URL comes masked. */
  onPullProgress?: (event: PullProgress) => void;
  /** The run's deployment as the worker that claimed the run read it: not read again. */
  deployment?: Deployment;
  /**
   * The run as the worker claimed it a moment ago (a reused executor's runs): not read again. A
   * cancel in between is not missed: the server refuses its Running, as for a served flow's runs.
   */
  flowRun?: FlowRun;
}

type LoadedFlow = Awaited<ReturnType<typeof loadEntrypoint>>;
/** A deployment's flow, loaded from what its pull steps fetched, and the commit they checked out. */
interface PulledCode {
  flow: LoadedFlow;
  source?: PulledSource;
}

export interface ExecuteFlowRunResult {
  flowRunId: string;
  /** The run's final state (or the state it was already in when there was nothing to do). */
  state: State;
  error?: unknown;
}

/**
 * Runs a flow run the server created (a deployment's): pull steps, entrypoint, parameters, then
 * the flow as that very run. What `baton flow-run execute` does in a worker's child process.
 * Every secret value resolved here is masked in the run's logs, states and error messages.
 */
export async function executeFlowRun(options: ExecuteFlowRunOptions): Promise<ExecuteFlowRunResult> {
  const base = options.client ?? (await getClient());
  // The masker the engine's logger uses, so a value logged by user code is masked in print and on the server.
  const masker: SecretMasker = logMasker;
  // Variables a worker filled from secrets (job configuration env) are masked too.
  for (const name of (process.env.BATON_SECRET_ENV ?? "").split(",")) if (name) masker.add(process.env[name]);
  const client = new BatonClient({ transport: new MaskingTransport(base.transport, masker) });
  const run = options.flowRun?.id === options.flowRunId ? options.flowRun : await client.readFlowRun(options.flowRunId);
  if (run.state_type === "CANCELLING") return { flowRunId: run.id, state: (await client.setFlowRunState(run.id, { type: "CANCELLED", message: "Cancelled before it started" }, true)).state };
  if (isTerminal(run.state_type)) return { flowRunId: run.id, state: run.state };
  if (run.state_type === "RUNNING") {
    throw new FlowRunNotExecutable(`FlowRunNotExecutable: flow run ${run.id} is already Running in another process; cancel it first (baton flow-run cancel ${run.id}) to run it again`);
  }
  if (!run.deployment_id) {
    throw new FlowRunNotExecutable(`FlowRunNotExecutable: flow run ${run.id} belongs to no deployment, so there is no code to run; start a flow with baton run path/file.ts:flow, or run a deployment`);
  }

  // A worker reads our output through pipes that break when it dies: writing must never fail loudly.
  const gate: StartGate = { started: false, leaving: undefined };
  if (options.sharedProcess) return pullAndRun(client, masker, run, gate, { ...options, workDir: options.workDir ?? process.cwd() });
  if (process.env.BATON_WORKER_PID) ignoreClosedOutput();
  const stopWatching = watchWorker(() => {
    ignoreClosedOutput();
    if (!gate.started) {
      gate.leaving = leaveUnstarted(client, run);
      return;
    }
    // SIGTERM to the run's process group (a worker made this process its leader): whatever the
    // flow started ends too, and the engine's crash handling records the run Crashed with its logs.
    try {
      process.kill(-process.pid, "SIGTERM");
    } catch {
      process.kill(process.pid, "SIGTERM");
    }
  });
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "baton-run-"));
  const unmaskOutput = maskProcessOutput(masker);
  // Events that wait for an unreachable server overflow into the run's own folder.
  setReportSpillDirectory(workDir);
  try {
    return await pullAndRun(client, masker, run, gate, { ...options, workDir });
  } finally {
    unmaskOutput();
    stopWatching();
    setReportSpillDirectory(undefined);
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The worker died before the flow started: stop the pull (its git or shell children, not this
 * process yet), give the run back to the queue, and exit. Never resolves.
 */
async function leaveUnstarted(client: BatonClient, run: FlowRun): Promise<never> {
  process.on("SIGTERM", () => undefined);
  try {
    process.kill(-process.pid, "SIGTERM");
  } catch {
    // not a process group leader: nothing of ours to end
  }
  // At once, even with the server slow or gone: the lease puts the run back if this does not.
  await Promise.race([giveBackUnstartedRun(client, run), new Promise((r) => setTimeout(r, 5000))]);
  process.exit(REQUEUED_EXIT_CODE);
}

async function pullAndRun(client: BatonClient, masker: SecretMasker, run: FlowRun, gate: StartGate, options: ExecuteFlowRunOptions & { workDir: string }): Promise<ExecuteFlowRunResult> {
  let flowToRun: LoadedFlow;
  let source: PulledSource | undefined;
  let loadedBefore = false;
  try {
    const deployment = options.deployment?.id === run.deployment_id ? options.deployment : await readDeployment(client, run);
    await learnReferencedSecrets(client, masker, deployment, run);
    ({ flow: flowToRun, source, loadedBefore } = await loadFlow(client, masker, deployment, options));
    if (flowToRun.name !== deployment.flow_name) {
      throw new FlowRunNotExecutable(
        `FlowRunNotExecutable: ${deployment.entrypoint} is flow "${flowToRun.name}", but deployment ${deployment.flow_name}/${deployment.name} belongs to flow "${deployment.flow_name}"; fix the entrypoint and deploy again`,
      );
    }
  } catch (error) {
    // A pull step that failed because its worker's death ended it: the run goes back to the queue instead.
    if (gate.leaving) return gate.leaving;
    return failBeforeStart(client, masker, run, error);
  }
  // Code a reused executor had loaded already: nothing was pulled, so no lease could lapse meanwhile.
  const lost = loadedBefore ? undefined : await claimLost(client, run);
  if (lost) return lost;
  if (gate.leaving) return gate.leaving;
  gate.started = true;
  try {
    const outcome = await runFlow(flowToRun, run.parameters, { flowRunId: run.id, knownRun: run, client, ...(source ? { source } : {}) });
    return { flowRunId: run.id, state: outcome.state, ...(outcome.error !== undefined ? { error: outcome.error } : {}) };
  } catch (error) {
    // Parameters the flow's schema refuses, or a server that refused the run before it started.
    return failBeforeStart(client, masker, run, error);
  }
}

/**
 * A slow pull can outlast the claim's lease: the server then puts the run back in the queue and
 * another worker may take it. Starting anyway would run it twice, so this process leaves it.
 */
async function claimLost(client: BatonClient, before: FlowRun): Promise<ExecuteFlowRunResult | undefined> {
  if (before.state_type !== "PENDING" || !before.worker_name) return undefined;
  const now = await client.readFlowRun(before.id);
  if (now.state_type === "PENDING" && now.worker_name === before.worker_name && now.state.id === before.state.id) return undefined;
  process.stderr.write(
    `baton: flow run ${before.id} is no longer this process's to start (it is ${now.state.name}${now.worker_name ? `, claimed by ${now.worker_name}` : ""}): ` +
      "the pull steps took longer than the worker's lease; raise the worker's lease (leaseSeconds) or speed up the pull\n",
  );
  return { flowRunId: before.id, state: now.state, error: new FlowRunNotExecutable(`FlowRunNotExecutable: flow run ${before.id} went back to the queue while its code was pulled`) };
}

/** The shared code caches' entries whose pull and load have ended. */
const settled = new WeakSet<Promise<PulledCode>>();

/**
 * Pull and load the deployment's code: once per deployment version in a reused executor
 * (`loadedBefore`: this run found it loaded, and pulled nothing).
 */
async function loadFlow(client: BatonClient, masker: SecretMasker, deployment: Deployment, options: ExecuteFlowRunOptions & { workDir: string }): Promise<PulledCode & { loadedBefore: boolean }> {
  const load = async (): Promise<PulledCode> => {
    const { directory, source } = await pull(client, masker, deployment, options);
    return { flow: await loadEntrypoint(deployment.entrypoint, { cwd: directory }), ...(source ? { source } : {}) };
  };
  const cache = options.sharedProcess?.codeCache;
  if (!cache) return { ...(await load()), loadedBefore: false };
  const key = `${deployment.id}@${deployment.updated}`;
  let loaded = cache.get(key);
  // Loaded, not still being pulled for another run (this run would wait for that pull).
  const loadedBefore = loaded !== undefined && settled.has(loaded);
  if (!loaded) {
    const loading = load();
    loaded = loading;
    cache.set(key, loading);
    loading.then(
      () => settled.add(loading),
      // A failed pull is not kept: the next run tries again.
      () => cache.delete(key),
    );
  }
  return { ...(await loaded), loadedBefore };
}

function readDeployment(client: BatonClient, run: FlowRun): Promise<Deployment> {
  return client.call("readDeployment", { params: { id: run.deployment_id! } });
}

/** Runs the pull steps: the folder the entrypoint is relative to, and the commit a git_clone checked out. */
async function pull(client: BatonClient, masker: SecretMasker, deployment: Deployment, options: ExecuteFlowRunOptions & { workDir: string }): Promise<{ directory: string; source?: PulledSource }> {
  // `pull: []`: the code is already where the run starts.
  if (deployment.pull_steps.length === 0) return { directory: process.cwd() };
  const settings = loadSettings();
  const result = await runPullSteps(deployment.pull_steps, {
    workDir: options.workDir,
    cacheDir: options.cacheDir ?? join(settings.home, "git-cache"),
    env: process.env,
    ...referenceResolvers(client, masker),
    output: (text) => process.stderr.write(masker.mask(text)),
    ...(options.onPullProgress ? { onProgress: withMaskedRepository(options.onPullProgress, masker) } : {}),
  });
  return { directory: result.directory, ...(result.source ? { source: result.source } : {}) };
}

/** A secret can sit in a repository URL elsewhere than its user part (`?private_token=`): masked like the logs. */
function withMaskedRepository(report: (event: PullProgress) => void, masker: SecretMasker): (event: PullProgress) => void {
  return (event) => report(event.repository === undefined ? event : { ...event, repository: masker.mask(event.repository) });
}

/**
 * The flow never started: the run ends Failed with what to fix (a pull step, the entrypoint,
 * the parameters), or Crashed when the cause is not the deployment's (an unexpected error).
 */
async function failBeforeStart(client: BatonClient, masker: SecretMasker, run: FlowRun, error: unknown): Promise<ExecuteFlowRunResult> {
  const userFixable = error instanceof BatonError && error.status < 500;
  const message = masker.mask(`Flow run could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.stderr.write(`${message}\n`);
  await client
    .writeLogs([{ flow_run_id: run.id, name: "baton.flow_runs", level: LOG_LEVELS.error, message, timestamp: new Date().toISOString() }])
    .catch(() => undefined);
  // Not forced: a cancel that arrived meanwhile wins.
  const answer = await client.setFlowRunState(run.id, { type: userFixable ? "FAILED" : "CRASHED", message, data: { error: serializeFailure(error) } });
  return { flowRunId: run.id, state: answer.state, error };
}
