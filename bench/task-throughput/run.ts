// bench/task-throughput: a flow runs 10,000 trivial tasks, sequentially and 100 at a time, every task
// run recorded on a real Baton server (its own process) with its states; on SQLite and PostgreSQL.
// Reports recorded task runs per second, the server's and this client's peak memory, and the idle
// server's resident memory. Run by hand: `npm run build && npx tsx bench/task-throughput/run.ts`.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { closeSharedClient, createClientFromSettings, flow, loadSettings, runFlow, task, type BatonClient } from "baton";
import { createTestDatabase, type DatabaseKind } from "../../test/helpers/databases.js";
import { freePort, tempDir } from "../../test/helpers/tmp.js";

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const CONCURRENCY = 100;
const baton = fileURLToPath(new URL("../../packages/cli/bin/baton.js", import.meta.url));

const noop = task("noop", (i: number) => i);

const sequential = flow({ name: "bench-sequential" }, async () => {
  for (let i = 0; i < TASKS; i++) await noop(i);
  return TASKS;
});

const concurrent = flow({ name: "bench-concurrent" }, async () => {
  for (let start = 0; start < TASKS; start += CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, TASKS - start) }, (_, k) => noop(start + k)));
  }
  return TASKS;
});

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

async function waitReady(url: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not become ready");
}

async function countTaskRuns(client: BatonClient, flowRunId: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await client.listTaskRuns({ flow_run_id: flowRunId, limit: 500, ...(cursor ? { cursor } : {}) });
    n += page.items.filter((t) => t.state_type === "COMPLETED").length;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return n;
}

async function benchOne(kind: DatabaseKind) {
  const db = await createTestDatabase(kind);
  const home = tempDir("baton-bench-");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api`;
  const server = spawn(process.execPath, [baton, "server", "start", "--port", String(port), "--database-url", db.url], {
    env: { ...process.env, BATON_HOME: home.path, BATON_SERVER_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    await waitReady(url, server);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = memoryOf(server.pid!);
    Object.assign(process.env, { BATON_API_URL: url, BATON_HOME: home.path, BATON_LOGGING_LEVEL: "WARNING" });
    const client = await createClientFromSettings(loadSettings());
    const rows: Record<string, unknown>[] = [];
    for (const [label, f] of [["sequential", sequential], ["100 at a time", concurrent]] as const) {
      const started = performance.now();
      const outcome = await runFlow(f, {});
      const seconds = (performance.now() - started) / 1000;
      const recorded = await countTaskRuns(client, outcome.flowRunId);
      rows.push({ database: kind, mode: label, state: outcome.state.type, recorded, seconds: +seconds.toFixed(2), task_runs_per_s: Math.round(recorded / seconds) });
    }
    const server_ = memoryOf(server.pid!);
    const self = memoryOf(process.pid);
    await client.close();
    // The engine's shared client points at this server: the next database gets a new one.
    await closeSharedClient();
    return { rows, idleServerRssMb: +idle.rssMb.toFixed(1), serverPeakMb: +server_.peakMb.toFixed(1), clientPeakMb: +self.peakMb.toFixed(1) };
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("close", r));
    await db.drop();
    home.remove();
  }
}

const kinds = (process.env.BENCH_DATABASES ?? "sqlite,postgresql").split(",") as DatabaseKind[];
for (const kind of kinds) {
  const result = await benchOne(kind);
  console.table(result.rows);
  console.log(`${kind}: idle server RSS ${result.idleServerRssMb} MB, server peak ${result.serverPeakMb} MB, client peak ${result.clientPeakMb} MB`);
}
process.exit(0);
