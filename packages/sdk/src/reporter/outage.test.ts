import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { BatonClient } from "../client/index.js";
import { Reporter } from "./reporter.js";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { freePort, tempDir } from "../../../../test/helpers/tmp.js";

interface Served {
  close(): Promise<void>;
}

/** The real API server on `port` (no services, no auth), optionally with a small body limit. */
async function serve(databaseUrl: string, port: number, bodyLimitBytes?: number): Promise<Served> {
  const { createApp } = (await import("@baton/server")) as unknown as {
    createApp(o: Record<string, unknown>): Promise<{ app: { listen(o: { host: string; port: number }): Promise<string> }; close(): Promise<void> }>;
  };
  const baton = await createApp({ databaseUrl, logLevel: "silent", services: false, auth: { enabled: false }, ...(bodyLimitBytes ? { bodyLimitBytes } : {}) });
  await baton.app.listen({ host: "127.0.0.1", port });
  return { close: () => baton.close() };
}

const line = (runId: string, i: number, size = 0) => ({ flow_run_id: runId, level: 20, message: `line ${i}${size ? ` ${"x".repeat(size)}` : ""}`, timestamp: new Date().toISOString() });

describe("the reporter against a server that refuses or is gone", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const setUp = async (bodyLimitBytes?: number) => {
    const db: TestDatabase = await createTestDatabase("sqlite");
    cleanups.push(() => db.drop());
    const port = await freePort();
    let served: Served | undefined = await serve(db.url, port, bodyLimitBytes);
    cleanups.push(() => served?.close());
    const client = new BatonClient({ apiUrl: `http://127.0.0.1:${port}/api` });
    cleanups.push(() => client.close());
    const run = await client.createFlowRun({ flow_name: "reported", state: { type: "RUNNING" } });
    return {
      client,
      runId: run.id,
      stop: async () => {
        await served?.close();
        served = undefined;
      },
      start: async () => {
        served = await serve(db.url, port, bodyLimitBytes);
      },
    };
  };
  const messages = async (client: BatonClient, runId: string) => (await client.listLogs({ flow_run_id: runId, limit: 5000 })).items.map((l) => l.message.split(" ").slice(0, 2).join(" "));

  it("splits a batch the server refuses as too large (413) and records every line, in order", async () => {
    const { client, runId } = await setUp(200_000);
    const reporter = new Reporter(client, { intervalMs: 1, maxBatchBytes: 10_000_000 });
    for (let i = 0; i < 40; i++) reporter.addLog(line(runId, i, 20_000)); // 800 KB, four times the limit
    await reporter.flush();
    expect(await messages(client, runId)).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i}`));
  });

  it("keeps events in order while the server is down, past memory into a file of the run's folder, and sends them once it is back", async () => {
    const { client, runId, stop, start } = await setUp();
    const folder = tempDir("baton-spill-");
    cleanups.push(() => folder.remove());
    const reporter = new Reporter(client, { intervalMs: 1, memoryBytes: 4096, spillDir: () => folder.path });
    await stop();
    for (let i = 0; i < 300; i++) reporter.addLog(line(runId, i));
    const flushed = reporter.flush();
    await new Promise((r) => setTimeout(r, 1500)); // a few failed tries
    expect(readdirSync(folder.path).filter((n) => n.startsWith("baton-reports-"))).toHaveLength(1);
    for (let i = 300; i < 400; i++) reporter.addLog(line(runId, i));
    await start();
    await flushed;
    await reporter.flush();
    expect(await messages(client, runId)).toEqual(Array.from({ length: 400 }, (_, i) => `line ${i}`));
    expect(readdirSync(folder.path)).toEqual([]);
  });

  it("gives up once the server has been unreachable for the outage bound, and says so on stderr", async () => {
    const { client, runId, stop } = await setUp();
    await stop();
    const reporter = new Reporter(client, { intervalMs: 1, outageMs: 1500 });
    reporter.addLog(line(runId, 0));
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      await reporter.flush();
    } finally {
      process.stderr.write = write;
    }
    expect(written.join("")).toMatch(/could not record 0 task runs, 0 task run states and 1 log lines .*for 2s \(BATON_API_OUTAGE_SECONDS\)/);
    expect(reporter.pending).toBe(0);
  });
});
