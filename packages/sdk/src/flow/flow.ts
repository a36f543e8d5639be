import { fileURLToPath } from "node:url";
import { FlowNameSchema, TagsSchema, type Deployment } from "@baton/core";
import { fromSource } from "../deploy/from-source.js";
import type { DeployableFlow, FlowSourceOptions, ServeOptions } from "../deploy/types.js";
import { runFlowEngine, type FlowRunOutcome, type RunFlowOptions } from "../engine/flow-run-engine.js";
import { parameterJsonSchema } from "./json-schema.js";
import { isStandardSchema, type InferInput, type InferOutput, type StandardSchemaV1 } from "./standard-schema.js";

const FLOW = Symbol.for("baton.flow");

export interface FlowOptions<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined> {
  name: string;
  description?: string;
  /** A schema of the parameters object (zod, valibot, arktype...): checked, defaults applied, before a run starts. */
  parameters?: S;
  tags?: string[];
  /** Retries of the whole flow run after it fails (default 0); the run keeps its ID. */
  retries?: number;
  /** Seconds before each retry, or one per retry (the last repeats). */
  retryDelaySeconds?: number | number[];
  /** The run fails (state Failed, named TimedOut) after this long. */
  timeoutSeconds?: number;
  /** The flow run's name; a random "swift-otter" when not given. */
  flowRunName?: string | ((parameters: Record<string, unknown>) => string);
}

/** What the engine needs about a flow, checked once when it is defined. */
export interface FlowDefinition {
  name: string;
  options: FlowOptions;
  fn: (parameters: never) => unknown;
  /** The file that called flow(), when the stack tells it: a served deployment's entrypoint. */
  sourceFile?: string;
}

type CallArgs<I> = {} extends I ? [parameters?: I] : [parameters: I];

export interface Flow<I = Record<string, unknown>, R = unknown> {
  /** Runs the flow and records a flow run; resolves to its return value, rejects with its error. */
  (...args: CallArgs<I>): Promise<Awaited<R>>;
  readonly name: string;
  readonly options: Readonly<FlowOptions>;
  /** The JSON Schema of the parameters, or undefined when the flow has no zod 4 schema. */
  parameterJsonSchema(): Record<string, unknown> | undefined;
  /** A deployment of this flow run by this process: scheduled and on-demand runs, no work pool to set up. Resolves once `signal` aborts and running runs end. */
  serve(options: ServeOptions): Promise<Deployment>;
  /** Code in a git repository: `.deploy({ name, workPool })` creates a deployment whose runs clone it. */
  fromSource(source: FlowSourceOptions): DeployableFlow;
  readonly [FLOW]: FlowDefinition;
}

export function flow<S extends StandardSchemaV1, R>(
  options: FlowOptions<S> & { parameters: S },
  fn: (parameters: InferOutput<S>) => R,
): Flow<InferInput<S>, R>;
export function flow<P extends Record<string, unknown> = Record<string, never>, R = unknown>(
  options: string | FlowOptions<undefined>,
  fn: (parameters: P) => R,
): Flow<P, R>;
export function flow(nameOrOptions: string | FlowOptions, fn: (parameters: never) => unknown): Flow<Record<string, unknown>, unknown> {
  const options: FlowOptions = typeof nameOrOptions === "string" ? { name: nameOrOptions } : { ...nameOrOptions };
  validateFlowOptions(options);
  if (typeof fn !== "function") throw new TypeError(`flow "${options.name}": the second argument must be the function to run`);
  const sourceFile = callerFile();
  const definition: FlowDefinition = { name: options.name, options, fn, ...(sourceFile ? { sourceFile } : {}) };
  const call = async (parameters?: unknown) => {
    const outcome = await runFlowEngine(definition, parameters);
    if (outcome.state.type === "COMPLETED") return outcome.result;
    throw outcome.error;
  };
  Object.defineProperty(call, "name", { value: options.name });
  const made = Object.assign(call, {
    options,
    parameterJsonSchema: () => parameterJsonSchema(options.parameters),
    // Loaded on use: serving pulls in the claim loop, which most flows never need.
    serve: async (serveOptions: ServeOptions) => (await import("../deploy/serve.js")).serve(made as unknown as Flow<never, unknown>, sourceFile, serveOptions),
    fromSource: (source: FlowSourceOptions) => fromSource(made as unknown as Flow<never, unknown>, source),
    [FLOW]: definition,
  });
  return made as unknown as Flow<Record<string, unknown>, unknown>;
}

/** The file of the code that called flow(), from the stack (a path, or undefined). */
function callerFile(): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, flow);
  const line = holder.stack?.split("\n")[1];
  const m = line && /\(?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?\s*$/.exec(line);
  if (!m) return undefined;
  try {
    return m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1];
  } catch {
    return undefined;
  }
}

export function isFlow(value: unknown): value is Flow<never, unknown> {
  return typeof value === "function" && typeof (value as unknown as Record<symbol, unknown>)[FLOW] === "object";
}

/**
 * Runs a flow and tells how it ended, without throwing for a failed run (for the CLI and
 * workers, which report the state). Invalid parameters throw ParameterValidationError before
 * anything is recorded.
 */
export function runFlow<I, R>(flowToRun: Flow<I, R>, parameters?: I | Record<string, unknown>, options: RunFlowOptions = {}): Promise<FlowRunOutcome<Awaited<R>>> {
  if (!isFlow(flowToRun)) throw new TypeError("runFlow(): the first argument must be a flow made with flow()");
  return runFlowEngine(flowToRun[FLOW], parameters, options) as Promise<FlowRunOutcome<Awaited<R>>>;
}

function validateFlowOptions(o: FlowOptions): void {
  const name = FlowNameSchema.safeParse(o.name);
  if (!name.success) throw new TypeError(`flow(): name ${JSON.stringify(o.name)} is not valid: ${name.error.issues[0]?.message ?? "bad name"}`);
  const where = `flow "${o.name}"`;
  if (o.parameters !== undefined && !isStandardSchema(o.parameters)) {
    throw new TypeError(`${where}: parameters must be a schema such as z.object({ limit: z.number() }) (any Standard Schema library)`);
  }
  if (o.retries !== undefined && (!Number.isInteger(o.retries) || o.retries < 0)) {
    throw new TypeError(`${where}: retries must be a whole number >= 0, got ${String(o.retries)}`);
  }
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds > 0)) {
    throw new TypeError(`${where}: timeoutSeconds must be a number > 0, got ${String(o.timeoutSeconds)}`);
  }
  if (o.tags !== undefined && !TagsSchema.safeParse(o.tags).success) {
    throw new TypeError(`${where}: tags must be a list of at most 64 non-empty strings of at most 128 characters`);
  }
  const d = o.retryDelaySeconds;
  const bad = (n: unknown) => typeof n !== "number" || !(n >= 0);
  if (d !== undefined && (Array.isArray(d) ? d.length === 0 || d.some(bad) : bad(d))) {
    throw new TypeError(`${where}: retryDelaySeconds must be seconds >= 0 or a non-empty list of them`);
  }
}
