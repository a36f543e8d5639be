import { LOG_LEVELS } from "@baton/core/runtime";
import { currentFlowFrame, type FlowRunFrame } from "../context/run-context.js";
import { proposeFlowRunState } from "../engine/flow-run-states.js";
import { MissingRunContextError, RunStoppedError } from "../errors/index.js";
import { parameterJsonSchema } from "../definition/json-schema.js";
import { issuePath } from "../definition/parameters.js";
import type { InferOutput, StandardSchemaV1 } from "../definition/standard-schema.js";
import { emit } from "../logging/run-logger.js";
import { PauseInputInvalid, PauseTimeout } from "./errors.js";

export interface PauseOptions {
  /** Seconds to wait for a person before the run fails (default 3600). */
  timeout?: number;
}

const POLL_MS = 1_000;

/**
 * Pauses the flow run until a person resumes it (`baton flow-run resume ID`, or the run page):
 * the run is Paused, this process waits (heartbeating), and the call returns when it is resumed.
 * With `waitForInput` (a zod schema), the resume must carry input matching it (`--input JSON`),
 * checked by the server (its JSON Schema) and again here; the call returns the parsed input.
 * Not resumed within `timeout` seconds: PauseTimeout is thrown, and the run fails with it.
 *
 * ```ts
 * const { approved, note } = await pauseFlowRun({ timeout: 600, waitForInput: z.object({ approved: z.boolean(), note: z.string().optional() }) });
 * ```
 */
export async function pauseFlowRun<S extends StandardSchemaV1>(options: PauseOptions & { waitForInput: S }): Promise<InferOutput<S>>;
export async function pauseFlowRun(options?: PauseOptions): Promise<void>;
export async function pauseFlowRun(options: PauseOptions & { waitForInput?: StandardSchemaV1 } = {}): Promise<unknown> {
  const frame = currentFlowFrame();
  if (!frame) throw new MissingRunContextError("MissingRunContext: pauseFlowRun() must be called inside a flow run");
  const seconds = options.timeout ?? 3600;
  if (!(seconds > 0)) throw new RangeError(`pauseFlowRun: timeout must be a number of seconds > 0, not ${String(options.timeout)}`);
  const deadline = Date.now() + seconds * 1000;
  const schema = options.waitForInput;
  const inputSchema = inputJsonSchema(schema);
  await frame.reporter.flush();
  const how = `baton flow-run resume ${frame.id}${schema ? " --input JSON" : ""}`;
  const answer = await proposeFlowRunState(frame.client, frame.id, {
    type: "PAUSED",
    name: "Paused",
    message: schema ? `Waiting for input; resume with ${how}` : `Waiting to be resumed: ${how}`,
    state_details: { pause_timeout: new Date(deadline).toISOString(), ...(inputSchema ? { input_schema: inputSchema } : {}) },
  });
  if (answer.status !== "ACCEPT") throw new RunStoppedError(`RunStopped: flow run ${frame.name} could not pause: ${answer.details.reason ?? answer.status}`);
  const pausedId = answer.state.id;
  emit(frame, LOG_LEVELS.info, `Paused until ${new Date(deadline).toISOString()}; resume with ${how}`, "baton.flow_runs");
  await waitForResume(frame, deadline, seconds);
  emit(frame, LOG_LEVELS.info, "Resumed", "baton.flow_runs");
  if (!schema) return undefined;
  const stored = await frame.client.call("readResult", { params: { owner: frame.id, key: `pause-input-${pausedId}` } });
  return checkInput(frame, schema, JSON.parse(Buffer.from(stored.content_base64, "base64").toString("utf8")));
}

/** The JSON Schema the server checks a resume's input against. A schema only the SDK can read (not zod 4) still pauses: any object is accepted by the server, and checked here. */
export function inputJsonSchema(schema: StandardSchemaV1 | undefined): Record<string, unknown> | undefined {
  return schema ? (parameterJsonSchema(schema) ?? { type: "object" }) : undefined;
}

/** The input a run was resumed with, checked again against the flow's own schema. */
export async function checkInput(frame: FlowRunFrame, schema: StandardSchemaV1, input: unknown): Promise<unknown> {
  const checked = await schema["~standard"].validate(input);
  if (!checked.issues) return checked.value;
  throw new PauseInputInvalid(`PauseInputInvalid: the input flow run ${frame.name} was resumed with does not match its schema: ${checked.issues.map((i) => `${issuePath(i, "input")}: ${i.message}`).join("; ")}`);
}

async function waitForResume(frame: FlowRunFrame, deadline: number, seconds: number): Promise<void> {
  for (;;) {
    frame.signal.throwIfAborted();
    const run = await frame.client.readFlowRun(frame.id);
    if (run.state_type === "RUNNING") return;
    if (run.state_type !== "PAUSED") throw new RunStoppedError(`RunStopped: flow run ${frame.name} was ${run.state_name} while paused`);
    if (Date.now() >= deadline) {
      throw new PauseTimeout(`PauseTimeout: flow run ${frame.name} was not resumed within ${seconds} s (pauseFlowRun's timeout); resume it sooner with baton flow-run resume ${frame.id}, or raise timeout`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}
