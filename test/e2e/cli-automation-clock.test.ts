import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployProject, startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

// The CLI only calls the API, the same on either database: one kind is enough here.
describe("baton automation with the clock triggers and pool actions", () => {
  let server: CliServer;
  let project: { remove(): void } | undefined;
  beforeAll(async () => {
    server = await startCliServer("sqlite");
    project = await deployProject(server, "deployments:\n  - name: etl\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: clock-cli }\n", "clock-cli");
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    project?.remove();
  }, SLOW);

  it("creates a daily deadline and a pool outage automation, shows them, and refuses what is wrong with the flag to fix", async () => {
    const late = await server.baton(["automation", "create", "late", "--expect-completed-by", "07:00", "--deployment", "etl-flow/etl", "--timezone", "Europe/Paris", "--run-deployment", "etl-flow/etl"]);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toContain("Created automation 'late': no completed etl-flow/etl by 07:00 Europe/Paris -> run_deployment etl-flow/etl");
    expect((await server.json<{ trigger: unknown }>(["automation", "inspect", "late"])).trigger).toEqual({ type: "no_completed_run_by", deployment: "etl-flow/etl", time: "07:00", timezone: "Europe/Paris" });
    const down = await server.baton(["automation", "create", "down", "--pool-offline-for", "10m", "--pool", "clock-cli", "--pause-pool", "clock-cli", "--resume-pool", "clock-cli"]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain("Created automation 'down': clock-cli offline > 600s -> pause_work_pool clock-cli; resume_work_pool clock-cli");
    expect((await server.baton(["automation", "ls"])).stdout).toMatch(/^down\s+clock-cli offline > 600s\s+pause_work_pool clock-cli; resume_work_pool clock-cli\s+yes$/m);

    const usage = async (args: string[], message: string) => {
      const r = await server.baton(["automation", "create", "x", ...args]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain(message);
    };
    await usage(["--expect-completed-by", "07:00", "--cancel-run"], "--expect-completed-by watches one deployment: give it with --deployment FLOW/NAME");
    await usage(["--on", "failed", "--timezone", "UTC", "--cancel-run"], "--timezone goes with --expect-completed-by");
    await usage(["--on", "failed", "--pool-offline-for", "10m", "--cancel-run"], "give one trigger:");
    await usage(["--pool-offline-for", "10", "--cancel-run"], '--pool-offline-for "10": give a number and a unit');
    await usage(["--pool-offline-for", "10m", "--flow", "etl-flow", "--cancel-run"], "--pool-offline-for watches pools: name them with --pool");

    const refused = async (args: string[], field: string) => {
      const r = await server.baton(["automation", "create", "x", ...args]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(field);
    };
    await refused(["--expect-completed-by", "7am", "--deployment", "etl-flow/etl", "--cancel-run"], "body.trigger.time: must be HH:MM or HH:MM:SS");
    await refused(["--expect-completed-by", "07:00", "--deployment", "etl-flow/etl", "--timezone", "Mars/Olympus", "--cancel-run"], "body.trigger.timezone");
    await refused(["--expect-completed-by", "07:00", "--deployment", "etl-flow/none", "--cancel-run"], 'body.trigger.deployment: no deployment "etl-flow/none"');
    await refused(["--pool-offline-for", "10m", "--pool", "nowhere", "--cancel-run"], 'body.trigger.work_pools.0: no work pool "nowhere"');
    await refused(["--on", "failed", "--pause-pool", "nowhere"], 'body.actions.0.work_pool: no work pool "nowhere"');
    expect((await server.json<unknown[]>(["automation", "ls"])).length).toBe(2);
  }, SLOW);
});
