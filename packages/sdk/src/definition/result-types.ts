// The shapes flows, tasks and the run context name for result storage; the storages and
// serializers themselves live in results/, which these sit below.

/**
 * How a result becomes bytes in result storage, and back. The default, "json", is JSON that keeps
 * what plain JSON loses (Date, Map, Set, BigInt, undefined, NaN and ±Infinity, typed arrays and
 * Buffers, as `{"$baton": type, "v": ...}`), readable by any language; "v8" is Node's structured
 * serialization (class-less objects, cycles), readable by Node only. Plug in another one:
 *
 * ```ts
 * const msgpack: ResultSerializer = { name: "msgpack", serialize: (v) => encode(v), deserialize: (b) => decode(b) };
 * task({ name: "load", persistResult: true, resultSerializer: msgpack }, ...)
 * ```
 * The name is written beside each result, so a reader knows which serializer to use.
 *
 * A large result need not be held as one string and one buffer besides the value: give
 * `serializeChunks` (pieces produced as the storage takes them, as "json" does) and/or
 * `deserializeChunks` (reading the stored bytes as they arrive). Without them the whole payload
 * goes through `serialize` / `deserialize`.
 */
export interface ResultSerializer {
  readonly name: string;
  serialize(value: unknown): Uint8Array | string;
  deserialize(bytes: Buffer): unknown;
  /** The same bytes as `serialize`, a piece at a time (each written before the next is made). */
  serializeChunks?(value: unknown): Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;
  /** The value from the stored bytes as they are read; `size` is their length when the storage knows it. */
  deserializeChunks?(chunks: AsyncIterable<Buffer>, size: number | undefined): Promise<unknown>;
}

/**
 * Where persisted task results and cache entries live. Keys are relative paths of letters,
 * digits, '.', '-', '_' and '/' (`flow-runs/<run id>/<task>-<n>-<hash>`, `cache/<hash>`): the same
 * on every pod, so a retry or a later run on another machine finds what an earlier one stored.
 */
export interface ResultStorage {
  /** Names the storage: entries of two storages never mix (the memory cache is keyed by it). */
  readonly id: string;
  /** The stored bytes, or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /** Stores the pieces as one entry, replacing one of the same key; a reader never sees half of it. */
  write(key: string, pieces: readonly Buffer[]): Promise<number>;
  /**
   * Streamed forms (the built-in storages have them): the bytes as they are read, with their size
   * when known, or undefined when there is none; and a write from pieces produced as it goes.
   * A storage without them gets whole buffers through `read` and `write`.
   */
  openRead?(key: string): Promise<{ size: number | undefined; chunks: AsyncIterable<Buffer> } | undefined>;
  writeStream?(key: string, body: AsyncIterable<Uint8Array>): Promise<number>;
}

/** `resultStorage` of a flow or task: "local", "server", "s3://bucket[/prefix]", or a storage of your own. */
export type ResultStorageSpec = "local" | "server" | `s3://${string}` | ResultStorage;

/** What the settings say (BATON_RESULTS_*), read once per top-level run. */
export interface ResultSettings {
  dir: string;
  storage: string;
  s3Endpoint?: string | undefined;
  s3Region?: string | undefined;
  s3CredentialsSecret?: string | undefined;
}
