import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkPool, WorkQueue } from "@baton/core";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

describe.each(DATABASE_KINDS)("baton work-pool and work-queue against a server on %s", (kind) => {
  let server: CliServer;
  let dir: { path: string; remove(): void };

  beforeAll(async () => {
    server = await startCliServer(kind);
    dir = tempDir("baton-templates-");
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  }, SLOW);

  it("creates, lists, inspects, updates, pauses, resumes and deletes a pool", async () => {
    const created = await server.baton(["work-pool", "create", "etl", "--type", "process", "--concurrency-limit", "4"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created work pool 'etl' (process)");
    expect(created.stderr).toContain("baton worker start --pool etl");

    const pools = await server.json<WorkPool[]>(["work-pool", "ls"]);
    expect(pools.map((p) => [p.name, p.type, p.concurrency_limit])).toEqual([["etl", "process", 4]]);
    const text = await server.baton(["work-pool", "inspect", "etl"]);
    expect(text.stdout).toMatch(/Type:\s+process/);
    expect(text.stdout).toMatch(/Queues \(1\)/);
    expect(text.stdout).toContain('"command": "{{ command }}"');

    expect((await server.baton(["work-pool", "update", "etl", "--concurrency-limit", "2"])).code).toBe(0);
    expect((await server.json<{ work_pool: WorkPool }>(["work-pool", "inspect", "etl"])).work_pool.concurrency_limit).toBe(2);
    const nothing = await server.baton(["work-pool", "update", "etl"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to update; give --base-job-template FILE, --concurrency-limit N/);

    expect((await server.baton(["work-pool", "pause", "etl"])).stdout).toContain("Work pool 'etl' paused");
    expect((await server.json<{ work_pool: WorkPool }>(["work-pool", "inspect", "etl"])).work_pool).toMatchObject({ paused: true, status: "PAUSED" });
    expect((await server.baton(["work-pool", "resume", "etl"])).stdout).toContain("Work pool 'etl' resumed");
    expect((await server.json<{ work_pool: WorkPool }>(["work-pool", "inspect", "etl"])).work_pool.paused).toBe(false);

    expect((await server.baton(["work-pool", "delete", "etl", "--yes"])).stdout).toContain("Deleted work pool 'etl'");
    expect(await server.json<WorkPool[]>(["work-pool", "ls"])).toEqual([]);
  }, SLOW);

  it("says what is wrong: a bad type, a pool that exists or does not, a template file that is not one", async () => {
    const badType = await server.baton(["work-pool", "create", "x", "--type", "lambda"]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/--type must be one of process, docker, kubernetes/);

    const missing = await server.baton(["work-pool", "inspect", "ghost"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/WorkPoolNotFound: no work pool "ghost"; .*baton work-pool create ghost --type process/);

    expect((await server.baton(["work-pool", "create", "twice", "--type", "process"])).code).toBe(0);
    const again = await server.baton(["work-pool", "create", "twice", "--type", "process"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/twice/);

    writeFileSync(join(dir.path, "not-json.json"), "{ job_configuration: ");
    const notJson = await server.baton(["work-pool", "create", "t1", "--type", "process", "--base-job-template", join(dir.path, "not-json.json")]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/not-json\.json is not valid JSON/);
    const absent = await server.baton(["work-pool", "create", "t1", "--type", "process", "--base-job-template", join(dir.path, "absent.json")]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/cannot read .*absent\.json \(ENOENT\); start from baton work-pool default-template/);
  }, SLOW);

  it("prints the default template, and the server's warnings and errors about a template", async () => {
    const printed = await server.baton(["work-pool", "default-template", "--type", "process"]);
    expect(printed.code, printed.stderr).toBe(0);
    const template = JSON.parse(printed.stdout) as { job_configuration: Record<string, unknown>; variables: { properties: Record<string, unknown> } };
    expect(template.job_configuration.command).toBe("{{ command }}");

    template.variables.properties.region = { type: "string", default: "eu" };
    writeFileSync(join(dir.path, "unused.json"), JSON.stringify(template));
    const unused = await server.baton(["work-pool", "create", "with-unused", "--type", "process", "--base-job-template", join(dir.path, "unused.json")]);
    expect(unused.code, unused.stderr).toBe(0);
    expect(unused.stderr).toMatch(/Warning: base_job_template\.variables\.properties\.region: variable "region" is declared but job_configuration never uses it/);

    template.job_configuration.labels = "{{ team }}";
    writeFileSync(join(dir.path, "unknown.json"), JSON.stringify(template));
    const unknown = await server.baton(["work-pool", "update", "with-unused", "--base-job-template", join(dir.path, "unknown.json")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/\{\{ team \}\} names no variable/);
  }, SLOW);

  it("manages a pool's queues with priorities and limits", async () => {
    expect((await server.baton(["work-pool", "create", "queued", "--type", "process"])).code).toBe(0);
    const created = await server.baton(["work-queue", "create", "urgent", "--pool", "queued", "--priority", "1", "--concurrency-limit", "2"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created work queue 'urgent' in pool 'queued' (priority 1)");
    expect((await server.baton(["work-queue", "update", "urgent", "--pool", "queued", "--concurrency-limit", "5"])).code).toBe(0);
    const queues = await server.json<WorkQueue[]>(["work-queue", "ls", "--pool", "queued"]);
    expect(queues.find((q) => q.name === "urgent")).toMatchObject({ priority: 1, concurrency_limit: 5, paused: false });
    expect((await server.baton(["work-queue", "pause", "urgent", "--pool", "queued"])).code).toBe(0);
    expect((await server.json<WorkQueue[]>(["work-queue", "ls", "--pool", "queued"])).find((q) => q.name === "urgent")?.paused).toBe(true);
    expect((await server.baton(["work-queue", "delete", "urgent", "--pool", "queued", "--yes"])).stdout).toContain("Deleted work queue 'urgent'");
    expect((await server.json<WorkQueue[]>(["work-queue", "ls", "--pool", "queued"])).map((q) => q.name)).not.toContain("urgent");

    const noPool = await server.baton(["work-queue", "create", "q", "--pool", "ghost"]);
    expect(noPool.code).toBe(1);
    expect(noPool.stderr).toMatch(/WorkPoolNotFound: no work pool "ghost"/);
    const noFlag = await server.baton(["work-queue", "ls"]);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toMatch(/--pool/);
  }, SLOW);
});
