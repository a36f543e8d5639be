import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { isTerminal, type StateType } from "@baton/core";
import type { Database } from "../db/schema.js";
import { startListener } from "../wake-up/notifier.js";
import type { EventBus } from "./bus.js";
import { countTaskRuns, createPublisher, type Committed, type LogSpan, type StateFact } from "./publish.js";
import type { TaskRunsEvent, WorkerEvent } from "./types.js";

/** The PostgreSQL channel on which server replicas tell each other what they committed. */
export const EVENTS_CHANNEL = "baton_events";
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7000;

/**
 * Many states of one type, name and time written by one commit (a scheduler batch's thousands of
 * new Scheduled runs), told as the range of their ids instead of one by one: the receiver reads
 * them back by its index on (type, timestamp, id), and only when one of its streams wants
 * flow_run events. A range may also hold states of another commit with the same type and time
 * (two scheduler lanes): those are told twice, never missed.
 */
export interface StateSpan {
  type: string;
  name: string;
  timestamp: string;
  from: string;
  to: string;
}

/** Below this many alike states a commit sends them one by one (a range costs a read on every replica that listens). */
export const SPAN_MIN = 20;

interface Envelope {
  /** The sending process: a replica ignores its own notifications (it published them already). */
  o: string;
  s: StateFact[];
  /** Absent from a replica of an older version. */
  g?: StateSpan[];
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
  // Envelopes are published in the order they came, spans read back in between.
  let receiving: Promise<void> = Promise.resolve();
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
      const spans = envelope.g ?? [];
      receiving = receiving
        .then(async () => {
          // A range is read back only for someone here: a stream, or a wait for a run's end (final states only).
          const wanted = options.bus.wants("flow_run") || (options.bus.watchesFinal() && spans.some((span) => isTerminal(span.type as StateType)));
          const spanned = spans.length > 0 && wanted ? await readSpans(options.db, spans) : [];
          publish({ states: [...(envelope.s ?? []), ...spanned], logs: [], logSpans: envelope.l ?? [], workers: envelope.w ?? [], taskRunIds: [], taskRuns: envelope.t ?? [] });
        })
        .catch((error) => options.onError?.(error));
    },
    () => stopped,
    options.onError,
  );
  return {
    async stop() {
      stopped = true;
      options.bus.relay = undefined;
      await sending;
      await receiving;
      await listener.stop();
    },
  };
}

/**
 * The states of `spans`, read back from the index on (type, timestamp, id). State ids are UUIDv7
 * text of one fixed shape (hex digits, hyphens in the same places), which JavaScript's `<` and
 * the database's collation order alike, so the range the sender computed is the range read here.
 */
async function readSpans(db: Kysely<Database>, spans: readonly StateSpan[]): Promise<StateFact[]> {
  const out: StateFact[] = [];
  for (const span of spans) {
    const rows = await db
      .selectFrom("flow_run_states")
      .select(["id", "flow_run_id", "type", "name", "timestamp"])
      .where("type", "=", span.type as StateType)
      .where("timestamp", "=", span.timestamp)
      .where("id", ">=", span.from)
      .where("id", "<=", span.to)
      .where("name", "=", span.name)
      .execute();
    for (const r of rows) out.push({ flow_run_id: r.flow_run_id, type: r.type, name: r.name, timestamp: r.timestamp, state_id: r.id });
  }
  return out;
}

/**
 * Alike states (same type, name and time, SPAN_MIN or more, ids known) as spans; the rest one by
 * one, in commit order. Only runs with a single state in the commit go into a span: the receiver
 * publishes spans after the single states, which must not put a run's states out of order.
 */
function spansOf(states: readonly StateFact[]): { single: StateFact[]; spans: StateSpan[] } {
  const perRun = new Map<string, number>();
  for (const state of states) perRun.set(state.flow_run_id, (perRun.get(state.flow_run_id) ?? 0) + 1);
  const groups = new Map<string, StateFact[]>();
  for (const state of states) {
    if (perRun.get(state.flow_run_id) !== 1 || !state.state_id) continue;
    const key = `${state.type}\u0000${state.name}\u0000${state.timestamp}`;
    const group = groups.get(key);
    if (group) group.push(state);
    else groups.set(key, [state]);
  }
  const spanned = new Set<StateFact>();
  const spans: StateSpan[] = [];
  for (const group of groups.values()) {
    if (group.length < SPAN_MIN) continue;
    for (const s of group) spanned.add(s);
    let from = group[0]!.state_id!;
    let to = from;
    for (const s of group) {
      if (s.state_id! < from) from = s.state_id!;
      if (s.state_id! > to) to = s.state_id!;
    }
    spans.push({ type: group[0]!.type, name: group[0]!.name, timestamp: group[0]!.timestamp, from, to });
  }
  return { single: spanned.size === 0 ? [...states] : states.filter((s) => !spanned.has(s)), spans };
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
  const empty = (): Envelope => ({ o: origin, s: [], g: [], l: [], w: [], t: [] });
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
  const { single, spans: stateSpans } = spansOf(committed.states);
  for (const span of stateSpans) add((e) => e.g!, span);
  for (const state of single) add((e) => e.s, state);
  for (const span of spans.values()) add((e) => e.l, span);
  for (const worker of committed.workers) add((e) => e.w, worker);
  for (const taskRuns of committed.taskRuns) add((e) => e.t, taskRuns);
  flush();
  return out;
}
