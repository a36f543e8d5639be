import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatonClient } from "../../client/index.js";
import { DATABASE_KINDS } from "../../../../../test/helpers/databases.js";
import { startEngineServer } from "../../../test/engine-env.js";
import { readEntry, writeEntry } from "../store.js";
import { serverStorage } from "./server.js";

const LIMIT = 2 * 1024 * 1024;

/** The server storage over HTTP: raw bytes streamed both ways, the server's limit met mid-stream. */
describe.each(DATABASE_KINDS)("server result storage, streamed (%s)", (kind) => {
  let client: BatonClient;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const started = await startEngineServer(kind, { resultMaxBytes: LIMIT });
    client = new BatonClient({ apiUrl: started.apiUrl });
    stop = async () => {
      await client.close();
      await started.server.close();
      await started.db.drop();
    };
  }, 60_000);
  afterAll(async () => stop?.());

  it("writes and reads an entry as raw bytes; a missing one is undefined", async () => {
    const storage = serverStorage(client);
    const value = { rows: Array.from({ length: 20 }, (_, i) => ({ i, at: new Date(i), text: "é".repeat(20_000) })) };
    const size = await writeEntry(storage, "cache/streamed", { value, expiresAt: null });
    expect(await readEntry(storage, "cache/streamed")).toEqual({ value, expiresAt: null, size });
    // The same bytes through the JSON form older clients use.
    expect((await storage.read("cache/streamed"))!.length).toBe(size);
    expect(await readEntry(storage, "cache/none")).toBeUndefined();
  });

  it("a result past the server's limit is refused while it streams (413 naming the setting), the previous value kept, and the connection still serves", async () => {
    const storage = serverStorage(client);
    await writeEntry(storage, "cache/kept", { value: "first", expiresAt: null });
    const error = await writeEntry(storage, "cache/kept", { value: "x".repeat(LIMIT + 1), expiresAt: null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 413, code: "ResultTooLarge" });
    expect((error as Error).message).toContain(`over this server's limit of ${LIMIT} bytes per result (BATON_SERVER_RESULT_MAX_BYTES)`);
    expect((await readEntry(storage, "cache/kept"))!.value).toBe("first");
  });
});
