import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_BASE_JOB_TEMPLATE, defaultBaseJobTemplate } from "@baton/core";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { newPool } from "../../test/dispatch-helpers.js";
import { waitFor } from "../../../../test/helpers/cli.js";

const dockerTemplate = {
  job_configuration: { image: "{{ image }}", env: "{{ env }}", command: "{{ command }}" },
  variables: { properties: { image: { type: "string", default: "node:20" }, env: { type: "object", default: {} }, command: { type: "string" }, unused: { type: "string" } } },
};

const DEFAULT_TEMPLATES: Record<string, unknown> = { docker: defaultBaseJobTemplate("docker"), kubernetes: defaultBaseJobTemplate("kubernetes") };

describe.each(DATABASE_KINDS)("work pools on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("creates a process pool with the type's default template and a default queue", async () => {
    const created = await app.api("POST", "/work_pools", { name: "proc", type: "process", description: "local" });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toEqual([]);
    expect(created.body.work_pool).toMatchObject({ name: "proc", type: "process", paused: false, status: "NOT_READY", default_queue_name: "default", concurrency_limit: null });
    expect(created.body.work_pool.base_job_template).toEqual(PROCESS_BASE_JOB_TEMPLATE);
    const queues = await app.api("GET", "/work_pools/proc/queues");
    expect(queues.body.items).toEqual([expect.objectContaining({ name: "default", priority: 1, paused: false, work_pool_name: "proc" })]);
    expect((await app.api("GET", "/work_pools/proc")).body).toEqual(created.body.work_pool);
    const again = await app.api("POST", "/work_pools", { name: "proc", type: "process" });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('"proc" exists already');
  });

  it("starts docker and kubernetes pools from their type's default template, or takes the one given", async () => {
    for (const type of ["docker", "kubernetes"]) {
      const answer = await app.api("POST", "/work_pools", { name: `default-${type}`, type });
      expect(answer.status).toBe(201);
      expect(answer.body.work_pool.base_job_template).toEqual(DEFAULT_TEMPLATES[type]);
    }
    const withTemplate = await app.api("POST", "/work_pools", { name: "dock", type: "docker", base_job_template: dockerTemplate });
    expect(withTemplate.status).toBe(201);
    expect(withTemplate.body.work_pool.base_job_template).toMatchObject(dockerTemplate);
    expect(withTemplate.body.warnings).toEqual([{ path: "base_job_template.variables.properties.unused", message: expect.stringContaining("never uses it") }]);
  });

  it("rejects a template whose placeholders name no variable, listing each, and writes nothing", async () => {
    const bad = { job_configuration: { image: "{{ imagee }}", cmd: "{{ commnd }}" }, variables: { properties: { image: { type: "string" }, command: { type: "string" } } } };
    const answer = await app.api("POST", "/work_pools", { name: "badtpl", type: "docker", base_job_template: bad });
    expect(answer.status).toBe(422);
    expect(answer.body.issues.map((i: { path: string }) => i.path)).toEqual(["body.base_job_template.job_configuration.image", "body.base_job_template.job_configuration.cmd"]);
    expect(answer.body.message).toContain("imagee");
    expect((await app.api("GET", "/work_pools/badtpl")).status).toBe(404);
    const update = await app.api("PATCH", "/work_pools/proc", { base_job_template: bad });
    expect(update.status).toBe(422);
  });

  it("rejects a variables schema that cannot check job variable values", async () => {
    const bad = { job_configuration: { image: "{{ image }}" }, variables: { properties: { image: { type: "text" } } } };
    const answer = await app.api("POST", "/work_pools", { name: "uncheckable", type: "docker", base_job_template: bad });
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toEqual([{ path: "body.base_job_template.variables", message: expect.stringMatching(/not a usable JSON Schema .*job variable values are checked against it/) }]);
    expect((await app.api("GET", "/work_pools/uncheckable")).status).toBe(404);
  });

  it("names the field of a bad body and the pool that does not exist", async () => {
    const bad = await app.api("POST", "/work_pools", { name: "has space", type: "lambda" });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(["body.name", "body.type"]);
    const missing = await app.api("GET", "/work_pools/nope");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("baton work-pool create nope --type process");
    expect((await app.api("PATCH", "/work_pools/nope", { paused: true })).status).toBe(404);
    expect((await app.api("DELETE", "/work_pools/nope")).status).toBe(404);
  });

  it("pauses and resumes through PATCH, and is READY while a worker heartbeats", async () => {
    await newPool(app, "status");
    const paused = await app.api("PATCH", "/work_pools/status", { paused: true, concurrency_limit: 3 });
    expect(paused.body.work_pool).toMatchObject({ paused: true, status: "PAUSED", concurrency_limit: 3 });
    await app.api("PATCH", "/work_pools/status", { paused: false });
    expect((await app.api("GET", "/work_pools/status")).body.status).toBe("NOT_READY");
    // A worker beating every 30 s: the pool is READY (no busy machine misses that interval).
    expect((await app.api("POST", "/work_pools/status/workers/heartbeat", { name: "w-1", heartbeat_interval_seconds: 30 })).status).toBe(200);
    expect((await app.api("GET", "/work_pools/status")).body.status).toBe("READY");
    // Then it announces 0.5 s beats and falls silent.
    const beat = await app.api("POST", "/work_pools/status/workers/heartbeat", { name: "w-1", heartbeat_interval_seconds: 0.5 });
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({ name: "w-1", status: "ONLINE", work_pool_name: "status" });
    // Three missed intervals (1.5 s) and the worker is offline, the pool not ready.
    await waitFor(async () => {
      const workers = (await app.api("GET", "/work_pools/status/workers")).body.items as Array<{ name: string; status: string }>;
      return workers.some((w) => w.name === "w-1" && w.status === "OFFLINE") || undefined;
    }, "the silent worker to go offline");
    expect((await app.api("GET", "/work_pools/status/workers")).body.items).toEqual([expect.objectContaining({ name: "w-1", status: "OFFLINE" })]);
    expect((await app.api("GET", "/work_pools/status")).body.status).toBe("NOT_READY");
    await app.api("POST", "/work_pools/status/workers/heartbeat", { name: "w-1", heartbeat_interval_seconds: 30 });
    expect((await app.api("GET", "/work_pools/status/workers")).body.items).toEqual([expect.objectContaining({ name: "w-1", status: "ONLINE", heartbeat_interval_seconds: 30 })]);
    expect((await app.api("POST", "/work_pools/nope/workers/heartbeat", { name: "w" })).status).toBe(404);
  });

  it("manages queues: create, list by priority, update, delete (not the default one)", async () => {
    await newPool(app, "queues");
    const high = await app.api("POST", "/work_pools/queues/queues", { name: "high", priority: 1, concurrency_limit: 2 });
    expect(high.status).toBe(201);
    await app.api("PATCH", "/work_pools/queues/queues/default", { priority: 5 });
    expect((await app.api("POST", "/work_pools/queues/queues", { name: "high" })).status).toBe(409);
    const list = await app.api("GET", "/work_pools/queues/queues");
    expect(list.body.items.map((q: { name: string; priority: number }) => [q.name, q.priority])).toEqual([["high", 1], ["default", 5]]);
    const paused = await app.api("PATCH", "/work_pools/queues/queues/high", { paused: true });
    expect(paused.body).toMatchObject({ name: "high", paused: true, concurrency_limit: 2 });
    const missing = await app.api("PATCH", "/work_pools/queues/queues/low", { paused: true });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("its queues: high, default");
    expect((await app.api("DELETE", "/work_pools/queues/queues/default")).status).toBe(409);
    expect((await app.api("DELETE", "/work_pools/queues/queues/high")).status).toBe(204);
    expect((await app.api("GET", "/work_pools/queues/queues")).body.items.map((q: { name: string }) => q.name)).toEqual(["default"]);
  });

  it("lists pools by name and deletes one with its queues", async () => {
    await newPool(app, "zz-delete-me");
    const page = await app.api("GET", "/work_pools?limit=500");
    const names = page.body.items.map((p: { name: string }) => p.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain("zz-delete-me");
    expect((await app.api("DELETE", "/work_pools/zz-delete-me")).status).toBe(204);
    expect((await app.api("GET", "/work_pools/zz-delete-me/queues")).status).toBe(404);
  });
});
