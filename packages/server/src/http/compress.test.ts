import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type BatonApp } from "../app.js";

/** The API's answers are compressed for a client that accepts it (issue 21, item 10). */
describe("compressed API answers", () => {
  let baton: BatonApp;
  let runId: string;
  beforeAll(async () => {
    baton = await createApp({ databaseUrl: "sqlite::memory:", services: false, logLevel: "silent", auth: { enabled: false } });
    const created = await baton.app.inject({ method: "POST", url: "/api/flow_runs", payload: { flow_name: "compress-flow" } });
    runId = created.json().id;
    const lines = Array.from({ length: 400 }, (_, i) => ({ flow_run_id: runId, level: 20, message: `Loaded item ${i} of the batch`, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }));
    const written = await baton.app.inject({ method: "POST", url: "/api/logs", payload: lines });
    expect(written.statusCode).toBe(201);
  });
  afterAll(() => baton.close());
  const logs = (acceptEncoding?: string) =>
    baton.app.inject({ method: "GET", url: `/api/logs?flow_run_id=${runId}&limit=5000`, headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} });

  it("sends brotli to a client that accepts it, several times smaller, the same JSON inside", async () => {
    const plain = await logs();
    const br = await logs("gzip, deflate, br");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(br.headers["content-encoding"]).toBe("br");
    const inside = brotliDecompressSync(br.rawPayload).toString();
    expect(JSON.parse(inside)).toEqual(plain.json());
    expect(br.rawPayload.length * 5).toBeLessThan(plain.rawPayload.length);
  });

  it("sends gzip to a client that accepts only gzip", async () => {
    const gz = await logs("gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString()).items).toHaveLength(400);
  });

  it("leaves a small answer as it is", async () => {
    const health = await baton.app.inject({ method: "GET", url: "/api/health", headers: { "accept-encoding": "br" } });
    expect(health.headers["content-encoding"]).toBeUndefined();
    expect(health.json()).toEqual({ status: "ok" });
  });
});
