import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FlowRun, WorkPool, WorkQueue } from "@baton/core";
import { runBaton } from "../helpers/cli.js";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { deployProject, startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

const BATON_YAML = `deployments:
  - name: etl
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: previewed }
`;

describe.each(DATABASE_KINDS)("concurrency limits removed, queues inspected and previewed, against a server on %s", (kind) => {
  let server: CliServer;
  let project: { remove(): void } | undefined;

  beforeAll(async () => {
    server = await startCliServer(kind);
  }, SLOW);
  afterAll(async () => {
    project?.remove();
    await server?.stop();
  }, SLOW);

  it("a pool's and a queue's limit can be 0 (no run starts, as in Prefect) and can be removed", async () => {
    expect((await server.baton(["work-pool", "create", "limited", "--type", "process", "--concurrency-limit", "0"])).code).toBe(0);
    expect((await server.json<{ work_pool: WorkPool }>(["work-pool", "inspect", "limited"])).work_pool.concurrency_limit).toBe(0);
    const cleared = await server.baton(["work-pool", "clear-concurrency-limit", "limited"]);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain("Work pool 'limited' has no concurrency limit now");
    expect((await server.json<{ work_pool: WorkPool }>(["work-pool", "inspect", "limited"])).work_pool.concurrency_limit).toBeNull();
    const negative = await server.baton(["work-pool", "update", "limited", "--concurrency-limit", "-1"]);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/--concurrency-limit must be 0 \(no run starts\) or more; remove a limit with baton work-pool clear-concurrency-limit NAME/);

    expect((await server.baton(["work-queue", "create", "night", "--pool", "limited", "--concurrency-limit", "0", "--priority", "5"])).code).toBe(0);
    const queue = await server.json<WorkQueue>(["work-queue", "inspect", "night", "--pool", "limited"]);
    expect(queue).toMatchObject({ name: "night", work_pool_name: "limited", priority: 5, concurrency_limit: 0, paused: false });
    const text = await server.baton(["work-queue", "inspect", "night", "--pool", "limited"]);
    expect(text.stdout).toMatch(/Concurrency limit:\s+0/);
    expect((await server.baton(["work-queue", "clear-concurrency-limit", "night", "--pool", "limited"])).stdout).toContain("Work queue 'night' in pool 'limited' has no concurrency limit now");
    expect((await server.json<WorkQueue>(["work-queue", "inspect", "night", "--pool", "limited"])).concurrency_limit).toBeNull();

    const ghost = await server.baton(["work-queue", "inspect", "ghost", "--pool", "limited"]);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/WorkQueueNotFound: no queue named "ghost" in work pool "limited"; its queues: default, night \(create one with baton work-queue create ghost --pool limited\)/);
    const noPool = await server.baton(["work-queue", "clear-concurrency-limit", "night"]);
    expect(noPool.code).toBe(2);
    expect(noPool.stderr).toContain("required option '--pool <pool>' not specified");
  }, SLOW);

  it("work-queue preview lists the queue's scheduled runs, soonest first", async () => {
    project = await deployProject(server, BATON_YAML, "previewed");
    const created = await server.baton(["deployment", "run", "etl-flow/etl"]);
    expect(created.code, created.stderr).toBe(0);
    const id = created.stdout.trim();

    const due = await server.json<FlowRun[]>(["work-queue", "preview", "default", "--pool", "previewed"]);
    expect(due.map((r) => r.id)).toEqual([id]);
    const text = await server.baton(["work-queue", "preview", "default", "--pool", "previewed", "--hours", "1"]);
    expect(text.stdout).toMatch(/SCHEDULED FOR\s+FLOW RUN\s+ID/);
    expect(text.stdout).toContain(id);

    expect((await server.baton(["work-queue", "create", "other", "--pool", "previewed"])).code).toBe(0);
    const empty = await server.baton(["work-queue", "preview", "other", "--pool", "previewed"]);
    expect(empty.stdout).toContain("No run of queue 'other' in pool 'previewed' is scheduled in the next 24 hour(s)");
    const badHours = await server.baton(["work-queue", "preview", "default", "--pool", "previewed", "--hours", "soon"]);
    expect(badHours.code).toBe(2);
    expect(badHours.stderr).toMatch(/--hours must be a number of hours/);
  }, SLOW);
});

describe.each(DATABASE_KINDS)("baton server database upgrade and reset on %s", (kind) => {
  let db: TestDatabase;
  let home: { path: string; remove(): void };
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    home = tempDir("baton-home-");
  }, SLOW);
  afterAll(async () => {
    await db?.drop();
    home?.remove();
  }, SLOW);
  const baton = (args: string[]) => runBaton([...args, "--database-url", db.url], { env: { BATON_HOME: home.path } });

  it("upgrade applies what is missing, once; reset refuses without --yes, then empties the database", async () => {
    const first = await baton(["server", "database", "upgrade", "--json"]);
    expect(first.code, first.stderr).toBe(0);
    const applied = (JSON.parse(first.stdout) as { applied: string[] }).applied;
    expect(applied[0]).toBe("0001-initial");
    const again = await baton(["server", "database", "upgrade"]);
    expect(again.stdout).toMatch(/is up to date/);

    // Something to lose: an admin key made offline.
    expect((await baton(["server", "create-admin-key", "--name", "before-reset"])).code).toBe(0);
    const refused = await baton(["server", "database", "reset"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/deletes every run, deployment, work pool and API key in .*; add --yes to do it/);

    const reset = await baton(["server", "database", "reset", "--yes", "--json"]);
    expect(reset.code, reset.stderr).toBe(0);
    const result = JSON.parse(reset.stdout) as { reverted: string[]; applied: string[] };
    expect(result.reverted).toEqual([...applied].reverse());
    expect(result.applied).toEqual(applied);
    // The key is gone: its name is free again.
    const after = await baton(["server", "create-admin-key", "--name", "before-reset"]);
    expect(after.code, after.stderr).toBe(0);
  }, SLOW);
});

describe("baton profile rename", () => {
  let home: { path: string; remove(): void };
  beforeEach(() => {
    home = tempDir("baton-home-");
  });
  afterEach(() => home.remove());
  const baton = (args: string[], env: Record<string, string> = {}) => runBaton(args, { env: { BATON_HOME: home.path, ...env } });

  it("keeps the settings and the active mark; refuses the default profile, a taken name and a bad one", async () => {
    expect((await baton(["profile", "create", "staging"])).code).toBe(0);
    expect((await baton(["profile", "use", "staging"])).code).toBe(0);
    expect((await baton(["config", "set", "BATON_SERVER_PORT=4301"])).code).toBe(0);
    const renamed = await baton(["profile", "rename", "staging", "staging-eu"]);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toContain("Renamed profile 'staging' to 'staging-eu'");
    expect(JSON.parse((await baton(["profile", "ls", "--json"])).stdout)).toEqual({ active: "staging-eu", profiles: ["default", "staging-eu"] });
    expect(JSON.parse((await baton(["profile", "inspect", "--json"])).stdout).settings).toEqual({ BATON_SERVER_PORT: "4301" });

    const fromDefault = await baton(["profile", "rename", "default", "main"]);
    expect(fromDefault.code).toBe(1);
    expect(fromDefault.stderr).toContain('ProfileProtected: the "default" profile cannot be renamed; copy it with baton profile create main --from default');
    const taken = await baton(["profile", "rename", "staging-eu", "default"]);
    expect(taken.stderr).toContain('ProfileExists: a profile named "default" exists already');
    const bad = await baton(["profile", "rename", "staging-eu", "no spaces"]);
    expect(bad.stderr).toContain('InvalidProfileName: "no spaces" is not a usable profile name');
    const fromEnv = await baton(["profile", "rename", "staging-eu", "eu"], { BATON_PROFILE: "staging-eu" });
    expect(fromEnv.stderr).toContain("ProfileProtected: BATON_PROFILE=staging-eu is set in the environment; unset it, then rename the profile");
    const missing = await baton(["profile", "rename", "ghost", "x"]);
    expect(missing.code).toBe(1);
  }, SLOW);
});
