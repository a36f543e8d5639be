import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowRun } from "@baton/core";
import { callApi } from "../helpers/call-api.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/**
 * `baton flow-run ls` filters (issue 22 part 3): --deployment, --pool, --tag, --since, --until,
 * and --upcoming soonest first with when each run is due, by the real binary against a real server;
 * --sort (issue 21) by start time and duration.
 */
const SLOW = 300_000;

describe.each(DATABASE_KINDS)("baton flow-run ls filters against a server on %s", (kind) => {
  let server: CliServer;
  let adminKey: string | undefined;
  /** Runs by letter: a (etl/a, due in 2h, tag t1), b (etl/a, due in 30m), c (etl/b in pool other, due in 1h, tag t1). */
  const runs: Record<string, FlowRun> = {};
  const ls = async (args: string[]): Promise<string[]> => {
    const r = await server.baton(["flow-run", "ls", ...args, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const byId = new Map(Object.entries(runs).map(([letter, run]) => [run.id, letter]));
    return (JSON.parse(r.stdout) as FlowRun[]).map((run) => byId.get(run.id) ?? run.id);
  };

  beforeAll(async () => {
    server = await startCliServer(kind);
    adminKey = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())?.[1];
    for (const pool of ["main", "other"]) expect((await server.baton(["work-pool", "create", pool, "--type", "process"])).code).toBe(0);
    for (const [name, pool] of [["a", "main"], ["b", "other"]]) {
      const made = await callApi(server.apiUrl, adminKey, "POST", "/deployments", { flow_name: "etl", name, entrypoint: "flows/etl.ts:etlFlow", work_pool_name: pool });
      expect(made.status, made.text).toBe(200);
    }
    // Made in the order a, b, c: newest-created first would list c, b, a.
    for (const [letter, args] of [
      ["a", ["etl/a", "--start-in", "2h", "--tag", "t1"]],
      ["b", ["etl/a", "--start-in", "30m"]],
      ["c", ["etl/b", "--start-in", "1h", "--tag", "t1"]],
    ] as const) {
      const r = await server.baton(["deployment", "run", ...args, "-o", "json"]);
      expect(r.code, r.stderr).toBe(0);
      runs[letter] = JSON.parse(r.stdout) as FlowRun;
    }
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
  }, SLOW);

  it("--upcoming lists the runs soonest first and shows when each is due", async () => {
    expect(await ls(["--upcoming"])).toEqual(["b", "c", "a"]);
    const table = await server.baton(["flow-run", "ls", "--upcoming"]);
    const due = runs.b!.expected_start_time!.replace("T", " ").slice(0, 19);
    expect(table.stdout).toMatch(new RegExp(`^${runs.b!.id}\\s+.*${due}`, "m"));
    // Without --upcoming, scheduled runs are left out unless --state asks for them.
    expect(await ls([])).toEqual([]);
  }, SLOW);

  it("filters by deployment (by its FLOW/NAME), pool, tags and due time", async () => {
    expect(await ls(["--upcoming", "--deployment", "etl/a"])).toEqual(["b", "a"]);
    expect(await ls(["--upcoming", "--deployment", runs.a!.deployment_id!])).toEqual(["b", "a"]);
    expect(await ls(["--upcoming", "--pool", "other"])).toEqual(["c"]);
    expect(await ls(["--upcoming", "--tag", "t1"])).toEqual(["c", "a"]);
    expect(await ls(["--upcoming", "--tag", "t1", "--pool", "main"])).toEqual(["a"]);
    const in90m = new Date(Date.now() + 90 * 60_000).toISOString();
    expect(await ls(["--upcoming", "--until", in90m])).toEqual(["b", "c"]);
    expect(await ls(["--upcoming", "--since", in90m])).toEqual(["a"]);
    expect(await ls(["--state", "scheduled", "--since", "1d", "--limit", "2"])).toHaveLength(2);
  }, SLOW);

  it("says what is wrong: a time that is none (exit 2), a deployment or pool that does not exist (exit 1)", async () => {
    const badTime = await server.baton(["flow-run", "ls", "--since", "yesterday-ish"]);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain("--since must be a time (2026-12-24T08:00:00Z) or a duration back from now (30m, 2h, 1d)");
    const ghost = await server.baton(["flow-run", "ls", "--deployment", "etl/ghost"]);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toContain('DeploymentNotFound: no deployment "etl/ghost"');
    const noPool = await server.baton(["flow-run", "ls", "--pool", "nowhere"]);
    expect(noPool.code).toBe(1);
    expect(noPool.stderr).toContain('WorkPoolNotFound: no work pool "nowhere"');
  }, SLOW);

  it("--sort lists by start time or duration, server-side, runs without the value last; a bad order is exit 2", async () => {
    // d ran 10 s from T, e 2 s from T+5 s, f started at T+1 s and still runs.
    // In the future: a state stamped before the run's current one is moved to just after it.
    const T = Date.now() + 86_400_000;
    const at = (seconds: number) => new Date(T + seconds * 1000).toISOString();
    for (const [letter, start, end] of [["d", 0, 10], ["e", 5, 7], ["f", 1, null]] as const) {
      const r = await server.baton(["deployment", "run", "etl/b", "-o", "json"]);
      expect(r.code, r.stderr).toBe(0);
      const run = JSON.parse(r.stdout) as FlowRun;
      runs[letter] = run;
      for (const [type, time] of [["RUNNING", start], ["COMPLETED", end]] as const) {
        if (time === null) continue;
        const set = await callApi(server.apiUrl, adminKey, "POST", `/flow_runs/${run.id}/set_state`, { state: { type, timestamp: at(time) }, force: true });
        expect(set.status, set.text).toBe(200);
      }
    }
    // f has no process: the server's crashed-runs service (heartbeat timeout 5 s here) would mark it
    // Crashed while the four listings below run on a slow machine, so it heartbeats as a run would.
    const alive = setInterval(() => void callApi(server.apiUrl, adminKey, "POST", `/flow_runs/${runs.f!.id}/heartbeat`, {}), 1000);
    try {
      await expectSorted();
    } finally {
      clearInterval(alive);
    }
  }, SLOW);

  async function expectSorted(): Promise<void> {
    const only = ["--state", "COMPLETED,RUNNING"];
    expect(await ls([...only, "--sort", "duration_desc"])).toEqual(["d", "e", "f"]);
    expect(await ls([...only, "--sort", "duration_asc"])).toEqual(["e", "d", "f"]);
    expect(await ls([...only, "--sort", "start_time_desc"])).toEqual(["e", "f", "d"]);
    expect(await ls([...only, "--sort", "start_time_asc"])).toEqual(["d", "f", "e"]);
    expect(await ls([...only, "--sort", "duration_desc", "--limit", "1"])).toEqual(["d"]);
    const bad = await server.baton(["flow-run", "ls", "--sort", "longest"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--sort must be one of created_desc, created_asc, start_time_desc");
    const both = await server.baton(["flow-run", "ls", "--upcoming", "--sort", "duration_desc"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--upcoming lists runs soonest due first and cannot take --sort");
  }
});
