import type { FastifyBaseLogger } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { cutoffFor, pruneAll } from "./prune.js";

export interface RetentionOptions {
  /** Finished runs older than this many days go. */
  days: number;
  /** How often it looks (default 60 s). */
  loopSeconds?: number;
  /** Between batches (default 20 ms): the API's queries run in between, on SQLite's one connection too. */
  pauseMs?: number;
}

/**
 * Retention in the background: on its own timer (never inside the services' pass, so a big
 * first clean-up does not hold up late-run marking or the scheduler), one short transaction per
 * batch with a pause between, so the API keeps answering while a backlog goes. Replicas may
 * prune at the same time: deleting a row twice is harmless.
 */
export function startRetention(database: BatonDatabase, log: FastifyBaseLogger, options: RetentionOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    try {
      const started = Date.now();
      const cutoff = cutoffFor(options.days, new Date());
      const done = await pruneAll(database, cutoff, { pauseMs: options.pauseMs ?? 20, stopped: () => stopped });
      if (done.flowRuns > 0) {
        log.info(`retention: deleted ${done.flowRuns} flow run(s), ${done.taskRuns} task run(s), ${done.logs} log line(s) and ${done.results} stored result(s) that finished before ${cutoff} (BATON_SERVER_RETENTION_DAYS=${options.days}) in ${Date.now() - started} ms`);
      }
    } catch (error) {
      log.error({ err: error }, "retention pass failed; the next one tries again");
    }
  };
  let running: Promise<void> = pass();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, (options.loopSeconds ?? 60) * 1000);
    timer.unref();
  };
  void running.finally(schedule);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
