import type { ResultSerializer, ResultStorageSpec } from "./result-types.js";
import type { Deployment } from "@baton/core";
import type { DeployableFlow, FlowSourceOptions, ServeOptions } from "./deploy-types.js";
import type { StandardSchemaV1 } from "./standard-schema.js";
import type { FlowHookOptions } from "./hook-types.js";

// The shapes of a flow, apart from flow() itself, so the engine and deploy/ can name them
// without importing flow(), which imports deploy/.
export const FLOW = Symbol.for("baton.flow");

export interface FlowOptions<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined> extends FlowHookOptions {
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
  /** console.log/info/debug/warn/error inside this flow and its tasks go to the run's logs (default: a parent flow's, else BATON_LOGGING_LOG_PRINTS). */
  logPrints?: boolean;
  /** Where persisted results and cache entries go: "local", "server", "s3://bucket[/prefix]", or a ResultStorage (default: BATON_RESULTS_STORAGE). */
  resultStorage?: ResultStorageSpec;
  /** How results are written (default JSON keeping Dates, Maps, Sets, BigInts...; "v8" or your own: see ResultSerializer). */
  resultSerializer?: ResultSerializer;
}

/** What the engine needs about a flow, checked once when it is defined. */
export interface FlowDefinition {
  name: string;
  options: FlowOptions;
  fn: (parameters: never) => unknown;
  /** The file that called flow(), when the stack tells it: a served deployment's entrypoint. */
  sourceFile?: string;
}

export type CallArgs<I> = {} extends I ? [parameters?: I] : [parameters: I];

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
