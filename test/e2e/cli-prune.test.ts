import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { openTestApp, type TestApp } from "../../packages/server/test/harness.js";
import { runAged } from "../../packages/server/test/aged-runs.js";

describe("baton server prune", () => {
  let app: TestApp;
  let oldRun: string;
  let youngRun: string;
  const home = tempDir("baton-prune-home-");
  beforeAll(async () => {
    app = await openTestApp("sqlite");
    oldRun = await runAged(app, 40, "COMPLETED");
    youngRun = await runAged(app, 2, "FAILED");
    for (const owner of [oldRun, youngRun]) await app.api("PUT", `/results/${owner}/r`, { content_base64: Buffer.from("1").toString("base64") });
    await app.close();
  });
  afterAll(async () => {
    await app.cleanup();
    home.remove();
  });
  const prune = (...args: string[]) => runBaton(["server", "prune", "--database-url", app.database.url, ...args], { env: { BATON_HOME: home.path } });
  const exists = async (id: string) => {
    const { openDatabase } = await import("@baton/server");
    const database = await openDatabase(app.database.url);
    try {
      return (await database.db.selectFrom("flow_runs").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
    } finally {
      await database.close();
    }
  };

  test("is a dry run unless --yes: it says what would go and deletes nothing", async () => {
    const dry = await prune("--older-than", "30d");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Dry run: would delete 1 flow run\(s\) \(1 COMPLETED\), 1 task run\(s\), 3 log line\(s\) and 1 stored result\(s\)/);
    expect(dry.stdout + dry.stderr).toContain("baton server prune --older-than 30d --yes");
    expect(await exists(oldRun)).toBe(true);
    const json = await prune("--older-than", "4w", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ dry_run: true, summary: { flowRuns: 1, taskRuns: 1, logs: 3, results: 1 } });
  });

  test("--yes deletes the finished runs older than the age, and only those", async () => {
    const done = await prune("--older-than", "30d", "--yes");
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain("Deleted 1 flow run(s), 1 task run(s), 3 log line(s) and 1 stored result(s)");
    expect(await exists(oldRun)).toBe(false);
    expect(await exists(youngRun)).toBe(true);
    const again = await prune("--older-than", "30d");
    expect(again.stdout).toContain("Nothing to prune");
    // Hours work too: the 2-day-old Failed run is older than 24h.
    expect((await prune("--older-than", "24h")).stdout).toMatch(/would delete 1 flow run\(s\) \(1 FAILED\)/);
  });

  test("an age without a unit is refused, naming the option and the fix", async () => {
    const bad = await prune("--older-than", "30");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/older-than.*h \(hours\), d \(days\) or w \(weeks\), e\.g\. 30d/);
  });
});
