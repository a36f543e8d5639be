import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../app.js";
import { nothingCommitted } from "./publish.js";
import { envelopes } from "./replicas.js";
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
});
