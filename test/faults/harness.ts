import { readFileSync } from "node:fs";
import { BatonClient } from "baton";
import { STATE_TYPES, type ApiError, type FlowRun } from "@baton/core";
import { startBaton, waitFor } from "../helpers/cli.js";
import { testApiKey } from "../helpers/api-key.js";
import { freePort, tempDir } from "../helpers/tmp.js";
import { startWorkerProcess, WORKER_FIXTURE, type TestServer, type WorkerProcess } from "../e2e/worker-setup.js";

export { WORKER_FIXTURE };

/** `baton server start` in a process of its own, which a test may SIGKILL and start again on the same port and database. */
export interface ServerProcess {
  port: number;
  apiUrl: string;
  apiKey: string;
  client: BatonClient;
  home: { path: string; remove(): void };
  /** Everything every start of the server printed. */
  output(): string;
  /** Whether the current process is still there. */
  alive(): boolean;
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** `apiKey`: the admin key, given to the replicas of one database so that one key works on each. */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}, apiKey = testApiKey()): Promise<ServerProcess> {
  const port = await freePort();
  const home = tempDir("baton-faults-home-");
  const apiUrl = `http://127.0.0.1:${port}/api`;
  let child: ReturnType<typeof startBaton> | undefined;
  let before = "";
  const serverEnv = { BATON_HOME: home.path, BATON_SERVER_BOOTSTRAP_API_KEY: apiKey, BATON_SERVER_SERVICES_LOOP_SECONDS: "1", ...env };
  const start = async () => {
    before += child?.output() ?? "";
    const c = startBaton(["server", "start", "--port", String(port), "--database-url", databaseUrl], { env: serverEnv });
    child = c;
    await waitFor(() => (c.exitCode !== null ? Promise.reject(new Error(`the server exited: ${c.output()}`)) : /listening/i.test(c.output())), "the server to listen", 60_000);
  };
  const exited = () => child!.exitCode !== null || child!.signalCode !== null;
  const kill = async () => {
    if (!child || exited()) return;
    const gone = new Promise((r) => child!.once("close", r));
    child.kill("SIGKILL");
    await gone;
  };
  await start();
  const client = new BatonClient({ apiUrl, apiKey });
  return {
    port,
    apiUrl,
    apiKey,
    client,
    home,
    output: () => before + (child?.output() ?? ""),
    alive: () => !exited(),
    kill,
    start,
    close: async () => {
      await client.close();
      await kill();
      home.remove();
    },
  };
}

/** A worker process (test/fixtures/worker/worker.mjs) of `pool` on the server. */
export function startFaultWorker(server: ServerProcess, options: Record<string, unknown>, env: Record<string, string> = {}): WorkerProcess {
  const t = { apiUrl: server.apiUrl, apiKey: server.apiKey, home: server.home } as TestServer;
  return startWorkerProcess(t, { type: "process", pollWaitSeconds: 5, ...options }, env);
}

/** A deployment of the fault flow (test/fixtures/worker/flows/faults.ts) in `pool`. */
export async function deployChatty(client: BatonClient, pool: string, pullSteps: unknown[] = [], name = `chatty-${pool}`, extra: Record<string, unknown> = {}): Promise<string> {
  const { deployment } = await client.call("upsertDeployment", {
    body: {
      flow_name: "chatty",
      name,
      entrypoint: "flows/faults.ts:chatty",
      pull_steps: [...pullSteps, { set_working_directory: { directory: WORKER_FIXTURE } }] as never,
      work_pool_name: pool,
      job_variables: { working_dir: WORKER_FIXTURE },
      ...extra,
    },
  });
  return deployment.id;
}

/**
 * A run of the deployment. A 503 the server marks retryable (its database connection was cut
 * under the request: nothing was written) is sent again, as a client is told to.
 */
export async function runChatty(client: BatonClient, deploymentId: string, parameters: { lines: number; delayMs: number; ledger: string }): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const run = await client.call("runDeployment", { params: { id: deploymentId }, body: { parameters } });
      return run.id;
    } catch (error) {
      if ((error as ApiError).status !== 503 || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Every log line of a run, paging through. */
export async function allLogs(client: BatonClient, flowRunId: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await client.listLogs({ flow_run_id: flowRunId, limit: 500, ...(cursor ? { cursor } : {}) } as never);
    out.push(...page.items.map((l) => l.message));
    cursor = (page as { next_cursor?: string | null }).next_cursor ?? undefined;
    if (!cursor || page.items.length === 0) return out;
  }
}

/** Every run now in one of `types` (one listing, paged), by id. */
async function runsIn(client: BatonClient, types: string[]): Promise<Map<string, FlowRun>> {
  const found = new Map<string, FlowRun>();
  let cursor: string | undefined;
  do {
    const page = await client.call("listFlowRuns", { query: { state: types.join(","), limit: 500, ...(cursor ? { cursor } : {}) } as never });
    for (const run of page.items) found.set(run.id, run);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return found;
}

/**
 * Waits until every run is in one of `types` at once; answers them. One listing of the runs in
 * those states a round, not a read per run: with 300 runs, reading each every 100 ms was most of
 * what the server (in the test's own process) did, and slowed the very runs it waited for.
 */
export async function waitForAll(client: BatonClient, ids: string[], types: string[], timeoutMs: number): Promise<FlowRun[]> {
  let missing: string[] = ids;
  try {
    return await waitFor(async () => {
      const found = await runsIn(client, types);
      missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) {
        await new Promise((r) => setTimeout(r, 150));
        return undefined;
      }
      return ids.map((id) => found.get(id)!);
    }, `${ids.length} runs to be ${types.join("/")}`, timeoutMs);
  } catch (error) {
    const last = await Promise.all(missing.slice(0, 20).map((id) => client.readFlowRun(id)));
    throw new Error(`${(error as Error).message}; ${missing.length} are not, such as ${last.map((r) => `${r.state_type} (${r.state.message ?? ""})`).join(", ")}`);
  }
}

export interface Figures {
  runs: number;
  lostRuns: number;
  executedTwice: number;
  expectedLines: number;
  lostLines: number;
  lostFinalStates: number;
}

/**
 * The four numbers every fault test asserts to be 0, measured on the server and the ledger:
 * runs not Completed, runs started more than once, numbered log lines missing, and runs whose
 * final state is not the one their process reached (it ended, but the server says otherwise).
 */
export async function measure(client: BatonClient, ids: string[], linesPerRun: number, ledger: string, label: string): Promise<Figures> {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const line of readFileSync(ledger, "utf8").split("\n")) {
    const [id, what] = line.split(" ");
    if (!id) continue;
    const map = what === "start" ? starts : ends;
    map.set(id, (map.get(id) ?? 0) + 1);
  }
  let lostRuns = 0;
  let lostLines = 0;
  let lostFinalStates = 0;
  const runs = new Map<string, FlowRun>();
  for (const [id, run] of await runsIn(client, [...STATE_TYPES])) runs.set(id, run);
  // Eight runs' logs at a time: 300 runs' reads one after the other took longer than their race.
  const queue = [...ids];
  const readLogs = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const run = runs.get(id) ?? (await client.readFlowRun(id));
      if (run.state_type !== "COMPLETED") lostRuns++;
      if ((ends.get(id) ?? 0) > 0 && run.state_type !== "COMPLETED") lostFinalStates++;
      const seen = new Set((await allLogs(client, id)).map((m) => /^line (\d+) of /.exec(m)?.[1]).filter((n) => n !== undefined));
      lostLines += linesPerRun - seen.size;
    }
  };
  await Promise.all(Array.from({ length: 8 }, readLogs));
  const executedTwice = [...starts.values()].filter((n) => n > 1).length;
  const figures = { runs: ids.length, lostRuns, executedTwice, expectedLines: ids.length * linesPerRun, lostLines, lostFinalStates };
  process.stdout.write(`[faults] ${label}: ${JSON.stringify(figures)}\n`);
  return figures;
}
