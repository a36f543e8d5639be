import { isTerminal, type FlowRun } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { readFlowRun } from "./repository.js";

/**
 * Calls `onFinal` once the run reaches a final state, committed on this replica or another (the
 * app feeds it from the event bus, which other replicas' commits reach through NOTIFY). Returns
 * the unsubscribe.
 */
export type RunStateFeed = (runId: string, onFinal: () => void) => () => void;

/**
 * The run once its state is final, or as it is after `waitSeconds` (or when the caller goes away):
 * what runDeployment, `baton deployment run --watch`-like clients and benchmarks need, without
 * reading the run again and again. The feed is listened to before the run is read, so a final
 * state committed in between is not missed; one the feed never brings (a LISTEN connection down)
 * costs the caller a wait of `waitSeconds`, after which it asks again.
 */
export async function waitForFinalRun(database: BatonDatabase, feed: RunStateFeed, id: string, waitSeconds: number, signal: AbortSignal): Promise<FlowRun> {
  let final!: () => void;
  const ended = new Promise<void>((resolve) => (final = resolve));
  const stop = feed(id, () => final());
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => final();
  try {
    const run = await readFlowRun(database.db, id);
    if (isTerminal(run.state_type) || waitSeconds <= 0) return run;
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) return run;
    await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitSeconds * 1000)))]);
    return await readFlowRun(database.db, id);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    stop();
  }
}
