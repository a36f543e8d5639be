import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowRun } from "@baton/core";
import { callApi } from "../helpers/call-api.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/**
 * `baton flow-run ls` filters (issue 22 part 3): --deployment, --pool, --tag, --since, --until,
 * and --upcoming soonest first with when each run is due, by the real binary against a real server.
 */
const SLOW = 300_000;

describe.each(DATABASE_KINDS)("baton flow-run ls filters against a server on %s", (kind) => {
  let server: CliServer;
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
    const adminKey = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())?.[1];
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
});
