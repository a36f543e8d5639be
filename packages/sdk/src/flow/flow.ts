import { fileURLToPath } from "node:url";
import { flowNameProblem } from "@baton/core/runtime";
import { fromSource } from "../deploy/from-source.js";
import type { FlowSourceOptions, ServeOptions } from "../definition/deploy-types.js";
import { runFlowEngine } from "../engine/flow-run-engine.js";
import { isBadDelay, validateCommonRunOptions } from "../run-options/validate.js";
import { parameterJsonSchema } from "../definition/json-schema.js";
import { isStandardSchema, type InferInput, type InferOutput, type StandardSchemaV1 } from "../definition/standard-schema.js";
import { FLOW_HOOK_NAMES, validateHooks } from "../hooks/hooks.js";
import { FLOW, type Flow, type FlowDefinition, type FlowOptions } from "../definition/flow-types.js";

export { isFlow, runFlow } from "../engine/run-flow.js";
export type { Flow, FlowDefinition, FlowOptions } from "../definition/flow-types.js";

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

function validateFlowOptions(o: FlowOptions): void {
  const problem = flowNameProblem(o.name);
  if (problem) throw new TypeError(`flow(): name ${JSON.stringify(o.name)} is not valid: ${problem}`);
  const where = `flow "${o.name}"`;
  if (o.parameters !== undefined && !isStandardSchema(o.parameters)) {
    throw new TypeError(`${where}: parameters must be a schema such as z.object({ limit: z.number() }) (any Standard Schema library)`);
  }
  validateCommonRunOptions(where, o);
  validateHooks(where, o, FLOW_HOOK_NAMES);
  const d = o.retryDelaySeconds;
  if (d !== undefined && (Array.isArray(d) ? d.length === 0 || d.some(isBadDelay) : isBadDelay(d))) {
    throw new TypeError(`${where}: retryDelaySeconds must be seconds >= 0 or a non-empty list of them`);
  }
}
