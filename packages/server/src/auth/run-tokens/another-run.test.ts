import { randomUUID } from "node:crypto";
import { fillPath, routes, type RouteDef, type RouteName } from "@baton/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../../test/harness.js";
import { ensureBootstrapKey } from "../bootstrap.js";
import { bearer } from "../test-keys.js";
import { RUN_TOKEN_SCOPE } from "./allowed-routes.js";

type Method = RouteDef["method"];

/**
 * Routes a run token may call whatever it targets: they name no run (see RUN_TOKEN_SCOPE). A
 * deployment read by name is how runDeployment in flow code finds what to start: any deployment
 * the claiming key's limits allow (deployment-scope.ts), as that key could read it.
 */
const UNTARGETED: ReadonlySet<RouteName> = new Set(["health", "ready", "version", "whoAmI", "createFlow", "readVariable", "readConcurrencyLimit", "renewConcurrencyLease", "releaseConcurrencyLease", "readDeploymentByName"]);

/**
 * The route x credential table's last column (issue 11 part E): every route of the table, and the
 * events stream, called with the run token of one run and aimed at another run, its task run, its
 * log lines and its deployment. The list is the route table itself, so a route added later is
 * walked without anybody listing it: it must refuse, answer nothing of the other run, and change
 * nothing.
 */
describe.each(DATABASE_KINDS)("a run token aimed at another run, on every route, on %s", (kind) => {
  let app: TestApp;
  let admin: string;
  let token: string;
  const own = { run: "", deployment: "" };
  const other = { run: "", taskRun: "", artifact: "", deployment: "", flow: "", log: `other-run-line-${randomUUID()}`, secret: `other-secret-${randomUUID()}` };

  const call = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await app.app.inject({ method, url: `/api${url}`, headers: bearer(key), ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: answer.statusCode, text: answer.body, body: answer.body.length > 0 && answer.headers["content-type"]?.toString().includes("json") ? answer.json() : null };
  };
  const ok = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await call(method, url, key, payload);
    expect(answer.status, `${method} ${url}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    app = await openTestApp(kind, { auth: { enabled: true } });
    admin = (await ensureBootstrapKey(app.db, undefined))!.key;
    const worker = (await ok("POST", "/api_keys", admin, { name: "w", role: "worker" })).key;
    await ok("POST", "/work_pools", admin, { name: "p", type: "process" });
    own.deployment = (await ok("POST", "/deployments", admin, { flow_name: "own-flow", name: "dep", entrypoint: "f.ts:f", work_pool_name: "p" })).deployment.id;
    const theirs = (await ok("POST", "/deployments", admin, { flow_name: "other-flow", name: "dep", entrypoint: "f.ts:f", work_pool_name: "p" })).deployment;
    other.deployment = theirs.id;
    other.flow = theirs.flow_id;
    own.run = (await ok("POST", `/deployments/${own.deployment}/runs`, admin, {})).id;
    other.run = (await ok("POST", `/deployments/${other.deployment}/runs`, admin, {})).id;
    // Both claimed by the same worker: the token of one is no key to the other.
    await ok("POST", "/work_pools/p/claim", worker, { worker_name: "w", limit: 10 });
    token = (await ok("POST", `/flow_runs/${own.run}/token`, worker)).token;
    await ok("POST", `/flow_runs/${other.run}/set_state`, admin, { state: { type: "RUNNING" } });
    other.taskRun = randomUUID();
    await ok("POST", "/task_runs", admin, { id: other.taskRun, flow_run_id: other.run, task_key: "t", name: "t-0", dynamic_key: "0" });
    await ok("POST", "/logs", admin, [{ flow_run_id: other.run, level: 20, message: other.log, timestamp: now() }]);
    other.artifact = (await ok("POST", "/artifacts", admin, { type: "progress", data: 1, flow_run_id: other.run })).id;
    // A secret for the other run's deployment only.
    await ok("PUT", "/secrets/other-only", admin, { value: other.secret, deployments: ["other-flow/dep"] });
  }, 120_000);
  afterAll(async () => app?.cleanup());

  /** The route aimed at the other run: its ids in the path, in the query and in the body. */
  function aimAtOther(name: string, route: RouteDef): { url: string; payload?: unknown } {
    const byPath = route.path.startsWith("/flow_runs") ? other.run : route.path.startsWith("/artifacts") ? other.artifact : route.path.startsWith("/task_runs") ? other.taskRun : route.path.startsWith("/flows") ? other.flow : other.deployment;
    const params: Record<string, string> = { id: byPath, name: route.path.startsWith("/deployments/name") ? "dep" : route.path.startsWith("/secrets") ? "other-only" : "p", flow: "other-flow", queue: "default", owner: other.run, key: "t-0-abc", schedule_id: randomUUID() };
    const queries: Record<string, string> = {
      listLogs: `flow_run_id=${other.run}`,
      listTaskRuns: `flow_run_id=${other.run}`,
      listFlowRuns: "limit=200",
      deploymentSummaries: `ids=${other.deployment}`,
      flowRunStats: `since=${new Date(Date.now() - 86_400_000).toISOString()}`,
    };
    const url = fillPath(route.path, params) + (queries[name] ? `?${queries[name]}` : "");
    if (route.method === "GET" || route.method === "DELETE") return { url };
    const bodies: Record<string, unknown> = {
      claimFlowRuns: { worker_name: "rogue", limit: 10 },
      setFlowRunState: { state: { type: "CANCELLED" }, force: true },
      setTaskRunState: { state: { type: "COMPLETED" } },
      createLogs: [{ flow_run_id: other.run, level: 20, message: "written with another run's token", timestamp: now() }],
      createTaskRun: { id: randomUUID(), flow_run_id: other.run, task_key: "t", name: "t-1", dynamic_key: "1" },
      createFlowRun: { flow_name: "rogue", parent_flow_run_id: other.run, parent_task_run_id: other.taskRun },
      reportRun: { logs: [{ flow_run_id: other.run, level: 20, message: "reported with another run's token", timestamp: now() }] },
      acquireConcurrencySlots: { names: ["x"], slots: 1, flow_run_id: other.run },
      upsertDeployment: { flow_name: "other-flow", name: "dep", entrypoint: "evil.ts:f", work_pool_name: "p" },
      workerHeartbeat: { name: "rogue" },
      createArtifact: { type: "markdown", data: "written with another run's token", flow_run_id: other.run },
      updateArtifact: { data: 99 },
      writeResult: { content_base64: Buffer.from("theirs").toString("base64") },
      resumeFlowRun: { input: {} },
    };
    return { url, payload: bodies[name] ?? {} };
  }

  // GETs first: a write that wrongly went through must not hide what the reads would leak.
  const table = Object.entries(routes as Record<string, RouteDef>).sort(([, a], [, b]) => Number(a.method !== "GET") - Number(b.method !== "GET"));

  it("no route answers with, or acts on, the other run; each one that targets it refuses (403)", async () => {
    // The token works, on its own run: what follows is refused for its target, not for the token.
    expect((await ok("GET", `/flow_runs/${own.run}`, token)).id).toBe(own.run);
    const walked: string[] = [];
    for (const [name, route] of table) {
      const { url, payload } = aimAtOther(name, route);
      const answer = await call(route.method, url, token, payload);
      walked.push(`${name} ${answer.status}`);
      for (const marker of [other.run, other.taskRun, other.log, other.secret]) expect(answer.text, `${name} ${route.method} ${url} answered ${answer.status} with ${marker}`).not.toContain(marker);
      if (UNTARGETED.has(name as RouteName)) continue;
      // A route a run may use checks the target: 403. Any other is refused too (its body may be refused as malformed first).
      if (Object.hasOwn(RUN_TOKEN_SCOPE, name)) expect(answer.status, `${name} ${route.method} ${url}: ${answer.text}`).toBe(403);
      else expect(answer.status, `${name} ${route.method} ${url}: ${answer.text}`).toBeGreaterThanOrEqual(400);
    }
    expect(walked).toHaveLength(Object.keys(routes).length);
    // Nothing was changed through any of them.
    const run = await ok("GET", `/flow_runs/${other.run}`, admin);
    expect(run.state_type).toBe("RUNNING");
    const logs = await ok("GET", `/logs?flow_run_id=${other.run}`, admin);
    expect(logs.items.map((l: { message: string }) => l.message)).toEqual([other.log]);
    const taskRun = await ok("GET", `/task_runs/${other.taskRun}`, admin);
    expect(taskRun.state_type).not.toBe("COMPLETED");
    expect((await ok("GET", `/artifacts/${other.artifact}`, admin)).data).toBe(1);
  });

  it("the events stream refuses it (403)", async () => {
    const address = await app.app.listen({ port: 0, host: "127.0.0.1" });
    for (const query of [`types=log&flow_run_id=${other.run}`, "types=flow_run"]) {
      const answer = await fetch(`${address}/api/events?${query}`, { headers: bearer(token) });
      expect(answer.status, query).toBe(403);
      await answer.body?.cancel();
    }
  });
});
