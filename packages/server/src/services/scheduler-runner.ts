import type { FastifyBaseLogger } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { countDue, scheduleDeployments } from "./scheduler.js";
import { startSchedulerThread, type SchedulerThread } from "./scheduler-thread.js";
import type { SchedulerResults } from "./scheduler-thread-protocol.js";

/**
 * Due schedules from which a SQLite server moves its scheduler passes to a thread of their own.
 * A pass over fewer is a few milliseconds of work: not worth a thread's start and memory (a
 * server with a handful of schedules never starts one). From this many on (a first start with
 * many deployments, a resume of many), the fill's minutes of CPU would otherwise share the event
 * loop with every request.
 */
export const SCHEDULER_THREAD_FROM = 100;

export interface SchedulerRunner {
  pass(now: Date): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Where each pass runs. PostgreSQL: here (the database does the heavy part, over its own
 * connections). SQLite on a file: on the scheduler's thread once a pass finds `threadFrom`
 * schedules due, and every pass after that; here again if the thread dies. `:memory:` cannot be
 * shared with another connection: here.
 */
export function schedulerRunner(database: BatonDatabase, log: FastifyBaseLogger, results: SchedulerResults, threadFrom = SCHEDULER_THREAD_FROM): SchedulerRunner {
  const { onRuns } = results;
  let thread: SchedulerThread | undefined;
  const file = database.sqliteFile;
  const turns = database.sqliteWriteTurns;
  const onThread = async (now: Date): Promise<number> => {
    thread ??= startSchedulerThread(file!, turns!, results);
    try {
      return await thread.pass(now);
    } catch (error) {
      if (thread.alive) throw error; // the pass failed (the database): the next one tries again
      log.warn({ err: error }, "the scheduler's thread died; scheduler passes run on the server's own thread from now on");
      return scheduleDeployments(database, now, onRuns);
    }
  };
  const here = async (now: Date): Promise<number> => {
    if (file !== undefined && turns !== undefined && Number.isFinite(threadFrom) && !thread && (threadFrom <= 0 || (await countDue(database.db, now, threadFrom)) >= threadFrom)) return onThread(now);
    return scheduleDeployments(database, now, onRuns);
  };
  return {
    // A live thread gets the pass at once (the message leaves before this returns).
    pass: (now) => (thread?.alive ? onThread(now) : here(now)),
    stop: async () => thread?.stop(),
  };
}
