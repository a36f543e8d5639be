import { SETTINGS } from "@baton/core";
import type { FastifyBaseLogger } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { markCrashedRuns } from "./crashed-runs.js";
import { markLateRuns } from "./late-runs.js";
import { expireLeases } from "../dispatch/leases.js";
import type { DispatchNotifier } from "../dispatch/notifier.js";
import { scheduleDeployments } from "./scheduler.js";

export interface ServiceOptions {
  /** A RUNNING flow run silent for this long is Crashed (default BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS' default). */
  heartbeatTimeoutSeconds?: number;
  /** How often the services look (default BATON_SERVER_SERVICES_LOOP_SECONDS' default). */
  loopSeconds?: number;
  /** A SCHEDULED run this late is marked Late (default 15). */
  lateAfterSeconds?: number;
}

export interface Services {
  /** Stop the loop and wait for a pass in progress. */
  stop(): Promise<void>;
}

const settingDefault = (name: "BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS" | "BATON_SERVER_SERVICES_LOOP_SECONDS"): number =>
  SETTINGS[name].schema.parse(SETTINGS[name].default) as number;

export const LATE_AFTER_SECONDS = 15;

/**
 * Start the background services. The first pass runs before this returns, so runs left
 * RUNNING while no server was up are marked Crashed as soon as one starts.
 */
export async function startServices(database: BatonDatabase, log: FastifyBaseLogger, options: ServiceOptions = {}, notifier?: Pick<DispatchNotifier, "wake">): Promise<Services> {
  const heartbeatTimeoutSeconds = options.heartbeatTimeoutSeconds ?? settingDefault("BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS");
  const loopSeconds = options.loopSeconds ?? settingDefault("BATON_SERVER_SERVICES_LOOP_SECONDS");
  const lateAfterSeconds = options.lateAfterSeconds ?? LATE_AFTER_SECONDS;

  const pass = async (): Promise<void> => {
    try {
      const crashed = await markCrashedRuns(database, { heartbeatTimeoutSeconds });
      if (crashed > 0) log.warn(`marked ${crashed} flow run(s) Crashed: no heartbeat for ${heartbeatTimeoutSeconds}s`);
      const late = await markLateRuns(database, { lateAfterSeconds });
      if (late > 0) log.info(`marked ${late} flow run(s) Late`);
      const requeued = await expireLeases(database);
      for (const pool of requeued) notifier?.wake(pool);
      if (requeued.length > 0) log.warn(`put claimed runs that were not started before their lease ended back in the queue of ${requeued.join(", ")}`);
      const scheduled = await scheduleDeployments(database, new Date(), (pool) => notifier?.wake(pool));
      if (scheduled > 0) log.info(`scheduled ${scheduled} flow run(s) ahead`);
    } catch (error) {
      // A database hiccup must not stop the loop; the next pass tries again.
      log.error({ err: error }, "background services pass failed");
    }
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = pass();
  await running;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, loopSeconds * 1000);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
