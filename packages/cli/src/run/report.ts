import type { FlowRunOutcome } from "baton";
import { colorState } from "../output/format.js";
import type { Output } from "../output/io.js";

/** What `baton run --json` prints: one object a script can read. */
export function outcomeJson(flowName: string, outcome: FlowRunOutcome): Record<string, unknown> {
  const { state } = outcome;
  const completed = state.type === "COMPLETED";
  return {
    flow_run_id: outcome.flowRunId,
    flow_run_name: outcome.flowRunName,
    flow_name: flowName,
    state: { type: state.type, name: state.name, message: state.message ?? null },
    ...(completed ? { result: outcome.result ?? null } : {}),
    ...(outcome.error !== undefined ? { error: describeError(outcome.error) } : {}),
  };
}

export function printOutcome(out: Output, outcome: FlowRunOutcome): void {
  const { state } = outcome;
  if (state.type === "COMPLETED") {
    out.line(`Final state: ${colorState(state.type, state.name, out.colors)}`);
    out.line(`Result: ${JSON.stringify(outcome.result ?? null, null, 2)}`);
    return;
  }
  out.line(`Final state: ${colorState(state.type, state.name, out.colors)}${state.message ? `: ${state.message}` : ""}`);
  // The run's logs have shown the error with its stack already; say where it is kept.
  out.note(`See the error, its stack and the task runs with: baton flow-run inspect ${outcome.flowRunId}`);
}

function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { name?: unknown; message: unknown; stack?: unknown };
    return { name: String(e.name ?? "Error"), message: String(e.message), ...(typeof e.stack === "string" ? { stack: e.stack } : {}) };
  }
  return { name: "Error", message: String(error) };
}
