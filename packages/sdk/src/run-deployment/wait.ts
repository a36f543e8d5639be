import type { FlowRun } from "@baton/core";
import { ApiError, isTerminal } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";

/** An older server without the wait route: the run is read, soon at first, then every few seconds. */
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 3_000;
/** One wait request's length: well inside the client's 60 s socket timeout. */
const WAIT_REQUEST_SECONDS = 30;

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

/** A server from before `GET /flow_runs/:id/wait` answers 404 RouteNotFound (or 405) for it. */
const noWaitRoute = (error: unknown) => error instanceof ApiError && ((error.status === 404 && error.code === "RouteNotFound") || error.status === 405);

/**
 * The run once its state is final, when the deadline passes (null: none), or until the signal
 * aborts (the caller's run was cancelled or timed out: it throws the signal's reason). The server
 * holds each request until the run ends (`GET /flow_runs/:id/wait`), so the answer comes as the
 * run ends, not at the next poll; an older server's run is read at growing intervals instead.
 */
export async function waitForFinalState(client: BatonClient, id: string, deadline: number | null, signal: AbortSignal | undefined): Promise<WaitOutcome> {
  let pause = FIRST_POLL_MS;
  let serverWaits = true;
  for (;;) {
    signal?.throwIfAborted();
    const left = deadline === null ? Infinity : deadline - Date.now();
    let run: FlowRun;
    let heldFor = Infinity;
    if (serverWaits) {
      try {
        const seconds = Math.max(0, Math.min(WAIT_REQUEST_SECONDS, left / 1000));
        const asked = Date.now();
        run = await client.call("waitForFlowRun", { params: { id }, query: { wait_seconds: seconds } }, signal);
        heldFor = (Date.now() - asked) / 1000 - seconds;
      } catch (error) {
        signal?.throwIfAborted();
        if (!noWaitRoute(error)) throw error;
        serverWaits = false;
        continue;
      }
    } else run = await client.readFlowRun(id);
    if (isTerminal(run.state_type)) return { run };
    if (deadline !== null && deadline - Date.now() <= 0) return { timedOut: run };
    // A wait the server cut short (a proxy's timeout, a restart) is not asked again at once.
    if (serverWaits && heldFor >= -0.05) continue;
    await sleep(Math.min(pause, deadline === null ? pause : deadline - Date.now()), signal);
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}
