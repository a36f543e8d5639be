import type { FlowRun } from "@baton/core";
import { isTerminal } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";

/** How often a waiting run reads its child's state: soon at first, then every few seconds. */
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 3_000;

export type WaitOutcome = { run: FlowRun } | { timedOut: FlowRun };

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Reads the run until its state is final, the deadline passes (null: none) or the signal aborts
 * (the caller's run was cancelled or timed out: it throws the signal's reason).
 */
export async function waitForFinalState(client: BatonClient, id: string, deadline: number | null, signal: AbortSignal | undefined): Promise<WaitOutcome> {
  let pause = FIRST_POLL_MS;
  for (;;) {
    signal?.throwIfAborted();
    const run = await client.readFlowRun(id);
    if (isTerminal(run.state_type)) return { run };
    const left = deadline === null ? pause : deadline - Date.now();
    if (left <= 0) return { timedOut: run };
    await sleep(Math.min(pause, left), signal);
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}
