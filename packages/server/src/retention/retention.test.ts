import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../../../test/helpers/cli.js";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { runAged } from "../../test/aged-runs.js";
import { cutoffFor, pruneAll, summarizePrune } from "./prune.js";

async function rowsOf(app: TestApp, id: string) {
  const db = app.db.db;
  const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) => Number((await q.executeTakeFirstOrThrow()).n);
  return {
    run: await count(db.selectFrom("flow_runs").select((eb) => eb.fn.countAll().as("n")).where("id", "=", id)),
    states: await count(db.selectFrom("flow_run_states").select((eb) => eb.fn.countAll().as("n")).where("flow_run_id", "=", id)),
    taskRuns: await count(db.selectFrom("task_runs").select((eb) => eb.fn.countAll().as("n")).where("flow_run_id", "=", id)),
    taskStates: await count(db.selectFrom("task_run_states").select((eb) => eb.fn.countAll().as("n")).where("task_run_id", "in", db.selectFrom("task_runs").select("id").where("flow_run_id", "=", id))),
    logs: await count(db.selectFrom("logs").select((eb) => eb.fn.countAll().as("n")).where("flow_run_id", "=", id)),
    results: await count(db.selectFrom("results").select((eb) => eb.fn.countAll().as("n")).where("owner", "=", id)),
  };
}

/** Results a run stored on the server (resultStorage "server"), and one cache entry, which no run owns. */
async function storeResults(app: TestApp, owner: string, keys: string[]) {
  for (const key of keys) expect((await app.api("PUT", `/results/${owner}/${key}`, { content_base64: Buffer.from(`"${key}"`).toString("base64") })).status).toBe(200);
}

describe.each(DATABASE_KINDS)("retention (%s)", (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it("says what would go, then deletes only finished runs older than the cutoff, with their task runs, states, logs and stored results", async () => {
    app = await openTestApp(kind);
    const oldDone = await runAged(app, 40, "COMPLETED");
    const oldFailed = await runAged(app, 35, "FAILED");
    const oldRunning = await runAged(app, 40, "RUNNING");
    const oldScheduled = await runAged(app, 40, "SCHEDULED");
    const youngDone = await runAged(app, 5, "COMPLETED");
    await storeResults(app, oldDone, ["a", "b"]);
    await storeResults(app, oldFailed, ["a"]);
    await storeResults(app, oldRunning, ["a"]);
    await storeResults(app, youngDone, ["a"]);
    await storeResults(app, "cache", ["k"]);
    const cutoff = cutoffFor(30, new Date());

    const summary = await summarizePrune(app.db, cutoff);
    expect(summary).toMatchObject({ cutoff, flowRuns: 2, taskRuns: 2, logs: 6, results: 3, byState: { COMPLETED: 1, FAILED: 1 } });
    expect(Date.parse(summary.oldest!)).toBeLessThan(Date.parse(summary.newest!));
    // Counting deleted nothing.
    expect((await rowsOf(app, oldDone)).run).toBe(1);

    const deleted = await pruneAll(app.db, cutoff);
    expect(deleted).toEqual({ flowRuns: 2, taskRuns: 2, logs: 6, results: 3 });
    for (const id of [oldDone, oldFailed]) expect(await rowsOf(app, id)).toEqual({ run: 0, states: 0, taskRuns: 0, taskStates: 0, logs: 0, results: 0 });
    for (const id of [oldRunning, youngDone]) expect((await rowsOf(app, id)).results).toBe(1);
    expect((await rowsOf(app, "cache")).results).toBe(1);
    for (const id of [oldRunning, oldScheduled, youngDone]) {
      const rows = await rowsOf(app, id);
      expect(rows).toMatchObject({ run: 1, taskRuns: 1, logs: 3 });
      expect(rows.states).toBeGreaterThan(0);
    }
    expect((await app.api("GET", `/flow_runs/${oldDone}`)).status).toBe(404);
    expect((await app.api("GET", `/flow_runs/${youngDone}`)).status).toBe(200);
    expect((await summarizePrune(app.db, cutoff)).flowRuns).toBe(0);
  });

  it("goes through a backlog in batches, every batch its own transaction", async () => {
    app = await openTestApp(kind);
    for (let i = 0; i < 7; i++) await storeResults(app, await runAged(app, 40 + i, "COMPLETED"), ["a", "b"]);
    const batches: [number, number][] = [];
    const deleted = await pruneAll(app.db, cutoffFor(30, new Date()), { batchSize: 3, onBatch: (b) => batches.push([b.flowRuns, b.results]) });
    // Each batch takes its runs' results with it.
    expect(batches).toEqual([
      [3, 6],
      [3, 6],
      [1, 2],
    ]);
    expect(deleted).toMatchObject({ flowRuns: 7, results: 14 });
  });

  it("runs in the server's background services when BATON_SERVER_RETENTION_DAYS is set", async () => {
    app = await openTestApp(kind);
    const old = await runAged(app, 40, "COMPLETED");
    const young = await runAged(app, 1, "COMPLETED");
    await storeResults(app, old, ["a"]);
    const url = app.database.url;
    await app.close();
    // A server on the same database with retention on.
    const { createApp } = await import("../app.js");
    const served = await createApp({ databaseUrl: url, logLevel: "silent", auth: { enabled: false }, services: { retentionDays: 30, loopSeconds: 60 } });
    try {
      const status = async (id: string) => (await served.app.inject({ method: "GET", url: `/api/flow_runs/${id}` })).statusCode;
      await waitFor(async () => (await status(old)) === 404 || undefined, "the old run pruned");
      expect((await served.app.inject({ method: "GET", url: `/api/results/${old}/a` })).statusCode).toBe(404);
      expect(await status(young)).toBe(200);
    } finally {
      await served.close();
    }
  });
});
