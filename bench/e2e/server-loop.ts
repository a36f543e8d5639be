// bench/e2e/server-loop: the server's CPU per run on a reused executor's path, without the
// executor: a real `startServer` on SQLite (or PostgreSQL) in this process, and a loop of the
// requests a run costs it over HTTP: create the run from its deployment, the worker's claim,
// the executor's read, RUNNING, COMPLETED, and the client's read of the result. Prints the CPU
// time per run of this process (server and client together: the client part is small and the
// same before and after a change). Profile with `node --cpu-prof`:
//   npx tsx bench/e2e/server-loop.ts   (BENCH_RUNS=500, BENCH_DATABASES=sqlite)
import { loadavg } from "node:os";
import { startServer } from "@baton/server";
import { BatonClient } from "baton";
import { testApiKey } from "../../test/helpers/api-key.js";
import { createTestDatabase, type DatabaseKind } from "../../test/helpers/databases.js";
import { tempDir } from "../../test/helpers/tmp.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 500);

async function loop(kind: DatabaseKind) {
  const db = await createTestDatabase(kind);
  const home = tempDir("baton-server-loop-");
  const apiKey = testApiKey();
  const server = await startServer({ databaseUrl: db.url, port: 0, logLevel: "warn", batonHome: home.path, auth: { bootstrapApiKey: apiKey } } as Parameters<typeof startServer>[0]);
  const client = new BatonClient({ apiUrl: `${server.url}/api`, apiKey });
  try {
    await client.call("createWorkPool", { body: { name: "loop", type: "process" } });
    const { deployment } = await client.call("upsertDeployment", { body: { flow_name: "loop", name: "loop", entrypoint: "x.ts:f", work_pool_name: "loop", pull_steps: [] } });
    const one = async () => {
      const created = await client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } });
      const claimed = await client.call("claimFlowRuns", { params: { name: "loop" }, body: { worker_name: "w", limit: 1 } });
      const run = claimed.flow_runs[0]!.flow_run;
      await client.readFlowRun(run.id);
      await client.setFlowRunState(run.id, { type: "RUNNING" });
      await client.setFlowRunState(run.id, { type: "COMPLETED" });
      const done = await client.readFlowRun(created.id);
      if (done.state_type !== "COMPLETED") throw new Error(`run ${done.id} is ${done.state_type}`);
    };
    for (let i = 0; i < 50; i++) await one(); // warm-up: JIT, caches
    const load = +loadavg()[0]!.toFixed(2);
    const before = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < RUNS; i++) await one();
    const cpu = process.cpuUsage(before);
    console.log(JSON.stringify({ kind, runs: RUNS, requests_per_run: 6, cpu_ms_per_run: +((cpu.user + cpu.system) / 1000 / RUNS).toFixed(2), wall_ms_per_run: +((performance.now() - t0) / RUNS).toFixed(2), load }));
  } finally {
    await client.close();
    await server.close();
    await db.drop();
    home.remove();
  }
}

for (const kind of (process.env.BENCH_DATABASES ?? "sqlite").split(",") as DatabaseKind[]) await loop(kind);
