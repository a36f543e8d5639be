import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, FlowRun, WorkPool } from "@baton/core";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { deployProject, startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

const BATON_YAML = `deployments:
  - name: etl
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: named }
`;

describe.each(DATABASE_KINDS)("runs, deployments and pools by name, ID prefix or ID, against a server on %s", (kind) => {
  let server: CliServer;
  let project: { remove(): void } | undefined;
  let run: FlowRun;

  beforeAll(async () => {
    server = await startCliServer(kind);
    project = await deployProject(server, BATON_YAML, "named");
    run = await server.json<FlowRun>(["deployment", "run", "etl-flow/etl"]);
  }, SLOW);
  afterAll(async () => {
    project?.remove();
    await server?.stop();
  }, SLOW);

  it("a flow run by its name, an 8-character ID prefix or its ID", async () => {
    // Runs made within a minute share their first 8 characters (UUIDv7 starts with the time): the
    // 8-character case of a prefix is in src/refs/resolve.test.ts, with the ambiguous ones.
    for (const ref of [run.name, run.id.slice(0, 24), run.id.slice(0, 24).toUpperCase(), run.id]) {
      const found = await server.json<{ flow_run: FlowRun }>(["flow-run", "inspect", ref]);
      expect(found.flow_run.id, ref).toBe(run.id);
    }
    const why = await server.baton(["flow-run", "why", run.name]);
    expect(why.code, why.stderr).toBe(0);
    expect(why.stdout).toContain(`Flow run ${run.id}`);

    const missing = await server.baton(["flow-run", "inspect", "no-such-run"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('"no-such-run" is not a flow run ID, ID prefix (8+ characters) or name; list runs and their IDs with baton flow-run ls');
    const badPrefix = await server.baton(["flow-run", "inspect", "ffffffff"]);
    expect(badPrefix.code).toBe(2);
  }, SLOW);

  it("a deployment by FLOW/NAME, its name, an ID prefix or its ID; a pool by name or ID prefix", async () => {
    const deployment = await server.json<Deployment>(["deployment", "inspect", "etl-flow/etl"]);
    for (const ref of ["etl", deployment.id.slice(0, 8), deployment.id]) {
      expect((await server.json<Deployment>(["deployment", "inspect", ref])).id, ref).toBe(deployment.id);
    }
    const missing = await server.baton(["deployment", "inspect", "ghost"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('DeploymentNotFound: no deployment "ghost"; list them with baton deployment ls, or create it with baton deploy');

    const pool = (await server.json<{ work_pool: WorkPool }>(["work-pool", "inspect", "named"])).work_pool;
    const byPrefix = await server.json<{ work_pool: WorkPool }>(["work-pool", "inspect", pool.id.slice(0, 8)]);
    expect(byPrefix.work_pool.name).toBe("named");
    const queue = await server.json<unknown[]>(["work-queue", "ls", "--pool", pool.id]);
    expect(queue).toHaveLength(1);
  }, SLOW);

  it("deployment run schedules for later with --start-in or --start-at, with tags and a name", async () => {
    const later = await server.json<FlowRun>(["deployment", "run", "etl", "--start-in", "10m", "--tag", "backfill", "--tag", "eu", "--flow-run-name", "nightly-1"]);
    expect(later).toMatchObject({ name: "nightly-1", state_type: "SCHEDULED" });
    expect(later.tags).toEqual(expect.arrayContaining(["backfill", "eu"]));
    expect(Date.parse(later.expected_start_time!) - Date.parse(later.created)).toBeGreaterThanOrEqual(9 * 60_000);
    expect((await server.json<{ flow_run: FlowRun }>(["flow-run", "inspect", "nightly-1"])).flow_run.id).toBe(later.id);

    const at = await server.json<FlowRun>(["deployment", "run", "etl-flow/etl", "--start-at", "2030-01-01T00:00:00Z"]);
    expect(at.expected_start_time).toBe("2030-01-01T00:00:00.000Z");
    const upcoming = await server.json<FlowRun[]>(["work-queue", "preview", "default", "--pool", "named", "--hours", "1"]);
    expect(upcoming.map((r) => r.id)).toContain(later.id);
    expect(upcoming.map((r) => r.id)).not.toContain(at.id);

    const both = await server.baton(["deployment", "run", "etl", "--start-in", "1h", "--start-at", "2030-01-01T00:00:00Z"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--start-in and --start-at cannot be used together; pick one");
    const badIn = await server.baton(["deployment", "run", "etl", "--start-in", "soon"]);
    expect(badIn.code).toBe(2);
    expect(badIn.stderr).toContain("--start-in must be a duration: a number and a unit, e.g. 30s, 10m, 2h, 1d (or 1h30m)");
    const badAt = await server.baton(["deployment", "run", "etl", "--start-at", "tomorrow"]);
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toMatch(/--start-at must be a date and time, e.g. 2026-12-24T08:00:00Z/);
  }, SLOW);
});
