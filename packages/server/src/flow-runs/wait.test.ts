import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../index.js";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";

const setState = (app: TestApp, id: string, type: string) => app.api("POST", `/flow_runs/${id}/set_state`, { state: { type } });

describe.each(DATABASE_KINDS)("waiting for a flow run's final state on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const open = async (): Promise<TestApp> => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    return app;
  };

  it("answers as the run ends, not when the wait is over", async () => {
    const app = await open();
    const run = await newFlowRun(app);
    expect((await setState(app, run.id, "RUNNING")).body.status).toBe("ACCEPT");
    const asked = Date.now();
    let answeredAt: number | undefined;
    const waiting = app.api("GET", `/flow_runs/${run.id}/wait?wait_seconds=30`).then((a) => ((answeredAt = Date.now()), a));
    await new Promise((r) => setTimeout(r, 300));
    expect(answeredAt).toBeUndefined();
    // A state that is not final does not end the wait.
    await app.api("POST", `/flow_runs/${run.id}/heartbeat`);
    const ended = Date.now();
    expect((await setState(app, run.id, "COMPLETED")).body.status).toBe("ACCEPT");
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: run.id, state_type: "COMPLETED" });
    expect(answeredAt! - ended).toBeLessThan(5_000);
    expect(answeredAt! - asked).toBeLessThan(30_000);
  });

  it("answers at once for a run that has ended, and with the run as it is when the wait is over", async () => {
    const app = await open();
    const done = await newFlowRun(app);
    await setState(app, done.id, "RUNNING");
    await setState(app, done.id, "FAILED");
    expect((await app.api("GET", `/flow_runs/${done.id}/wait`)).body.state_type).toBe("FAILED");
    const running = await newFlowRun(app);
    await setState(app, running.id, "RUNNING");
    const started = Date.now();
    const answer = await app.api("GET", `/flow_runs/${running.id}/wait?wait_seconds=0.4`);
    expect(answer.body.state_type).toBe("RUNNING");
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect((await app.api("GET", `/flow_runs/${running.id}/wait?wait_seconds=0`)).body.state_type).toBe("RUNNING");
  });

  it("refuses a run that does not exist and a wait past the limit, naming the field", async () => {
    const app = await open();
    const missing = await app.api("GET", "/flow_runs/01900000-0000-7000-8000-000000000000/wait?wait_seconds=1");
    expect(missing).toMatchObject({ status: 404, body: { code: "FlowRunNotFound" } });
    const run = await newFlowRun(app);
    const tooLong = await app.api("GET", `/flow_runs/${run.id}/wait?wait_seconds=600`);
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(tooLong.body)).toContain("wait_seconds");
  });
});

describe("waiting for a flow run's final state across replicas on postgresql", () => {
  let database: TestDatabase | undefined;
  const apps: BatonApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database?.drop();
  });

  it("answers a wait on one replica when the run ends on another", async () => {
    database = await createTestDatabase("postgresql");
    const open = async () => {
      const app = await createApp({ databaseUrl: database!.url, logLevel: "silent", services: false, auth: { enabled: false } });
      apps.push(app);
      return app;
    };
    const [a, b] = [await open(), await open()];
    const call = async (app: BatonApp, method: "GET" | "POST", url: string, payload?: object) => {
      const response = await app.app.inject({ method, url: `/api${url}`, ...(payload ? { payload } : {}) });
      return response.json();
    };
    const run = await call(a, "POST", "/flow_runs", { flow_name: "across" });
    await call(a, "POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
    // The events relay's LISTEN connection of B must be up before A commits.
    await new Promise((r) => setTimeout(r, 1_000));
    const waiting = call(b, "GET", `/flow_runs/${run.id}/wait?wait_seconds=30`);
    await new Promise((r) => setTimeout(r, 200));
    const ended = Date.now();
    await call(a, "POST", `/flow_runs/${run.id}/set_state`, { state: { type: "COMPLETED" } });
    expect(await waiting).toMatchObject({ id: run.id, state_type: "COMPLETED" });
    expect(Date.now() - ended).toBeLessThan(10_000);
  });
});
