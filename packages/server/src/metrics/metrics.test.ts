import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../../../test/helpers/databases.js";
import { sampleValue, scrape } from "../../../../test/helpers/prometheus.js";
import { waitFor } from "../../../../test/helpers/cli.js";
import { startServer, type RunningServer } from "../server.js";
import { openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool } from "../../test/dispatch-helpers.js";
import { listenMetrics, type MetricsListener } from "./listener.js";

const TOKEN = "scrape-token-0123456789";

async function call(server: RunningServer, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${server.url}/api${path}`, { method, ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

describe.each(DATABASE_KINDS)("server metrics on their own port (%s)", (kind) => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await database?.drop();
    server = undefined;
    database = undefined;
  });

  it("needs the token, and its numbers follow runs from scheduled to claimed to running and late", async () => {
    database = await createTestDatabase(kind);
    server = await startServer({ databaseUrl: database.url, port: 0, logLevel: "silent", auth: { enabled: false }, servicesLoopSeconds: 0.2, lateAfterSeconds: 1, metrics: { port: 0, token: TOKEN } });
    const metrics = `${server.metricsUrl}/metrics`;
    expect((await fetch(metrics)).status).toBe(401);
    expect((await fetch(metrics, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
    expect((await fetch(`${server.metricsUrl}/other`)).status).toBe(404);
    // The API port does not serve them (its /metrics is the UI's page): they are not for whoever reaches the API.
    expect(await (await fetch(`${server.url}/metrics`)).text()).not.toContain("# HELP");

    await call(server, "POST", "/work_pools", { name: "p1", type: "process" });
    const deployment = (await call(server, "POST", "/deployments", { flow_name: "etl", name: "prod", entrypoint: "flows/etl.ts:etl", work_pool_name: "p1" })).deployment;
    let text = await scrape(metrics, TOKEN);
    expect(sampleValue(text, "baton_work_queue_depth", { pool: "p1", queue: "default" })).toBe(0);

    const run = await call(server, "POST", `/deployments/${deployment.id}/runs`, {});
    text = await scrape(metrics, TOKEN);
    expect(sampleValue(text, "baton_work_queue_depth", { pool: "p1", queue: "default" })).toBe(1);
    expect(sampleValue(text, "baton_flow_runs", { state: "SCHEDULED", pool: "p1" })).toBe(1);
    expect(sampleValue(text, "baton_flow_run_claim_wait_seconds_count", { pool: "p1" })).toBeUndefined();

    const claimed = await call(server, "POST", "/work_pools/p1/claim", { worker_name: "w1" });
    expect(claimed.flow_runs).toHaveLength(1);
    text = await scrape(metrics, TOKEN);
    expect(sampleValue(text, "baton_work_queue_depth", { pool: "p1", queue: "default" })).toBe(0);
    expect(sampleValue(text, "baton_flow_runs", { state: "PENDING", pool: "p1" })).toBe(1);
    expect(sampleValue(text, "baton_flow_runs", { state: "SCHEDULED", pool: "p1" })).toBeUndefined();
    expect(sampleValue(text, "baton_flow_run_claim_wait_seconds_count", { pool: "p1" })).toBe(1);
    expect(sampleValue(text, "baton_api_request_duration_seconds_count", { method: "POST", route: "/api/work_pools/:name/claim", status_code: "200" })).toBe(1);

    await call(server, "POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
    text = await scrape(metrics, TOKEN);
    expect(sampleValue(text, "baton_flow_runs", { state: "RUNNING", pool: "p1" })).toBe(1);
    expect(sampleValue(text, "baton_flow_run_start_delay_seconds_count", { pool: "p1" })).toBe(1);
    expect(sampleValue(text, "baton_db_pool_connections", { state: "total" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "baton_db_pool_connections", { state: "max" })).toBe(kind === "sqlite" ? 1 : 10);

    // A run due two minutes ago that nobody claims becomes Late.
    await call(server, "POST", `/deployments/${deployment.id}/runs`, { scheduled_time: new Date(Date.now() - 120_000).toISOString() });
    await waitFor(async () => sampleValue(await scrape(metrics, TOKEN), "baton_flow_runs_late", { pool: "p1" }) === 1 || undefined, "the late run in the metrics");
    text = await scrape(metrics, TOKEN);
    expect(sampleValue(text, "baton_work_queue_depth", { pool: "p1", queue: "default" })).toBe(1);
    expect(sampleValue(text, "baton_scheduler_lag_seconds")).toBe(0);
  });
});

describe.each(DATABASE_KINDS)("scheduler lag (%s)", (kind) => {
  let app: TestApp | undefined;
  let listener: MetricsListener | undefined;
  afterEach(async () => {
    await listener?.close();
    await app?.cleanup();
  });

  it("is how long the most overdue schedule has waited for a scheduler pass", async () => {
    // No services: nothing fills the schedule, as when the scheduler is stuck or down.
    app = await openTestApp(kind);
    listener = await listenMetrics(app.metrics, { host: "127.0.0.1", port: 0 });
    await newPool(app, "p1");
    await deploy(app, { work_pool_name: "p1", schedules: [{ interval: 3600 }] });
    expect(sampleValue(await scrape(`${listener.url}/metrics`), "baton_scheduler_lag_seconds")).toBe(0);
    const tenMinutesAgo = new Date(Date.now() - 600_000).toISOString();
    await app.db.db.updateTable("deployment_schedules").set({ fill_due: tenMinutesAgo }).execute();
    const lag = sampleValue(await scrape(`${listener.url}/metrics`), "baton_scheduler_lag_seconds")!;
    expect(lag).toBeGreaterThanOrEqual(600);
    expect(lag).toBeLessThan(660);
  });
});
