import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { flow, getRunContext, servePoolName } from "baton";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startTestServer, waitForState, type TestServer } from "./worker-setup.js";

const POLL_WAIT_SECONDS = 2;

describe.each(DATABASE_KINDS)("flow.serve() (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    process.env.BATON_HOME = t.home.path;
  });
  afterAll(async () => {
    await t?.close();
  });

  test("registers a deployment, runs its scheduled runs and on-demand runs in this process, and stops when asked", async () => {
    const ranHere: string[] = [];
    const served = flow("served-flow", async (p: { n?: number }) => {
      ranHere.push(getRunContext().flowRun.id);
      return (p.n ?? 0) + 1;
    });
    const controller = new AbortController();
    const serving = served.serve({ name: "every-2s", schedules: [{ interval: 2 }], parameters: { n: 41 }, tags: ["served"], signal: controller.signal, client: t.client, pollWaitSeconds: POLL_WAIT_SECONDS });
    try {
      const deployment = await waitFor(() => t.client.call("readDeploymentByName", { params: { flow: "served-flow", name: "every-2s" } }).catch(() => undefined), "the served deployment");
      // Defined in a test, not exported from a module: nothing else could load it, and the entrypoint says so.
      expect(deployment).toMatchObject({ entrypoint: "<serve>", pull_steps: [], work_pool_name: servePoolName("served-flow", "every-2s"), tags: ["served"], parameters: { n: 41 } });

      // A run the scheduler created ends Completed, run by this process.
      const scheduled = await waitFor(async () => {
        const page = await t.client.listFlowRuns({ flow_name: "served-flow", state: "COMPLETED" });
        return page.items[0];
      }, "a scheduled run to complete", 30_000);
      expect(ranHere).toContain(scheduled.id);
      expect(scheduled.deployment_id).toBe(deployment.id);

      const manual = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { n: 1 } } });
      const done = await waitForState(t.client, manual.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type).toBe("COMPLETED");
      expect(ranHere).toContain(manual.id);
    } finally {
      controller.abort();
      await serving;
    }
    // Stopped: later runs stay Scheduled, nobody here takes them.
    const count = ranHere.length;
    const deployment = await t.client.call("readDeploymentByName", { params: { flow: "served-flow", name: "every-2s" } });
    const later = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
    // A long poll still in flight on the server would be woken by this run and answer within
    // one poll wait: once the run is older than that, nothing of this serve can take it.
    await waitFor(() => Date.now() > Date.parse(later.created) + POLL_WAIT_SECONDS * 1000 + 500, "one poll wait after the run was made");
    expect((await t.client.readFlowRun(later.id)).state_type).toBe("SCHEDULED");
    expect(ranHere.length).toBe(count);
  });
});
