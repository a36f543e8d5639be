import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../app.js";
import { nothingCommitted } from "./publish.js";
import pg from "pg";
import { envelopes, SPAN_MIN } from "./replicas.js";
import { openSse } from "./sse-client.js";

describe("events across server replicas on one PostgreSQL database", () => {
  let database: TestDatabase;
  let a: BatonApp;
  let b: BatonApp;
  let baseB: string;
  const api = async (app: BatonApp, method: "GET" | "POST", url: string, payload?: unknown) => {
    const answer = await app.app.inject({ method, url: `/api${url}`, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return answer.json();
  };
  beforeAll(async () => {
    database = await createTestDatabase("postgresql");
    const options = { databaseUrl: database.url, logLevel: "silent" as const, services: false, auth: { enabled: false } };
    a = await createApp(options);
    b = await createApp(options);
    baseB = await b.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it("streams from one replica the states and log lines written through another", async () => {
    const run = await api(a, "POST", "/flow_runs", { flow_name: "replicated" });
    const sse = await openSse(`${baseB}/api/events?types=flow_run,log&flow_run_id=${run.id}`);
    try {
      await sse.waitFor((f) => f.event === "ready", "ready");
      await api(a, "POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
      const running = await sse.waitFor((f) => f.event === "flow_run" && f.data.state_type === "RUNNING", "RUNNING from replica A");
      expect(running.data).toMatchObject({ id: run.id, flow_id: run.flow_id, deployment_id: null });
      const at = Date.now();
      const lines = [0, 1, 2].map((n) => ({ flow_run_id: run.id, name: "etl", level: 20, message: `line ${n}`, timestamp: new Date(at + n).toISOString() }));
      await api(a, "POST", "/logs", lines);
      await sse.waitFor((f) => f.event === "log" && f.data.message === "line 2", "the last log line from replica A");
      expect(sse.frames.filter((f) => f.event === "log").map((f) => f.data.message)).toEqual(["line 0", "line 1", "line 2"]);
      // Written through B itself: published once, not again when its own notification comes back.
      await api(b, "POST", `/flow_runs/${run.id}/set_state`, { state: { type: "COMPLETED" } });
      await sse.waitFor((f) => f.event === "flow_run" && f.data.state_type === "COMPLETED", "COMPLETED from replica B");
      await api(a, "POST", "/logs", [{ ...lines[0]!, message: "after", timestamp: new Date(at + 10).toISOString() }]);
      await sse.waitFor((f) => f.event === "log" && f.data.message === "after", "a later line");
      expect(sse.frames.filter((f) => f.event === "flow_run" && f.data.state_type === "COMPLETED")).toHaveLength(1);
    } finally {
      sse.close();
    }
  });

  it("tells a stream on one replica of task runs reported through another", async () => {
    const run = await api(a, "POST", "/flow_runs", { flow_name: "replicated-tasks" });
    const sse = await openSse(`${baseB}/api/events?types=task_runs&flow_run_id=${run.id}`);
    try {
      await sse.waitFor((f) => f.event === "ready", "ready");
      const task = { id: uuidv7(), flow_run_id: run.id, task_key: "extract", name: "extract-0", dynamic_key: "0" };
      await api(a, "POST", "/task_runs", task);
      const changed = await sse.waitFor((f) => f.event === "task_runs", "task runs changed on replica A");
      expect(changed.data).toEqual({ flow_run_id: run.id, count: 1 });
    } finally {
      sse.close();
    }
  });

  it("streams from one replica every run a scheduler batch made on another, each with one Scheduled state", async () => {
    await api(a, "POST", "/work_pools", { name: "replicated-schedules", type: "process" });
    const sse = await openSse(`${baseB}/api/events?types=flow_run`);
    try {
      await sse.waitFor((f) => f.event === "ready", "ready");
      // An unpaused deployment's schedule is filled at once, in one transaction: 60 runs whose
      // Scheduled states cross to B as one range of state ids.
      const { deployment } = await api(a, "POST", "/deployments", { flow_name: "replicated-schedules", name: "every-minute", entrypoint: "flows.ts:f", work_pool_name: "replicated-schedules", enforce_parameter_schema: false, schedules: [{ interval: 60 }] });
      const runs = (await api(a, "GET", `/flow_runs?deployment_id=${deployment.id}&limit=500`)).items as { id: string }[];
      expect(runs.length).toBeGreaterThanOrEqual(SPAN_MIN);
      const seen = () => new Set(sse.frames.filter((f) => f.event === "flow_run" && f.data.deployment_id === deployment.id && f.data.state_type === "SCHEDULED").map((f) => f.data.id as string));
      await sse.waitFor(() => seen().size === runs.length, "a Scheduled event on B for every run made on A");
      expect([...seen()].sort()).toEqual(runs.map((r) => r.id).sort());
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const states = await client.query<{ n: string }>("select count(*) as n from flow_run_states s join flow_runs r on r.id = s.flow_run_id where r.deployment_id = $1 group by s.flow_run_id", [deployment.id]);
        expect(states.rows.map((r) => Number(r.n))).toEqual(runs.map(() => 1));
      } finally {
        await client.end();
      }
    } finally {
      sse.close();
    }
  });

  it("streams from one replica the heartbeats of workers received by another", async () => {
    await api(a, "POST", "/work_pools", { name: "replicated-pool", type: "process" });
    const sse = await openSse(`${baseB}/api/events?types=worker&work_pool_name=replicated-pool`);
    try {
      await sse.waitFor((f) => f.event === "ready", "ready");
      await api(a, "POST", "/work_pools/replicated-pool/workers/heartbeat", { name: "w-on-a" });
      const beat = await sse.waitFor((f) => f.event === "worker", "a heartbeat received by replica A");
      expect(beat.data).toMatchObject({ name: "w-on-a", work_pool_name: "replicated-pool", status: "ONLINE" });
    } finally {
      sse.close();
    }
  });
});

describe("the relay's NOTIFY payloads", () => {
  it("stay under PostgreSQL's 8000-byte limit and carry log spans, not log text", () => {
    const states = Array.from({ length: 300 }, (_, i) => ({ flow_run_id: `0190a5a2-0000-7000-8000-${String(i).padStart(12, "0")}`, type: "SCHEDULED", name: "Scheduled", timestamp: "2026-01-01T00:00:00.000Z" }));
    const logs = ["b", "a", "c"].map((m, i) => ({ id: `l${i}`, flow_run_id: "run-1", task_run_id: null, name: "x", level: 20, message: m.repeat(10_000), timestamp: `2026-01-01T00:00:0${[5, 1, 9][i]}.000Z` }));
    const payloads = envelopes("me", { ...nothingCommitted(), states, logs });
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(payload.length).toBeLessThanOrEqual(7000);
    const parsed = payloads.map((p) => JSON.parse(p));
    expect(parsed.flatMap((p) => p.s)).toHaveLength(300);
    expect(parsed.flatMap((p) => p.l)).toEqual([{ flow_run_id: "run-1", from: "2026-01-01T00:00:01.000Z", to: "2026-01-01T00:00:09.000Z" }]);
    expect(payloads.join("")).not.toContain("aaaa");
  });

  it("tell alike states of runs with one state in the commit as a range of ids, and the rest one by one", () => {
    const id = (i: number) => `0190a5a2-0000-7000-8000-${String(i).padStart(12, "0")}`;
    const scheduled = Array.from({ length: 300 }, (_, i) => ({ flow_run_id: id(i), state_id: id(1000 + i), type: "SCHEDULED", name: "Scheduled", timestamp: "2026-01-01T00:00:00.000Z" }));
    // A run with two states in the commit, and a few alike states: told one by one, in order.
    const twice = [
      { flow_run_id: id(999), state_id: id(2000), type: "SCHEDULED", name: "Scheduled", timestamp: "2026-01-01T00:00:00.000Z" },
      { flow_run_id: id(999), state_id: id(2001), type: "PENDING", name: "Pending", timestamp: "2026-01-01T00:00:00.000Z" },
    ];
    const few = Array.from({ length: SPAN_MIN - 1 }, (_, i) => ({ flow_run_id: id(500 + i), state_id: id(3000 + i), type: "RUNNING", name: "Running", timestamp: "2026-01-01T00:00:01.000Z" }));
    const parsed = envelopes("me", { ...nothingCommitted(), states: [...scheduled, ...twice, ...few] }).map((p) => JSON.parse(p));
    expect(parsed).toHaveLength(1);
    expect(parsed[0].g).toEqual([{ type: "SCHEDULED", name: "Scheduled", timestamp: "2026-01-01T00:00:00.000Z", from: id(1000), to: id(1299) }]);
    expect(parsed[0].s).toEqual([...twice, ...few]);
  });
});
