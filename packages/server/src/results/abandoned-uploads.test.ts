import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { ABANDONED_UPLOAD_MS, sweepAbandonedUploads, writeStoredResultStream } from "./repository.js";

describe.each(DATABASE_KINDS)("streamed result writes cut off before they finished (%s)", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const count = async (app: TestApp, table: "result_chunks" | "result_uploads") =>
    Number((await app.db.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("are found by their upload row and removed once old enough; finished and running writes are left alone", async () => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    const now = new Date();
    // A finished write leaves its chunks under the result and no upload row.
    await writeStoredResultStream(app.db, "cache", "kept", Readable.from([Buffer.alloc(2_000_000, 1)]), 8_000_000, now);
    expect(await count(app, "result_uploads")).toBe(0);
    const kept = await count(app, "result_chunks");
    expect(kept).toBe(2);
    // What a server that died mid-write leaves: chunks under a blob that only an upload row names.
    const leave = async (started: Date) => {
      const blob = randomUUID();
      await app.db.db.insertInto("result_uploads").values({ blob, started: started.toISOString() }).execute();
      for (const seq of [0, 1]) await app.db.db.insertInto("result_chunks").values({ blob, seq, content: Buffer.alloc(1000, seq) }).execute();
    };
    await leave(new Date(now.getTime() - ABANDONED_UPLOAD_MS - 60_000));
    await leave(new Date(now.getTime() - 60_000)); // maybe still arriving: kept
    expect(await sweepAbandonedUploads(app.db, now)).toBe(1);
    expect(await count(app, "result_chunks")).toBe(kept + 2);
    expect(await count(app, "result_uploads")).toBe(1);
    expect(await sweepAbandonedUploads(app.db, now)).toBe(0);
    const read = await app.app.inject({ method: "GET", url: "/api/results/cache/kept/content" });
    expect(read.rawPayload.length).toBe(2_000_000);
  });
});
