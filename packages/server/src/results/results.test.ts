import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";

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
