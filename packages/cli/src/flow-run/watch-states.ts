import { isTerminal, MAX_PAGE_SIZE, type FlowRun, type State } from "@baton/core";
import { allPages, type BatonClient } from "baton";
import { colorState, formatTime } from "../output/format.js";
import type { Output } from "../output/io.js";

/** What `flow-run watch` ends with: the run as last read, and whether time ran out first. */
export interface WatchOutcome {
  run: FlowRun;
  timedOut: boolean;
}

/**
 * Prints each state of the run's history once, oldest first, until a final state or the
 * timeout. The history, not the current state, is what is printed: a state that lasted less
 * than one poll (Pending, a quick Running) still shows.
 */
export async function watchStates(client: BatonClient, out: Output, flowRunId: string, options: { timeoutSeconds?: number; pollMs: number; json: boolean }): Promise<WatchOutcome> {
  const deadline = options.timeoutSeconds !== undefined ? Date.now() + options.timeoutSeconds * 1000 : Infinity;
  const printed = new Set<string>();
  const print = (state: State) => {
    if (options.json) out.jsonLine({ timestamp: state.timestamp, type: state.type, name: state.name, message: state.message ?? null });
    else out.line(`${formatTime(state.timestamp)}  ${colorState(state.type, state.name, out.colors)}${state.message ? `: ${state.message}` : ""}`);
  };
  for (;;) {
    // The run first: when it is final, the history read after it holds the final state.
    const run = await client.readFlowRun(flowRunId);
    const states = await allPages((cursor) => client.flowRunStates(flowRunId, { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) }));
    for (const state of states) {
      if (printed.has(state.id)) continue;
      printed.add(state.id);
      print(state);
    }
    if (isTerminal(run.state_type)) return { run, timedOut: false };
    const left = deadline - Date.now();
    if (left <= 0) return { run, timedOut: true };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs, left)));
  }
}
