import { hostname } from "node:os";
import type { Deployment } from "@baton/core";
import { LOG_LEVELS, SERVE_ENTRYPOINT } from "@baton/core/runtime";
import { getClient } from "../client/index.js";
import { runFlow } from "../engine/run-flow.js";
import type { Flow } from "../definition/flow-types.js";
import { emit } from "../logging/run-logger.js";
import { ClaimLoop } from "./claim-loop.js";
import { ensureWorkPool } from "./ensure-pool.js";
import { entrypointOf } from "./flow-entrypoint.js";
import { startWorkerHeartbeat } from "./worker-heartbeat.js";
import type { ServeOptions } from "../definition/deploy-types.js";

const HEARTBEAT_SECONDS = 10;

/** The pool a served deployment's runs go to: one per served deployment, claimed by the serving process only. */
export function servePoolName(flowName: string, deploymentName: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, "-");
  return `serve-${clean(flowName)}-${clean(deploymentName)}`.slice(0, 100);
}

const say = (message: string) => emit(undefined, LOG_LEVELS.info, message, "baton.serve");

/**
 * `flow.serve({ name, schedules })`: a deployment of this flow whose runs (scheduled, or started
 * with `baton deployment run`) run in this process, with no worker to set up. Runs until
 * `signal` aborts; runs in progress then finish before it resolves.
 */
export async function serve(flowObject: Flow<never, unknown>, sourceFile: string | undefined, options: ServeOptions): Promise<Deployment> {
  const client = options.client ?? (await getClient());
  const pool = servePoolName(flowObject.name, options.name);
  await ensureWorkPool(client, pool, "process", `Runs of ${flowObject.name}/${options.name}, served by flow.serve() in one process`);
  const { deployment } = await client.call("upsertDeployment", {
    body: {
      flow_name: flowObject.name,
      name: options.name,
      entrypoint: options.entrypoint ?? entrypointOf(sourceFile, flowObject.name) ?? SERVE_ENTRYPOINT,
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.version !== undefined ? { version: options.version } : {}),
      tags: options.tags ?? [],
      parameters: options.parameters ?? {},
      parameter_schema: flowObject.parameterJsonSchema() ?? null,
      pull_steps: [],
      schedules: options.schedules ?? [],
      work_pool_name: pool,
    },
  });
  const workerName = `serve-${hostname()}-${process.pid}`;
  const onError = (error: unknown) => process.stderr.write(`baton serve: ${error instanceof Error ? error.message : String(error)}\n`);
  const heartbeat = startWorkerHeartbeat(client, pool, workerName, HEARTBEAT_SECONDS, onError);
  await heartbeat.first;
  const loop = new ClaimLoop({
    client,
    pool,
    workerName,
    limit: options.limit ?? 10,
    waitSeconds: options.pollWaitSeconds ?? 20,
    onError,
    handle: async ({ flow_run, claim_id }) => {
      say(`Running flow run '${flow_run.name}' (${flow_run.id}) of ${flowObject.name}/${options.name}`);
      try {
        // The run as claimed a moment ago: the engine does not read it again.
        await runFlow(flowObject, flow_run.parameters, { flowRunId: flow_run.id, knownRun: flow_run, client });
      } catch (error) {
        // Parameters the flow refuses: nothing ran, and the run must not stay Pending.
        const message = `Flow run could not start: ${error instanceof Error ? error.message : String(error)}`;
        emit(undefined, LOG_LEVELS.error, message, "baton.serve");
        await client.setFlowRunState(flow_run.id, { type: "FAILED", message }, true, claim_id);
      }
    },
  });
  say(`Serving ${flowObject.name}/${options.name}: start a run with baton deployment run ${flowObject.name}/${options.name}`);
  const stop = () => loop.stopClaiming();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    await loop.done;
    await loop.drained();
  } finally {
    heartbeat.stop();
    options.signal?.removeEventListener("abort", stop);
  }
  return deployment;
}
