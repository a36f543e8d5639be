import { afterEach, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { waitFor } from "../../../../test/helpers/cli.js";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../index.js";
import { DATABASE_KINDS, newFlowRun, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("background services on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const open = async (options: Parameters<typeof openTestApp>[1]) => {
    const app = await openTestApp(kind, options);
    cleanups.push(() => app.cleanup());
    return app;
  };

  const startRunWithTasks = async (app: TestApp) => {
    const run = await newFlowRun(app);
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
    const [done, open] = [uuidv7(), uuidv7()];
    await app.api("POST", "/reports", {
      task_runs: [done, open].map((id, n) => ({ id, flow_run_id: run.id, task_key: "t", name: `t-${n}`, dynamic_key: String(n) })),
      task_run_states: [
        { task_run_id: done, state: { type: "RUNNING" } },
        { task_run_id: done, state: { type: "COMPLETED" } },
        { task_run_id: open, state: { type: "RUNNING" } },
      ],
    });
    return { run, done, open };
  };

  it("marks a silent RUNNING run Crashed, with its open task runs, and spares one that heartbeats", async () => {
    // 0.2 s heartbeats against a 3 s timeout: a busy machine that delays a few still keeps it alive.
    const app = await open({ services: { heartbeatTimeoutSeconds: 3, loopSeconds: 0.2 } });
    const { run, done, open: openTask } = await startRunWithTasks(app);
    const alive = await newFlowRun(app);
    await app.api("POST", `/flow_runs/${alive.id}/set_state`, { state: { type: "RUNNING" } });
    const beating = setInterval(() => void app.api("POST", `/flow_runs/${alive.id}/heartbeat`), 200);
    try {
      const crashed = await waitFor(async () => {
        const read = (await app.api("GET", `/flow_runs/${run.id}`)).body;
        return read.state_type === "CRASHED" ? read : undefined;
      }, "the silent run to be marked Crashed");
      expect(crashed.state.message).toMatch(/no heartbeat was received for \d+ seconds/);
      expect(crashed.state.message).toContain("died or lost its connection");
      expect(crashed.end_time).not.toBeNull();
      expect((await app.api("GET", `/task_runs/${openTask}`)).body.state_type).toBe("CRASHED");
      expect((await app.api("GET", `/task_runs/${done}`)).body.state_type).toBe("COMPLETED");
      expect((await app.api("GET", `/flow_runs/${alive.id}`)).body.state_type).toBe("RUNNING");
      // The process that lost its connection learns it on its next call.
      expect((await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "COMPLETED" } })).body.status).toBe("ABORT");
    } finally {
      clearInterval(beating);
    }
  });

  it("gives runs left Running while no server ran one heartbeat timeout of grace after a start, then marks them Crashed", async () => {
    const database: TestDatabase = await createTestDatabase(kind);
    cleanups.push(() => database.drop());
    const client = await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } });
    const run = await client.app.inject({ method: "POST", url: "/api/flow_runs", payload: { flow_name: "orphan" } });
    const id = run.json().id as string;
    const running = await client.app.inject({ method: "POST", url: `/api/flow_runs/${id}/set_state`, payload: { state: { type: "RUNNING" } } });
    await client.close();
    // Its last sign of life is older than one heartbeat timeout when the next server starts.
    const lastSeen = Date.parse(running.json().state.timestamp);
    await waitFor(() => Date.now() > lastSeen + 1200, "the run to be older than one heartbeat timeout");

    const server: BatonApp = await createApp({ databaseUrl: database.url, logLevel: "silent", services: { heartbeatTimeoutSeconds: 1, loopSeconds: 0.2 }, auth: { enabled: false } });
    cleanups.push(() => server.close());
    // The server answers at once, while its first pass works in the background.
    expect((await server.app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    // Its heartbeats could not reach a server that was down: the first pass leaves it alone.
    const first = await server.app.inject({ method: "GET", url: `/api/flow_runs/${id}` });
    expect(first.json().state_type).toBe("RUNNING");
    const crashed = await waitFor(async () => {
      const read = (await server.app.inject({ method: "GET", url: `/api/flow_runs/${id}` })).json();
      return read.state_type === "CRASHED" ? read : undefined;
    }, "the orphaned run to be marked Crashed after the grace");
    expect(crashed.state.message).toContain("died or lost its connection");
    await waitFor(async () => ((await server.app.inject({ method: "GET", url: "/api/ready" })).statusCode === 200 ? true : undefined), "the server to be ready");
  });

  it("marks a SCHEDULED run Late once it is well past its scheduled time", async () => {
    const app = await open({ services: { lateAfterSeconds: 0.5, loopSeconds: 0.2, heartbeatTimeoutSeconds: 3600 } });
    const overdue = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(-1) } } });
    const future = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(3600) } } });
    const late = await waitFor(async () => {
      const read = (await app.api("GET", `/flow_runs/${overdue.id}`)).body;
      return read.state_name === "Late" ? read : undefined;
    }, "the overdue run to be marked Late");
    expect(late.state_type).toBe("SCHEDULED");
    expect(late.state.state_details.scheduled_time).toBe(overdue.state.state_details.scheduled_time);
    expect((await app.api("GET", `/flow_runs?state=Late&flow_name=etl-flow`)).body.items.map((r: { id: string }) => r.id)).toContain(overdue.id);
    expect((await app.api("GET", `/flow_runs/${future.id}`)).body.state_name).toBe("Scheduled");
    const history = (await app.api("GET", `/flow_runs/${overdue.id}/states`)).body.items.map((s: { name: string }) => s.name);
    expect(history).toEqual(["Scheduled", "Late"]);
  });
});
