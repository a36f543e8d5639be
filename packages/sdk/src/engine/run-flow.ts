import { runFlowEngine, type FlowRunOutcome, type RunFlowOptions } from "./flow-run-engine.js";
import { FLOW, type Flow } from "../definition/flow-types.js";

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
