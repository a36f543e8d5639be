import { randomUUID } from "node:crypto";
import { fillPath, routes, type RouteDef } from "@baton/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openAuthTestApp, type AuthTestApp } from "../../test/harness.js";
import { KEY_LIMIT_RULES } from "./key-limit-rules.js";
import { bearer } from "./test-keys.js";

type Method = RouteDef["method"];

/**
 * Every route of the table, and the events stream, called with keys limited to a pool or a
 * deployment, aimed at a run, task run, log line, deployment, pool and worker outside those limits
 * (issue 11 item 8). The route list is the table itself: a route added to @baton/core is called
 * here without anybody listing it, and must neither answer with something outside the key's
 * limits nor act on it.
 */
describe.each(DATABASE_KINDS)("keys limited to pools or deployments, on every route, on %s", (kind) => {
  let app: AuthTestApp;
  let admin: string;
  const limited: Record<string, string> = {};
  const hidden = { run: "", taskRun: "", deployment: "", flow: "", artifact: "", log: `hidden-log-line-${randomUUID()}`, worker: `hidden-worker-${randomUUID().slice(0, 8)}` };
  const own = { run: "", taskRun: "", deployment: "" };

  const call = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await app.app.inject({ method, url: `/api${url}`, headers: bearer(key), ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: answer.statusCode, text: answer.body, body: answer.body.length > 0 && answer.headers["content-type"]?.toString().includes("json") ? answer.json() : null };
  };
  const ok = async (method: Method, url: string, payload?: unknown) => {
    const answer = await call(method, url, admin, payload);
    expect(answer.status, `${method} ${url}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };
  const now = () => new Date().toISOString();

  /** A running run of a deployment, with a task run and a log line. */
  async function runOf(deploymentId: string, pool: string, line: string): Promise<{ run: string; taskRun: string }> {
    const run = (await ok("POST", `/deployments/${deploymentId}/runs`, {})).id as string;
    await ok("POST", `/work_pools/${pool}/claim`, { worker_name: "w", limit: 10 });
    await ok("POST", `/flow_runs/${run}/set_state`, { state: { type: "RUNNING" } });
    const taskRun = randomUUID();
    await ok("POST", "/task_runs", { id: taskRun, flow_run_id: run, task_key: "t", name: "t-0", dynamic_key: "0" });
    await ok("POST", "/logs", [{ flow_run_id: run, level: 20, message: line, timestamp: now() }]);
    return { run, taskRun };
  }

  beforeAll(async () => {
    app = await openAuthTestApp(kind);
    admin = app.adminKey;
    for (const pool of ["mine", "theirs"]) await ok("POST", "/work_pools", { name: pool, type: "process" });
    own.deployment = (await ok("POST", "/deployments", { flow_name: "own-flow", name: "dep", entrypoint: "f.ts:f", work_pool_name: "mine" })).deployment.id;
    const theirs = (await ok("POST", "/deployments", { flow_name: "hidden-flow", name: "dep", entrypoint: "f.ts:f", work_pool_name: "theirs" })).deployment;
    hidden.deployment = theirs.id;
    hidden.flow = theirs.flow_id;
    Object.assign(own, await runOf(own.deployment, "mine", "own line"));
    Object.assign(hidden, await runOf(hidden.deployment, "theirs", hidden.log));
    await ok("POST", "/work_pools/theirs/workers/heartbeat", { name: hidden.worker });
    hidden.artifact = (await ok("POST", "/artifacts", { type: "markdown", data: hidden.log, flow_run_id: hidden.run })).id;
    // Two shapes of limit, with a role that reads, deploys and runs.
    limited.pool = (await ok("POST", "/api_keys", { name: "pool-limited", role: "deployer", work_pools: ["mine"] })).key;
    limited.deployment = (await ok("POST", "/api_keys", { name: "deployment-limited", role: "deployer", deployments: ["own-flow/dep"] })).key;
  }, 120_000);
  afterAll(async () => app?.cleanup());

  /**
   * What an answer must not contain: the hidden objects' ids, the hidden log line, and for a key
   * limited to pools the hidden pool's worker (a key limited to deployments only is not limited in
   * pools: each dimension applies only when the key has it).
   */
  const markers = (which: string) => [hidden.run, hidden.taskRun, hidden.deployment, hidden.log, ...(which === "pool" ? [hidden.worker] : [])];

  /** The route aimed at the hidden objects: path parameters, and the query a list or stream needs to name them. */
  function aimAtHidden(name: string, route: RouteDef): { url: string; payload?: unknown } {
    const byPath = route.path.startsWith("/artifacts") ? hidden.artifact : route.path.startsWith("/flow_runs") ? hidden.run : route.path.startsWith("/task_runs") ? hidden.taskRun : route.path.startsWith("/flows") ? hidden.flow : hidden.deployment;
    const params: Record<string, string> = {
      id: byPath,
      name: route.path.startsWith("/work_pools") ? "theirs" : route.path.startsWith("/deployments/name") ? "dep" : "x",
      flow: "hidden-flow",
      queue: "default",
      owner: hidden.run,
      key: "t-0-abc",
      schedule_id: randomUUID(),
    };
    const queries: Record<string, string> = {
      listLogs: `flow_run_id=${hidden.run}`,
      deploymentSummaries: `ids=${hidden.deployment}`,
      flowRunStats: `since=${new Date(Date.now() - 86_400_000).toISOString()}`,
      listFlowRuns: "limit=200",
      listTaskRuns: "limit=200",
    };
    const url = fillPath(route.path, params) + (queries[name] ? `?${queries[name]}` : "");
    if (route.method === "GET" || route.method === "DELETE") return { url };
    const bodies: Record<string, unknown> = {
      claimFlowRuns: { worker_name: "rogue", limit: 10 },
      setFlowRunState: { state: { type: "CANCELLED" }, force: true },
      setTaskRunState: { state: { type: "COMPLETED" } },
      createLogs: [{ flow_run_id: hidden.run, level: 20, message: "written by a limited key", timestamp: now() }],
      createTaskRun: { id: randomUUID(), flow_run_id: hidden.run, task_key: "t", name: "t-1", dynamic_key: "1" },
      reportRun: { logs: [{ flow_run_id: hidden.run, level: 20, message: "reported by a limited key", timestamp: now() }] },
      upsertDeployment: { flow_name: "hidden-flow", name: "dep", entrypoint: "evil.ts:f", work_pool_name: "theirs" },
      runDeployment: {},
      setDeploymentTriggers: { triggers: [] },
      createDeploymentSchedule: { interval: 3600 },
      updateDeploymentSchedule: { active: false },
      createArtifact: { type: "markdown", data: "written by a limited key", flow_run_id: hidden.run },
      updateArtifact: { data: "changed by a limited key" },
      writeResult: { content_base64: "AA==" },
      workerHeartbeat: { name: "rogue" },
    };
    return { url, payload: bodies[name] ?? {} };
  }

  // GETs first: a write that wrongly went through must not hide what the reads would leak.
  const table = Object.entries(routes as Record<string, RouteDef>).sort(([, a], [, b]) => Number(a.method !== "GET") - Number(b.method !== "GET"));

  it("every route has a rule for limited keys (the events stream too)", () => {
    for (const name of [...Object.keys(routes), "events"]) expect(KEY_LIMIT_RULES, name).toHaveProperty(name);
  });

  it.each(["pool", "deployment"])("a key limited to a %s: no route answers with, or acts on, what is outside its limits", async (which) => {
    const key = limited[which]!;
    for (const [name, route] of table) {
      const { url, payload } = aimAtHidden(name, route);
      const answer = await call(route.method, url, key, payload);
      if (answer.status < 300) for (const marker of markers(which)) expect(answer.text, `${name} ${route.method} ${url} answered ${answer.status} with ${marker}`).not.toContain(marker);
      // A route that names a hidden object in its path refuses; no write reaches one.
      const rule = KEY_LIMIT_RULES[name as keyof typeof KEY_LIMIT_RULES];
      const poolOnly = route.path.startsWith("/work_pools/:name");
      if (rule === "target" && route.path.includes(":") && route.permission !== "admin" && route.permission !== "work" && !(poolOnly && which === "deployment")) {
        expect(answer.status, `${name} ${route.method} ${url}: ${answer.text}`).toBe(403);
      }
    }
    // Nothing was changed through any of them.
    const run = await ok("GET", `/flow_runs/${hidden.run}`);
    expect(run.state_type).toBe("RUNNING");
    const logs = await ok("GET", `/logs?flow_run_id=${hidden.run}`);
    expect(logs.items.map((l: { message: string }) => l.message)).toEqual([hidden.log]);
  });

  it("lists keep what the key may see, and refuse summaries and stats of what it may not", async () => {
    for (const key of Object.values(limited)) {
      const runs = await call("GET", "/flow_runs?limit=200", key);
      expect(runs.body.items.map((r: { id: string }) => r.id)).toEqual([own.run]);
      const taskRuns = await call("GET", "/task_runs?limit=200", key);
      expect(taskRuns.body.items.map((t: { id: string }) => t.id)).toEqual([own.taskRun]);
      expect((await call("GET", `/deployments/summaries?ids=${own.deployment}`, key)).status).toBe(200);
      const both = await call("GET", `/deployments/summaries?ids=${own.deployment},${hidden.deployment}`, key);
      expect(both.status).toBe(403);
      expect(both.body.message).toContain("hidden-flow/dep");
      const since = new Date(Date.now() - 86_400_000).toISOString();
      expect((await call("GET", `/stats/flow_runs?since=${since}`, key)).status).toBe(403);
      expect((await call("GET", `/stats/flow_runs?since=${since}&deployment_id=${own.deployment}`, key)).status).toBe(200);
    }
  });

  it("the events history lists a limited key only the runs it may see, in full pages, and refuses naming a hidden pool or deployment", async () => {
    // A run of no deployment and no pool belongs to neither: a limited key sees it, as on the stream.
    const script = (await ok("POST", "/flow_runs", { flow_name: "script-flow" })).id as string;
    // The hidden run changes state last: the newest events are the hidden run's.
    await ok("POST", `/flow_runs/${hidden.run}/set_state`, { state: { type: "PAUSED" } });
    await ok("POST", `/flow_runs/${hidden.run}/set_state`, { state: { type: "RUNNING" } });
    const everything = await ok("GET", "/events/history?limit=500");
    expect(everything.items[0].id).toBe(hidden.run);
    for (const [which, key] of Object.entries(limited)) {
      const all = await call("GET", "/events/history?limit=500", key);
      expect(all.status, all.text).toBe(200);
      expect(new Set(all.body.items.map((e: { id: string }) => e.id)), which).toEqual(new Set([own.run, script]));
      for (const marker of markers(which)) expect(all.text).not.toContain(marker);
      // The key's condition is in the query: a page of one is the key's newest event, not an empty page.
      const first = await call("GET", "/events/history?limit=1", key);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.items[0].state_id).toBe(all.body.items[0].state_id);
      expect(first.body.next_cursor).not.toBeNull();
      const named = await call("GET", `/events/history?deployment_id=${hidden.deployment}`, key);
      expect(named.status, named.text).toBe(403);
      expect((await call("GET", `/events/history?flow_run_id=${hidden.run}`, key)).status).toBe(403);
      expect((await call("GET", `/events/history?deployment_id=${own.deployment}`, key)).status).toBe(200);
    }
    expect((await call("GET", "/events/history?work_pool_name=theirs", limited.pool!)).status).toBe(403);
    expect((await call("GET", "/events/history?work_pool_name=mine", limited.pool!)).status).toBe(200);
  });

  it("the events stream sends a limited key only its own runs' and workers' events, and refuses a hidden run's log stream", async () => {
    const address = await app.app.listen({ port: 0, host: "127.0.0.1" });
    for (const [which, key] of Object.entries(limited)) {
      const refused = await fetch(`${address}/api/events?types=log&flow_run_id=${hidden.run}`, { headers: bearer(key) });
      expect(refused.status).toBe(403);
      await refused.body?.cancel();
      expect((await fetch(`${address}/api/events?deployment_id=${hidden.deployment}`, { headers: bearer(key) })).status).toBe(403);

      const controller = new AbortController();
      const stream = await fetch(`${address}/api/events?types=flow_run,worker`, { headers: bearer(key), signal: controller.signal });
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      let seen = "";
      const read = async (until: string) => {
        while (!seen.includes(until)) {
          const { value, done } = await reader.read();
          if (done) break;
          seen += new TextDecoder().decode(value);
        }
      };
      await read("event: ready");
      // The hidden run's state and worker first, then the own run's: once the own one arrived, the hidden one had its chance.
      await ok("POST", `/flow_runs/${hidden.run}/set_state`, { state: { type: "PAUSED" } });
      await ok("POST", "/work_pools/theirs/workers/heartbeat", { name: hidden.worker });
      await ok("POST", `/flow_runs/${hidden.run}/set_state`, { state: { type: "RUNNING" } });
      await ok("POST", `/flow_runs/${own.run}/set_state`, { state: { type: "PAUSED" } });
      await ok("POST", `/flow_runs/${own.run}/set_state`, { state: { type: "RUNNING" } });
      await read(`"id":"${own.run}","state_type":"RUNNING"`);
      controller.abort();
      for (const marker of markers(which)) expect(seen).not.toContain(marker);
    }
  });
});
