import { sql, type Kysely } from "kysely";
import pg from "pg";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";

/** The PostgreSQL channel that tells every replica a pool has new or rescheduled runs. */
export const DISPATCH_CHANNEL = "baton_dispatch";

/**
 * Tells other replicas (PostgreSQL NOTIFY) that `pool` has runs to look at. Called inside the
 * transaction that made them: PostgreSQL delivers the notification only if it commits.
 */
export async function announceRuns(database: BatonDatabase, trx: Kysely<Database>, pools: Iterable<string | null>): Promise<void> {
  if (database.kind !== "postgresql") return;
  for (const pool of new Set(pools)) if (pool) await sql`select pg_notify(${DISPATCH_CHANNEL}, ${pool})`.execute(trx);
}

/**
 * Wakes long-polling claims. In one process, `wake` after a commit reaches its waiters at
 * once; with PostgreSQL, a LISTEN connection brings the NOTIFYs of every replica (this one's
 * too: a second wake is harmless, the claim just looks again).
 */
export interface DispatchNotifier {
  wake(pool: string | null | undefined): void;
  /** How many times `pool` was woken: read it before looking, pass it to `wait`. */
  version(pool: string): number;
  /**
   * Resolves when `pool` is woken, after `ms`, or when `signal` aborts, whichever comes first;
   * at once if it was woken since `since` (a run made between a look and the wait is not missed).
   */
  wait(pool: string, ms: number, since: number, signal?: AbortSignal): Promise<void>;
  /** True once closed: the server is stopping, waits end. */
  readonly closed: boolean;
  /** Wake every waiter and stop listening. */
  close(): Promise<void>;
}

export interface NotifierOptions {
  /** PostgreSQL connection string to LISTEN on; none: this process only. */
  listenUrl?: string | undefined;
  onError?: (error: unknown) => void;
  /** The LISTEN connection is up: `first` at start, false after a reconnection. */
  onListening?: (first: boolean) => void;
}

export function createNotifier(options: NotifierOptions = {}): DispatchNotifier {
  const waiters = new Map<string, Set<() => void>>();
  const versions = new Map<string, number>();
  let closed = false;
  const wake = (pool: string | null | undefined) => {
    if (!pool) return;
    versions.set(pool, (versions.get(pool) ?? 0) + 1);
    const set = waiters.get(pool);
    if (!set) return;
    waiters.delete(pool);
    for (const resolve of set) resolve();
  };
  // NOTIFYs sent while the LISTEN connection was down (a database restart) are lost: once it is
  // back, every waiting claim looks again rather than sleep to the end of its wait.
  const wakeAll = () => {
    for (const pool of new Set([...versions.keys(), ...waiters.keys()])) wake(pool);
  };
  const listener = options.listenUrl
    ? startListener(options.listenUrl, DISPATCH_CHANNEL, wake, () => closed, options.onError, (first) => {
        if (!first) wakeAll();
        options.onListening?.(first);
      })
    : undefined;
  return {
    wake,
    get closed() {
      return closed;
    },
    version: (pool) => versions.get(pool) ?? 0,
    wait(pool, ms, since, signal) {
      if (closed || ms <= 0 || signal?.aborted || (versions.get(pool) ?? 0) !== since) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          waiters.get(pool)?.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener("abort", done, { once: true });
        let set = waiters.get(pool);
        if (!set) waiters.set(pool, (set = new Set()));
        set.add(done);
      });
    },
    async close() {
      closed = true;
      for (const pool of [...waiters.keys()]) wake(pool);
      await listener?.stop();
    },
  };
}

/**
 * One LISTEN connection on `channel`, reconnected after a loss; `onListening` says when it is up
 * again, so the caller can make up for the notifications it missed (the notifier wakes every
 * waiting claim; the UI's event streams refetch). Also used by the events relay (events/replicas.ts).
 */
export function startListener(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  isClosed: () => boolean,
  onError?: (error: unknown) => void,
  onListening?: (first: boolean) => void,
): { stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let connectedBefore = false;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (message) => {
      if (message.channel === channel && message.payload) onPayload(message.payload);
    });
    c.on("error", (error) => {
      onError?.(error);
      reconnect();
    });
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (isClosed()) await c.end().catch(() => undefined);
      else {
        onListening?.(!connectedBefore);
        connectedBefore = true;
      }
    } catch (error) {
      onError?.(error);
      reconnect();
    }
  };
  const reconnect = () => {
    const old = client;
    client = undefined;
    void old?.end().catch(() => undefined);
    if (isClosed() || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000);
    retry.unref();
  };
  void connect();
  return {
    async stop() {
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
