import type { ClaimedRun } from "@baton/core";
import { ApiError } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";

export interface ClaimLoopOptions {
  client: BatonClient;
  pool: string;
  workerName: string;
  queues?: string[];
  /** Runs handled at the same time: each claim asks for the free slots only. */
  limit: number;
  /** Long poll: the server answers as soon as a run is due, or with none after this long. */
  waitSeconds: number;
  leaseSeconds?: number;
  /** Ask for each claimed run's token with the claim (`run_tokens`), instead of one request per run after it. */
  runTokens?: boolean;
  /** Runs one claimed run; its slot is free again when this settles. */
  handle(claimed: ClaimedRun): Promise<void>;
  onError(error: unknown): void;
  /** Each claim that answered: how long it waited (a long poll waits until a run is due) and how many runs it brought. */
  onClaim?(seconds: number, runs: number): void;
}

/**
 * Claims due runs of a pool and hands each to `handle`, never holding more than `limit` at a
 * time. Shared by `flow.serve()` and the worker, which differ only in how a run is run.
 */
export class ClaimLoop {
  private readonly active = new Set<Promise<void>>();
  private stopped = false;
  private wake: (() => void) | undefined;
  private inflight: AbortController | undefined;
  /** Cleared when the server is older than `run_tokens` (it refuses the field): runs then get their tokens one by one. */
  private runTokens: boolean;
  readonly done: Promise<void>;

  constructor(private readonly options: ClaimLoopOptions) {
    this.runTokens = options.runTokens === true;
    this.done = this.loop();
  }

  get running(): number {
    return this.active.size;
  }

  /** No more claims (a long poll in flight is abandoned: what it claimed returns when its lease ends). */
  stopClaiming(): void {
    this.stopped = true;
    this.inflight?.abort();
    this.wake?.();
  }

  /**
   * Count a run this loop did not claim (one a restarted worker adopted from its infrastructure)
   * against the limit until it settles, so adopted and claimed runs together stay within it.
   */
  hold(run: Promise<void>): void {
    const p: Promise<void> = run
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.active.delete(p);
        this.wake?.();
      });
    this.active.add(p);
  }

  /** Resolves when every run handed out so far has settled. */
  async drained(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async loop(): Promise<void> {
    const o = this.options;
    let failures = 0;
    while (!this.stopped) {
      const free = o.limit - this.active.size;
      if (free <= 0) {
        await Promise.race([...this.active, new Promise<void>((resolve) => (this.wake = resolve))]);
        continue;
      }
      const controller = new AbortController();
      this.inflight = controller;
      let claimed: ClaimedRun[];
      const asked = performance.now();
      try {
        const answer = await o.client.call(
          "claimFlowRuns",
          {
            params: { name: o.pool },
            body: {
              worker_name: o.workerName,
              ...(o.queues && o.queues.length > 0 ? { queues: o.queues } : {}),
              limit: Math.min(free, 100),
              wait_seconds: o.waitSeconds,
              ...(o.leaseSeconds ? { lease_seconds: o.leaseSeconds } : {}),
              ...(this.runTokens ? { run_tokens: true } : {}),
            },
          },
          controller.signal,
        );
        claimed = answer.flow_runs;
        failures = 0;
        o.onClaim?.((performance.now() - asked) / 1000, claimed.length);
      } catch (error) {
        if (this.stopped) break;
        if (this.runTokens && refusesRunTokens(error)) {
          this.runTokens = false;
          continue;
        }
        o.onError(error);
        // The server is down or restarting: back off, up to 10 s, and try again.
        failures++;
        await this.pause(Math.min(10_000, 250 * 2 ** failures));
        continue;
      } finally {
        this.inflight = undefined;
      }
      for (const c of claimed) {
        const p: Promise<void> = o
          .handle(c)
          .catch((error: unknown) => o.onError(error))
          .finally(() => {
            this.active.delete(p);
            this.wake?.();
          });
        this.active.add(p);
        // One turn of the event loop between runs: started together, each launch would take its
        // every step for all of them before any is done (a claim of 50 sent its first run to a
        // reused executor only after preparing the 50th, the server idle meanwhile).
        if (claimed.length > 1) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
}

/**
 * How a server older than `run_tokens` answers a claim that asks for them: its strict body
 * schema refuses the unknown field, by name, with a 422 ValidationError (a 400 is taken too).
 */
export function refusesRunTokens(error: unknown): boolean {
  if (!(error instanceof ApiError) || (error.status !== 422 && error.status !== 400)) return false;
  return error.issues.some((issue) => issue.path === "body.run_tokens") || error.message.includes("run_tokens");
}
