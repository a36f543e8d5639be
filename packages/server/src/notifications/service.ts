import type { FastifyBaseLogger } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { LOG_KEEP_DAYS, claimDue, fanOut, messageFrom, pruneDeliveries, recordDelivered, recordFailed, type Claimed, type EventConsumer } from "./outbox.js";
import { loadRule } from "./rules.js";
import { send } from "./send.js";

export interface NotificationOptions {
  /** The web UI's address, for the link to a run (BATON_UI_URL); none: messages say to set it. */
  uiUrl?: string | undefined;
  /** How often the outbox is looked at (default 1 s). */
  loopSeconds?: number;
  /** The first retry's wait; each next one doubles, up to an hour (default 10 s). */
  retryBaseSeconds?: number;
  /** Attempts before a delivery is given up as failed (default 8). */
  maxAttempts?: number;
  /** How long a replica holds a delivery it is sending before another may take it (default 60 s). */
  leaseSeconds?: number;
}

/**
 * The notifications' dispatcher: on its own timer, it turns outbox events into deliveries and
 * sends the due ones. Every replica runs it; the outbox's claims give each delivery to one.
 */
/** What else reads the outbox (the automations): its events' consumers, and work for each pass. */
export interface OutboxReaders {
  consumers: readonly EventConsumer[];
  eachPass?: (stopped: () => boolean) => Promise<void>;
}

export function startNotifications(database: BatonDatabase, key: () => Buffer, log: FastifyBaseLogger, options: NotificationOptions = {}, readers: OutboxReaders = { consumers: [] }): { stop(): Promise<void>; kick(): void } {
  const retry = { baseSeconds: options.retryBaseSeconds ?? 10, maxAttempts: options.maxAttempts ?? 8 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const sendOne = async (claimed: Claimed) => {
    const rule = claimed.rule_id ? await loadRule(database.db, key(), { id: claimed.rule_id }) : undefined;
    if (!rule) return recordFailed(database.db, claimed, "the notification rule was deleted before this was sent", new Date(), { ...retry, maxAttempts: 0 });
    try {
      await send(rule.target, messageFrom(claimed), claimed.id);
      await recordDelivered(database.db, claimed.id, new Date());
    } catch (error) {
      const message = (error as Error).message;
      await recordFailed(database.db, claimed, message, new Date(), retry);
      log.warn(`notification rule "${rule.name}": attempt ${claimed.attempts} failed: ${message}`);
    }
  };
  let prunedAt = 0;
  const pass = async () => {
    try {
      // The delivery log keeps 30 days; looked at once an hour by each replica.
      if (Date.now() - prunedAt > 3_600_000) {
        prunedAt = Date.now();
        await pruneDeliveries(database.db, new Date(Date.now() - LOG_KEEP_DAYS * 86_400_000));
      }
      while (!stopped && (await fanOut(database, key(), options.uiUrl, new Date(), readers.consumers)) > 0);
      await readers.eachPass?.(() => stopped).catch((error: unknown) => log.error({ err: error }, "automations pass failed; the next one tries again"));
      for (;;) {
        if (stopped) return;
        const due = await claimDue(database, new Date(), options.leaseSeconds ?? 60);
        if (due.length === 0) return;
        await Promise.all(due.map((claimed) => sendOne(claimed).catch((error: unknown) => log.error({ err: error }, "recording a notification delivery failed"))));
      }
    } catch (error) {
      log.error({ err: error }, "notifications pass failed; the next one tries again");
    }
  };
  let running: Promise<void> = Promise.resolve();
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(pass).finally(() => schedule((options.loopSeconds ?? 1) * 1000));
    }, ms);
    timer.unref();
  };
  schedule(0);
  return {
    /** Look now (a test message was queued) rather than at the next tick. */
    kick: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
