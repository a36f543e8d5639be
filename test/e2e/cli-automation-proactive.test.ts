import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowRun } from "@baton/core";
import { waitFor } from "../helpers/cli.js";
import { deployProject, startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

// The CLI only calls the API, the same on either database (the evaluator's test runs on both).
describe("baton automation create --after-state --expect-state --within", () => {
  let server: CliServer;
  let project: { remove(): void } | undefined;
  beforeAll(async () => {
    server = await startCliServer("sqlite");
    // A pool with no worker: a run stays Scheduled.
    project = await deployProject(server, "deployments:\n  - name: etl\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: proactive-cli }\n", "proactive-cli");
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    project?.remove();
  }, SLOW);

  it("refuses a wrong flag with exit 2 naming it", async () => {
    const usage = async (args: string[], message: string) => {
      const r = await server.baton(["automation", "create", "x", ...args, "--cancel-run"]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain(message);
    };
    await usage(["--after-state", "pending", "--within", "10m"], "--expect-state: the trigger");
    await usage(["--after-state", "pendng", "--expect-state", "running", "--within", "10m"], '--after-state "pendng": not a run state; use scheduled, pending, running');
    await usage(["--after-state", "pending", "--expect-state", "runing", "--within", "10m"], '--expect-state "runing": not a run state');
    await usage(["--after-state", "pending", "--expect-state", "running", "--within", "10"], '--within "10": give a number and a unit');
    await usage(["--after-state", "pending", "--expect-state", "running", "--within", "10m", "--on", "failed"], "give one trigger:");
    expect(await server.json<unknown[]>(["automation", "ls"])).toEqual([]);
  }, SLOW);

  it("a run not picked up within the window fires once: the automation cancels it", async () => {
    const created = await server.baton(["automation", "create", "unclaimed", "--after-state", "scheduled", "--expect-state", "pending,running", "--within", "2s", "--deployment", "etl-flow/etl", "--cancel-run"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created automation 'unclaimed': SCHEDULED -> not PENDING,RUNNING within 2s -> cancel_run");
    expect((await server.json<{ trigger: unknown }>(["automation", "inspect", "unclaimed"])).trigger).toEqual({
      type: "not_in_state_within",
      after: ["SCHEDULED"],
      expect: ["PENDING", "RUNNING"],
      seconds: 2,
      match: { flows: [], deployments: ["etl-flow/etl"], tags: [], work_pools: [] },
    });

    const started = await server.baton(["deployment", "run", "etl-flow/etl"]);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    const run = await waitFor(
      async () => {
        const r = (await server.json<{ flow_run: FlowRun }>(["flow-run", "inspect", id])).flow_run;
        return r.state_type === "CANCELLED" ? r : undefined;
      },
      "the automation to cancel the unclaimed run",
      60_000,
    );
    expect(run.state_type).toBe("CANCELLED");
    const firings = await server.json<Array<{ event: string; flow_run_id: string }>>(["automation", "firings", "--automation", "unclaimed"]);
    expect(firings).toEqual([expect.objectContaining({ event: "NOT_IN_STATE", flow_run_id: id })]);
  }, SLOW);
});
