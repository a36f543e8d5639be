import { SETTINGS } from "@baton/core";
import type { FastifyBaseLogger } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import type { CommitRelay } from "../events/capture.js";
import { markCrashedRuns } from "./crashed-runs.js";
import { markLateRuns } from "./late-runs.js";
import { failExpiredSuspensions } from "./expired-suspensions.js";
import { expireLeases } from "../dispatch/leases.js";
import type { DispatchNotifier } from "../wake-up/notifier.js";
import { foldFlowRunCounts } from "../stats/fold.js";
import { sweepAbandonedUploads } from "../results/repository.js";
import { schedulerRunner } from "./scheduler-runner.js";
import { yieldToEventLoop } from "./yield.js";
import { startRetention } from "../retention/service.js";

export interface ServiceOptions {
  /** A RUNNING flow run silent for this long is Crashed (default BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS' default). */
  heartbeatTimeoutSeconds?: number;
  /** How often the services look (default BATON_SERVER_SERVICES_LOOP_SECONDS' default). */
  loopSeconds?: number;
  /** A SCHEDULED run this late is marked Late (default 15). */
  lateAfterSeconds?: number;
  /** Delete finished runs older than this many days (BATON_SERVER_RETENTION_DAYS); none when absent. */
  retentionDays?: number;
  /** How often retention looks (default 60 s). */
  retentionLoopSeconds?: number;
  /** SQLite: due schedules from which passes move to the scheduler's thread (scheduler-runner.ts; 0 always, Infinity never). */
  schedulerThreadFrom?: number;
}

export interface Services {
  /** Resolves when the first pass has finished (crashed runs of a restart marked, schedules filled). */
  readonly firstPass: Promise<void>;
  /** Stop the loop and wait for a pass in progress. */
  stop(): Promise<void>;
}

const settingDefault = (name: "BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS" | "BATON_SERVER_SERVICES_LOOP_SECONDS"): number =>
  SETTINGS[name].schema.parse(SETTINGS[name].default) as number;

export const LATE_AFTER_SECONDS = 15;

/**
 * Start the background services. The first pass starts at once but is not awaited: the server
 * listens while it works (it yields between bounded batches), and `/api/ready` answers once it
 * has finished. Runs left RUNNING while no server was up are not marked Crashed at once: their
 * heartbeats could not arrive, so they get one full heartbeat timeout after this start to send
 * one (a run that rode out the outage heartbeats again; one that died is Crashed after the grace).
 */
export function startServices(database: BatonDatabase, log: FastifyBaseLogger, options: ServiceOptions = {}, notifier?: Pick<DispatchNotifier, "wake">, commits?: CommitRelay): Services {
  const heartbeatTimeoutSeconds = options.heartbeatTimeoutSeconds ?? settingDefault("BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS");
  const loopSeconds = options.loopSeconds ?? settingDefault("BATON_SERVER_SERVICES_LOOP_SECONDS");
  const lateAfterSeconds = options.lateAfterSeconds ?? LATE_AFTER_SECONDS;

  const scheduler = schedulerRunner(database, log, { onRuns: (pool) => notifier?.wake(pool), ...(commits ? { commits } : {}) }, options.schedulerThreadFrom);
  const startedAt = Date.now();
  const pass = async (): Promise<void> => {
    try {
      const graceOver = Date.now() - startedAt >= heartbeatTimeoutSeconds * 1000;
      const crashed = graceOver ? await markCrashedRuns(database, { heartbeatTimeoutSeconds }) : 0;
      if (crashed > 0) log.warn(`marked ${crashed} flow run(s) Crashed: no heartbeat for ${heartbeatTimeoutSeconds}s`);
      const late = await markLateRuns(database, { lateAfterSeconds });
      if (late > 0) log.info(`marked ${late} flow run(s) Late`);
      const expired = await failExpiredSuspensions(database);
      if (expired > 0) log.info(`failed ${expired} suspended flow run(s) not resumed within their timeout`);
      // The road wakes the pools that got runs back.
      const requeued = await expireLeases(database);
      if (requeued.length > 0) log.warn(`put claimed runs that were not started before their lease ended back in the queue of ${requeued.join(", ")}`);
      const scheduled = await scheduler.pass(new Date());
      if (scheduled > 0) log.info(`scheduled ${scheduled} flow run(s) ahead`);
      const abandoned = await sweepAbandonedUploads(database, new Date());
      if (abandoned > 0) log.warn(`removed the chunks of ${abandoned} result upload(s) cut off before they finished`);
      // The stats' hourly counts take in the runs' changes since the last pass.
      await foldFlowRunCounts(database, yieldToEventLoop);
    } catch (error) {
      // A database hiccup must not stop the loop; the next pass tries again.
      log.error({ err: error }, "background services pass failed");
    }
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = pass();
  const firstPass = running;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, loopSeconds * 1000);
    timer.unref();
  };
  schedule();
  const retention = options.retentionDays !== undefined ? startRetention(database, log, { days: options.retentionDays, ...(options.retentionLoopSeconds !== undefined ? { loopSeconds: options.retentionLoopSeconds } : {}) }) : undefined;
  return {
    firstPass,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([running, retention?.stop()]);
      await scheduler.stop();
    },
  };
}
