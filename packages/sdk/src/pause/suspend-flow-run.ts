import { LOG_LEVELS } from "@baton/core/runtime";
import { currentFlowFrame, type FlowRunFrame } from "../context/run-context.js";
import { proposeFlowRunState } from "../engine/flow-run-states.js";
import { MissingRunContextError, RunStoppedError } from "../errors/index.js";
import type { InferOutput, StandardSchemaV1 } from "../definition/standard-schema.js";
import { emit } from "../logging/run-logger.js";
import { apiErrorStatus } from "../values/run-client.js";
import { FlowRunSuspended, SuspendNotPossible } from "./errors.js";
import { checkInput, inputJsonSchema } from "./pause-flow-run.js";

export interface SuspendOptions {
  /** Seconds to wait for a person before the run fails (default 3600). */
  timeout?: number;
  /**
   * Names this suspension, so the run's next process knows it was resumed here (letters, digits,
   * '.', '-', '_'). Default `suspend-N` for the Nth call in the run: give one when the calls
   * before it may differ from one process to the next.
   */
  key?: string;
}

const KEY = /^[A-Za-z0-9_.-]{1,100}$/;

/** Where the server keeps a suspended run's resume input (under the run): see server pause/resume.ts. */
const inputKey = (key: string) => `suspend-input-${key}`;

/**
 * Suspends the flow run until a person resumes it (`baton flow-run resume ID`, or the run page),
 * letting its process exit: the run is Paused ("Suspended"), its infrastructure is freed, and once
 * resumed a worker runs the flow again from the start in a new process. There, tasks with
 * `persistResult` (or a cache key) reuse the results of the first process instead of running again,
 * and this call returns the resume's input (checked against `waitForInput`) instead of suspending.
 * Not resumed within `timeout` seconds: the server fails the run. Only a deployment's run can be
 * suspended (a worker must start it again); elsewhere use pauseFlowRun.
 *
 * ```ts
 * const { approved } = await suspendFlowRun({ timeout: 86_400, waitForInput: z.object({ approved: z.boolean() }) });
 * ```
 */
export async function suspendFlowRun<S extends StandardSchemaV1>(options: SuspendOptions & { waitForInput: S }): Promise<InferOutput<S>>;
export async function suspendFlowRun(options?: SuspendOptions): Promise<void>;
export async function suspendFlowRun(options: SuspendOptions & { waitForInput?: StandardSchemaV1 } = {}): Promise<unknown> {
  const frame = currentFlowFrame();
  if (!frame) throw new MissingRunContextError("MissingRunContext: suspendFlowRun() must be called inside a flow run");
  const seconds = options.timeout ?? 3600;
  if (!(seconds > 0)) throw new RangeError(`suspendFlowRun: timeout must be a number of seconds > 0, not ${String(options.timeout)}`);
  frame.suspendCalls = (frame.suspendCalls ?? 0) + 1;
  const key = options.key ?? `suspend-${frame.suspendCalls}`;
  if (!KEY.test(key)) throw new SuspendNotPossible(`SuspendNotPossible: suspendFlowRun: key ${JSON.stringify(key)} must be 1 to 100 letters, digits, '.', '-' or '_'`);
  const schema = options.waitForInput;

  // This process runs the flow again after a resume: the person's answer is stored under the key.
  const resumed = await readResumeInput(frame, key);
  if (resumed !== undefined) {
    emit(frame, LOG_LEVELS.info, `Resumed after suspension ${key}`, "baton.flow_runs");
    return schema ? checkInput(frame, schema, resumed.input) : undefined;
  }

  const run = await frame.client.readFlowRun(frame.id);
  if (!run.deployment_id) {
    throw new SuspendNotPossible(
      `SuspendNotPossible: flow run ${frame.name} belongs to no deployment (a local run, or a subflow in its parent's process), so no worker can start it again once resumed; ` +
        "use pauseFlowRun(), which keeps the process waiting, or run the flow from a deployment",
    );
  }
  const deadline = Date.now() + seconds * 1000;
  const inputSchema = inputJsonSchema(schema);
  await frame.reporter.flush();
  const how = `baton flow-run resume ${frame.id}${schema ? " --input JSON" : ""}`;
  const answer = await proposeFlowRunState(frame.client, frame.id, {
    type: "PAUSED",
    name: "Suspended",
    message: `Suspended${schema ? ", waiting for input" : ""}; resume with ${how} (a worker then runs it again)`,
    state_details: { pause_timeout: new Date(deadline).toISOString(), pause_reschedule: true, pause_key: key, ...(inputSchema ? { input_schema: inputSchema } : {}) },
  });
  if (answer.status !== "ACCEPT") throw new RunStoppedError(`RunStopped: flow run ${frame.name} could not be suspended: ${answer.details.reason ?? answer.status}`);
  frame.suspended = answer.state;
  emit(frame, LOG_LEVELS.info, `Suspended until ${new Date(deadline).toISOString()}; this process ends, and a worker runs the flow again once it is resumed with ${how}`, "baton.flow_runs");
  throw new FlowRunSuspended(`FlowRunSuspended: flow run ${frame.name} is suspended; its process ends here and a worker runs it again once resumed`);
}

async function readResumeInput(frame: FlowRunFrame, key: string): Promise<{ input: unknown } | undefined> {
  try {
    const stored = await frame.client.call("readResult", { params: { owner: frame.id, key: inputKey(key) } });
    return { input: JSON.parse(Buffer.from(stored.content_base64, "base64").toString("utf8")) };
  } catch (error) {
    if (apiErrorStatus(error) === 404) return undefined;
    throw error;
  }
}
