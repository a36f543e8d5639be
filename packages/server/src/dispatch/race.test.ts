import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../index.js";
import { DATABASE_KINDS } from "../../test/harness.js";

const RUNS = 500;

/**
 * Four workers claiming from one pool at once: every run is claimed exactly once. On
 * PostgreSQL they talk to two server replicas on one database. SQLite replicas are separate
 * processes (better-sqlite3 blocks its thread while it waits for the file lock, so two in
 * one test process would wait on each other): there the workers share one server.
 */
describe.each(DATABASE_KINDS)("workers racing on one pool on %s", (kind) => {
  let database: TestDatabase;
  const replicas: BatonApp[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const count = kind === "postgresql" ? 2 : 1;
    for (let i = 0; i < count; i++) replicas.push(await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } }));
  });
  afterAll(async () => {
    for (const app of replicas) await app.close();
    await database.drop();
  });

  const call = async (app: BatonApp, url: string, payload: object) => {
    const response = await app.app.inject({ method: "POST", url: `/api${url}`, payload });
    if (response.statusCode >= 300) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
    return response.json();
  };

  it(`claims each of ${RUNS} runs exactly once`, async () => {
    const a = replicas[0]!;
    const b = replicas[replicas.length - 1]!;
    await call(a, "/work_pools", { name: "race", type: "process" });
    const { deployment } = await call(a, "/deployments", { flow_name: "etl", name: "race", entrypoint: "flows/etl.ts:etl", work_pool_name: "race" });
    for (let i = 0; i < RUNS; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, RUNS - i) }, (_, j) => call(j % 2 ? a : b, `/deployments/${deployment.id}/runs`, {})));
    }
    const workers = ["a1", "a2", "b1", "b2"].map(async (name) => {
      const app = name.startsWith("a") ? a : b;
      const mine: string[] = [];
      for (;;) {
        const { flow_runs } = await call(app, "/work_pools/race/claim", { worker_name: name, limit: 7 });
        if (flow_runs.length === 0) return mine;
        for (const c of flow_runs as { flow_run: { id: string; worker_name: string; state_type: string } }[]) {
          expect(c.flow_run).toMatchObject({ worker_name: name, state_type: "PENDING" });
          mine.push(c.flow_run.id);
        }
      }
    });
    const claimed = (await Promise.all(workers)).flat();
    expect(claimed).toHaveLength(RUNS);
    expect(new Set(claimed).size).toBe(RUNS);
    // Each run was moved to PENDING once: one PENDING state in its history.
    const pendingStates = await a.db.db.selectFrom("flow_run_states").select((eb) => eb.fn.countAll().as("n")).where("type", "=", "PENDING").executeTakeFirstOrThrow();
    expect(Number(pendingStates.n)).toBe(RUNS);
  });
});
