import { randomUUID } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import { Migrator, type Migration } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { createTestDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "../db/open.js";
import { createApp } from "../app.js";
import { migrationProvider } from "../db/migrations/index.js";
import { RESULT_CHUNK_BYTES } from "./repository.js";

const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

describe.each(DATABASE_KINDS)("result storage on the server (%s)", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind, { resultMaxBytes: 1024 });
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it("stores a run's result and a cache entry as bytes, replaces one of the same key, answers 404 for none", async () => {
    const run = randomUUID();
    const bytes = Buffer.from([0, 1, 2, 255, 10, 13]);
    expect(await app.api("PUT", `/results/${run}/expensive-0-abc`, { content_base64: b64(bytes) })).toMatchObject({ status: 200, body: { owner: run, key: "expensive-0-abc", size: 6 } });
    const read = await app.api("GET", `/results/${run}/expensive-0-abc`);
    expect(read.status).toBe(200);
    expect(Buffer.from((read.body as { content_base64: string }).content_base64, "base64")).toEqual(bytes);
    await app.api("PUT", "/results/cache/k1", { content_base64: b64("first") });
    await app.api("PUT", "/results/cache/k1", { content_base64: b64("second") });
    expect(Buffer.from(((await app.api("GET", "/results/cache/k1")).body as { content_base64: string }).content_base64, "base64").toString()).toBe("second");
    const missing = await app.api("GET", `/results/${run}/nothing`);
    expect(missing).toMatchObject({ status: 404, body: { code: "ResultNotFound" } });
  });

  it("refuses a result over the limit (413, naming the limit and the fix) and a bad owner or key (422)", async () => {
    const big = await app.api("PUT", "/results/cache/big", { content_base64: b64(Buffer.alloc(1025)) });
    expect(big.status).toBe(413);
    expect((big.body as { message: string }).message).toContain("a result of 1025 bytes is over this server's limit of 1024 bytes per result (BATON_SERVER_RESULT_MAX_BYTES)");
    expect((await app.api("GET", "/results/../etc")).status).toBe(404);
    expect(await app.api("GET", "/results/not-a-run/k")).toMatchObject({ status: 422 });
    expect(await app.api("PUT", "/results/cache/a%2Fb", { content_base64: b64("x") })).toMatchObject({ status: 422 });
  });
});

describe.each(DATABASE_KINDS)("the body limit of a result write follows the result limit (%s)", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    // A body limit far below the result limit: a result write must still get the room its limit needs.
    app = await openTestApp(kind, { resultMaxBytes: 64 * 1024, bodyLimitBytes: 1024 });
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it("stores a result at the limit whatever the app's body limit; one announced far over it is refused before it is read", async () => {
    const run = randomUUID();
    expect(await app.api("PUT", `/results/${run}/k`, { content_base64: b64(Buffer.alloc(64 * 1024)) })).toMatchObject({ status: 200, body: { size: 65536 } });
    expect((await app.api("POST", "/variables", { name: "v", value: "x".repeat(2048) })).status).toBe(413);
    const far = await app.api("PUT", `/results/${run}/far`, { content_base64: b64(Buffer.alloc(1024 * 1024)) });
    expect(far).toMatchObject({ status: 413, body: { code: "ResultTooLarge" } });
    expect((far.body as { message: string }).message).toMatch(/a result of about \d+ bytes is over this server's limit of 65536 bytes per result/);
  });
});

describe.each(DATABASE_KINDS)("result bytes streamed in and out (%s)", (kind) => {
  const LIMIT = 3 * RESULT_CHUNK_BYTES + 100;
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await openTestApp(kind, { resultMaxBytes: LIMIT });
    base = await app.app.listen({ host: "127.0.0.1", port: 0 });
  }, 60_000);
  afterAll(async () => app?.cleanup());

  /**
   * Over a real socket: a server that refuses a body halfway answers and closes without reading
   * the rest, which a client sees as an answer (and then an error writing, which does not count).
   */
  const put = (path: string, payload: Buffer | Readable) =>
    new Promise<{ statusCode: number; body: string; json(): any }>((resolve, reject) => {
      const request = http.request(`${base}/api/results/${path}/content`, { method: "PUT", headers: { "content-type": "application/octet-stream", ...(Buffer.isBuffer(payload) ? { "content-length": String(payload.length) } : {}) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString();
          resolve({ statusCode: response.statusCode!, body, json: () => JSON.parse(body) });
        });
      });
      let answered = false;
      request.on("response", () => (answered = true));
      request.on("error", (error) => answered || reject(error));
      if (Buffer.isBuffer(payload)) request.end(payload);
      else payload.on("error", () => undefined).pipe(request);
    });
  /** A stream with no length announced (chunked), as the SDK sends a result it serializes as it goes. */
  const pieces = (count: number, size: number) => Readable.from((function* () {
    for (let i = 0; i < count; i++) yield Buffer.alloc(size, i);
  })());
  const chunkRows = async () => Number((await app.db.db.selectFrom("result_chunks").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("stores bytes sent raw across chunk boundaries, serves them raw with their length, and in the JSON form too", async () => {
    const run = randomUUID();
    const bytes = Buffer.concat(Array.from({ length: 7 }, (_, i) => Buffer.alloc(400_000 + i, i)));
    // Pieces of a size that is no divisor of a chunk's: chunks are cut across them.
    const slices = Readable.from((function* () {
      for (let at = 0; at < bytes.length; at += 300_001) yield bytes.subarray(at, at + 300_001);
    })());
    const written = await put(`${run}/big`, slices);
    expect(written.statusCode, written.body).toBe(200);
    expect(written.json()).toMatchObject({ owner: run, key: "big", size: bytes.length });
    const read = await app.app.inject({ method: "GET", url: `/api/results/${run}/big/content` });
    expect(read.statusCode).toBe(200);
    expect(read.headers["content-type"]).toBe("application/octet-stream");
    expect(Number(read.headers["content-length"])).toBe(bytes.length);
    expect(read.rawPayload.equals(bytes)).toBe(true);
    const json = await app.api("GET", `/results/${run}/big`);
    expect(Buffer.from(json.body.content_base64, "base64").equals(bytes)).toBe(true);
    // Written in the JSON form, read raw; replaced, the old chunks are gone.
    await app.api("PUT", `/results/${run}/big`, { content_base64: b64("small now") });
    expect((await app.app.inject({ method: "GET", url: `/api/results/${run}/big/content` })).body).toBe("small now");
    await app.api("DELETE", `/flow_runs/${run}`);
    expect((await app.app.inject({ method: "GET", url: `/api/results/${run}/nothing/content` })).json()).toMatchObject({ code: "ResultNotFound" });
  });

  it("a streamed result past the limit: 413 naming the setting, and nothing of it stored; an announced one is refused before it is read", async () => {
    const before = await chunkRows();
    const over = await put("cache/too-big", pieces(5, RESULT_CHUNK_BYTES));
    expect(over.statusCode).toBe(413);
    expect(over.json().message).toContain(`ResultTooLarge: body: a result of more than ${LIMIT} bytes is over this server's limit of ${LIMIT} bytes per result (BATON_SERVER_RESULT_MAX_BYTES)`);
    expect((await app.api("GET", "/results/cache/too-big")).status).toBe(404);
    expect(await chunkRows()).toBe(before);
    const announced = await put("cache/announced", Buffer.alloc(LIMIT + 1));
    expect(announced.statusCode).toBe(413);
    expect(announced.json().message).toContain(`a result of ${LIMIT + 1} bytes is over this server's limit`);
    // An earlier value of the key stays as it was when a replacement is refused.
    await put("cache/kept", Buffer.from("first"));
    expect((await put("cache/kept", pieces(5, RESULT_CHUNK_BYTES))).statusCode).toBe(413);
    expect((await app.app.inject({ method: "GET", url: "/api/results/cache/kept/content" })).body).toBe("first");
  });

  it("JSON sent to the raw route is refused with 415 naming the content type to use", async () => {
    const wrong = await app.api("PUT", "/results/cache/k/content", { content_base64: b64("x") });
    expect(wrong).toMatchObject({ status: 415, body: { code: "UnsupportedMediaType" } });
    expect(wrong.body.message).toContain("application/octet-stream");
  });
});

describe.each(DATABASE_KINDS)("results stored before chunks (%s)", (kind) => {
  it("stay readable after the upgrade, whole, in both forms", async () => {
    const database = await createTestDatabase(kind);
    try {
      const old = await openDatabase(database.url, { migrate: false });
      const all = await migrationProvider.getMigrations();
      const before: Record<string, Migration> = Object.fromEntries(Object.entries(all).filter(([name]) => name < "0023"));
      expect((await new Migrator({ db: old.db, provider: { getMigrations: async () => before } }).migrateToLatest()).error).toBeUndefined();
      const bytes = Buffer.from([0, 1, 2, 255, 10, 13]);
      const raw = old.db as any;
      await raw.insertInto("results").values([
        { owner: "cache", key: "old", content: bytes, size: bytes.length, created: new Date().toISOString() },
        { owner: "cache", key: "empty", content: Buffer.alloc(0), size: 0, created: new Date().toISOString() },
      ]).execute();
      await old.close();
      const app = await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } });
      try {
        expect(Buffer.from((await app.app.inject({ method: "GET", url: "/api/results/cache/old" })).json().content_base64, "base64")).toEqual(bytes);
        expect((await app.app.inject({ method: "GET", url: "/api/results/cache/old/content" })).rawPayload).toEqual(bytes);
        expect((await app.app.inject({ method: "GET", url: "/api/results/cache/empty/content" })).rawPayload.length).toBe(0);
      } finally {
        await app.close();
      }
    } finally {
      await database.drop();
    }
  });
});
