import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/**
 * Global concurrency limits end to end (issue 16 part 3): the CLI manages them, two runs on a real
 * process worker (each its own process, as two pods would be) share the "warehouse" limit of 1,
 * `baton flow-run why` says the second waits on it and who holds it, and it goes on once the first
 * releases. Flow: test/fixtures/worker/flows/limits.ts.
 */
describe.each(DATABASE_KINDS)("baton concurrency-limit and concurrency() through a worker (%s)", (kind) => {
  let t: TestServer;
  const dir = tempDir("baton-limits-");
  const baton = (args: string[]) => runBaton(args, { env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey } });
  beforeAll(async () => {
    t = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    dir.remove();
  });

  test("the CLI creates, lists, inspects, updates and deletes limits; bad input names the option", async () => {
    const created = await baton(["concurrency-limit", "create", "warehouse", "--limit", "1"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created concurrency limit 'warehouse' (limit 1)");
    expect((await baton(["concurrency-limit", "create-tag", "warehouse-db", "2"])).code).toBe(0);
    expect((await baton(["concurrency-limit", "create", "crm-api", "--limit", "10", "--slot-decay-per-second", "2"])).stdout).toContain("2 slot(s) back per second");
    const listed = await baton(["concurrency-limit", "ls", "--json"]);
    expect(JSON.parse(listed.stdout).map((l: { name: string }) => l.name)).toEqual(["crm-api", "tag:warehouse-db", "warehouse"]);
    expect((await baton(["concurrency-limit", "ls"])).stdout).toMatch(/warehouse\s+0\/1/);
    expect((await baton(["concurrency-limit", "update", "crm-api", "--limit", "3", "--no-active"])).code).toBe(0);
    expect(JSON.parse((await baton(["concurrency-limit", "inspect", "crm-api", "--json"])).stdout)).toMatchObject({ limit: 3, active: false, slot_decay_per_second: 2 });
    expect((await baton(["concurrency-limit", "delete", "crm-api", "--yes"])).code).toBe(0);
    const missing = await baton(["concurrency-limit", "inspect", "crm-api"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("baton concurrency-limit create crm-api --limit N");
    const bad = await baton(["concurrency-limit", "create", "x", "--limit", "many"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--limit");
    const duplicate = await baton(["concurrency-limit", "create", "warehouse", "--limit", "2"]);
    expect(duplicate.stderr).toContain("baton concurrency-limit update warehouse --limit N");
  }, 120_000);

  test("two runs in two processes share the limit: the second waits, flow-run why says on what and behind whom, then both complete", async () => {
    expect((await baton(["concurrency-limit", "create", "loading-dock", "--limit", "1"])).code).toBe(0);
    await t.client.call("createWorkPool", { body: { name: "limits", type: "process" } });
    const worker = startWorkerProcess(t, { pool: "limits", type: "process", pollWaitSeconds: 1, limit: 4 });
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "holds-warehouse", name: "hold", entrypoint: "flows/limits.ts:holdsWarehouse", pull_steps: [], work_pool_name: "limits", job_variables: { working_dir: WORKER_FIXTURE } },
      });
      const releaseFirst = join(dir.path, "release-first");
      const first = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { releaseFile: releaseFirst, limit: "loading-dock" } } });
      await waitFor(async () => ((await runLogs(t.client, first.id)).includes("holding the loading-dock slot") ? true : undefined), "the first run to hold the slot", 60_000);
      const releaseSecond = join(dir.path, "release-second");
      writeFileSync(releaseSecond, "");
      const second = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { releaseFile: releaseSecond, limit: "loading-dock" } } });
      const why = await waitFor(async () => {
        const answer = await baton(["flow-run", "why", second.id]);
        return answer.stdout.includes("CONCURRENCY_LIMIT_WAIT") ? answer.stdout : undefined;
      }, "flow-run why to say the second run waits on the limit", 60_000);
      expect(why).toContain('a slot of concurrency limit "loading-dock": 1 of 1 slots in use, held by');
      expect(why).toContain(first.name);
      expect((await t.client.readFlowRun(second.id)).state_type).toBe("RUNNING");
      // The server knows of the wait before the run's batched log line arrives: wait for the line, not a moment.
      await waitFor(async () => ((await runLogs(t.client, second.id)).join("\n").includes('Waiting for a slot of limit "loading-dock"') ? true : undefined), "the second run to log that it waits", 30_000);
      writeFileSync(releaseFirst, "");
      for (const run of [first, second]) {
        const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 90_000);
        expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      }
      expect(JSON.parse((await baton(["concurrency-limit", "inspect", "loading-dock", "--json"])).stdout).active_slots).toBe(0);
    } finally {
      await worker.stop();
    }
  }, 240_000);
});
