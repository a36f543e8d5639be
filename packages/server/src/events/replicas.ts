import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { startListener } from "../wake-up/notifier.js";
import type { EventBus } from "./bus.js";
import { countTaskRuns, createPublisher, type Committed, type LogSpan, type StateFact } from "./publish.js";
import type { TaskRunsEvent, WorkerEvent } from "./types.js";

/** The PostgreSQL channel on which server replicas tell each other what they committed. */
export const EVENTS_CHANNEL = "baton_events";
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7000;

interface Envelope {
  /** The sending process: a replica ignores its own notifications (it published them already). */
  o: string;
  s: StateFact[];
  l: LogSpan[];
  w: WorkerEvent[];
  t: TaskRunsEvent[];
}

/**
 * Several server replicas on one PostgreSQL database: a browser's event stream is held by one
 * of them, the worker's and the flow's writes land on any. Each replica NOTIFYs what it
 * committed (states as they are, log lines as a run and a time span, never their text: a
 * busy flow's logs would flood the channel; worker heartbeats) and LISTENs for the others', which it publishes to
 * its own streams like its own commits (log lines read back only for runs someone watches).
 */
export function relayAcrossReplicas(options: { listenUrl: string; db: Kysely<Database>; bus: EventBus; onError?: (error: unknown) => void }): { stop(): Promise<void> } {
  const origin = randomUUID();
  const publish = createPublisher(options.db, options.bus);
  let stopped = false;
  let sending: Promise<void> = Promise.resolve();
  options.bus.relay = (committed) => {
    sending = sending
      .then(async () => {
        // Task runs are counted per flow run here, off the commit's path: ids would not fit a NOTIFY.
        const taskRuns = committed.taskRunIds.length > 0 ? await countTaskRuns(options.db, committed.taskRunIds) : [];
        for (const payload of envelopes(origin, { ...committed, taskRuns: [...committed.taskRuns, ...taskRuns] })) {
          await sql`select pg_notify(${EVENTS_CHANNEL}, ${payload})`.execute(options.db);
        }
      })
      .catch((error) => options.onError?.(error));
  };
  const listener = startListener(
    options.listenUrl,
    EVENTS_CHANNEL,
    (payload) => {
      let envelope: Envelope;
      try {
        envelope = JSON.parse(payload) as Envelope;
      } catch {
        return; // not ours
      }
      if (envelope.o === origin) return;
      publish({ states: envelope.s ?? [], logs: [], logSpans: envelope.l ?? [], workers: envelope.w ?? [], taskRunIds: [], taskRuns: envelope.t ?? [] });
    },
    () => stopped,
    options.onError,
  );
  return {
    async stop() {
      stopped = true;
      options.bus.relay = undefined;
      await sending;
      await listener.stop();
    },
  };
}

/** One commit as NOTIFY payloads, each under the size limit. */
export function envelopes(origin: string, committed: Committed): string[] {
  const spans = new Map<string, LogSpan>();
  for (const log of committed.logs) {
    const span = spans.get(log.flow_run_id);
    if (!span) spans.set(log.flow_run_id, { flow_run_id: log.flow_run_id, from: log.timestamp, to: log.timestamp });
    else {
      if (log.timestamp < span.from) span.from = log.timestamp;
      if (log.timestamp > span.to) span.to = log.timestamp;
    }
  }
  const out: string[] = [];
  const empty = (): Envelope => ({ o: origin, s: [], l: [], w: [], t: [] });
  // The payload's size is kept as items are added, each measured once in bytes (NOTIFY's limit is
  // in bytes): serialising the whole envelope after every item made a scheduler batch of thousands
  // of states quadratic.
  const base = Buffer.byteLength(JSON.stringify(empty()));
  let current = empty();
  let size = base;
  const flush = () => {
    if (size > base) out.push(JSON.stringify(current));
    current = empty();
    size = base;
  };
  const add = (list: (e: Envelope) => unknown[], item: unknown) => {
    const bytes = Buffer.byteLength(JSON.stringify(item)) + 1; // and its comma
    if (size + bytes > MAX_PAYLOAD && size > base) flush();
    list(current).push(item);
    size += bytes;
  };
  for (const state of committed.states) add((e) => e.s, state);
  for (const span of spans.values()) add((e) => e.l, span);
  for (const worker of committed.workers) add((e) => e.w, worker);
  for (const taskRuns of committed.taskRuns) add((e) => e.t, taskRuns);
  flush();
  return out;
}
