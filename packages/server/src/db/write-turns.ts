/**
 * SQLite takes one writer at a time. When the server's scheduler thread writes a big fill on its
 * own connection, a write on the server's connection would wait for the lock in SQLite's busy
 * handler, which sleeps synchronously: the whole event loop, reads included, stood still (up to
 * 387 ms in a 10,000-deployment fill). Instead the two connections take turns through two shared
 * counters: the server says it wants to write and waits for the thread's batch to end without
 * blocking its event loop; the thread starts no batch while the server wants to write, for a
 * bounded time, so a server that writes all the time cannot starve the scheduler either.
 */
// In Node since 16 (V8 8.7); the compiler's library here predates it.
const { waitAsync } = Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string } };

const WANTING = 0;
const HOLDING = 1;

/** How long the thread lets the server go first before it takes a turn anyway. */
export const THREAD_MAX_YIELD_MS = 100;

/** The counters both connections share (passed to the thread as its workerData). */
export const createWriteTurns = (): SharedArrayBuffer => new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);

/**
 * The server's side of a write: wait, off the event loop, for a batch of the thread in progress
 * to end, and keep the thread from starting another until `write` has finished.
 */
export async function serverTurn<T>(buffer: SharedArrayBuffer, write: () => Promise<T>): Promise<T> {
  const turns = new Int32Array(buffer);
  Atomics.add(turns, WANTING, 1);
  try {
    while (Atomics.load(turns, HOLDING) === 1) {
      const wait = waitAsync(turns, HOLDING, 1, 1_000);
      if (wait.async) await wait.value;
    }
    return await write();
  } finally {
    Atomics.sub(turns, WANTING, 1);
    Atomics.notify(turns, WANTING);
  }
}

/**
 * The thread's side of a write: blocks this thread while the server wants to write (at most
 * THREAD_MAX_YIELD_MS), then holds the turn for `write`.
 */
export async function threadTurn<T>(buffer: SharedArrayBuffer, write: () => Promise<T>): Promise<T> {
  const turns = new Int32Array(buffer);
  const until = Date.now() + THREAD_MAX_YIELD_MS;
  for (;;) {
    for (let wanting = Atomics.load(turns, WANTING); wanting > 0 && Date.now() < until; wanting = Atomics.load(turns, WANTING)) {
      Atomics.wait(turns, WANTING, wanting, Math.max(1, until - Date.now()));
    }
    Atomics.store(turns, HOLDING, 1);
    // The server may have asked between the look and the store: it goes first, unless it has had its time.
    if (Atomics.load(turns, WANTING) === 0 || Date.now() >= until) break;
    release(turns);
  }
  try {
    return await write();
  } finally {
    release(turns);
  }
}

function release(turns: Int32Array): void {
  Atomics.store(turns, HOLDING, 0);
  Atomics.notify(turns, HOLDING);
}
