import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { openInProcessTransport } from "@baton/server";
import { BatonClient } from "baton";
import { runBaton } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const CLI_FLOWS = fileURLToPath(new URL("../fixtures/cli", import.meta.url));
const PROCESSES = 10;

describe("ten `baton run` started at once on a new local SQLite database", () => {
  const home = tempDir("baton-faults-migrate-");
  afterAll(() => home.remove());

  test("all create the schema together without a clash (no `table already exists`) and record their run", async () => {
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        runBaton(["run", "flows/slow.ts:slowFlow", "--param", "steps=1", "--param", "delayMs=0"], { cwd: CLI_FLOWS, env: { BATON_HOME: home.path }, timeoutMs: 240_000 }),
      ),
    );
    const failed = results.filter((r) => r.code !== 0);
    const transport = await openInProcessTransport({ databaseUrl: `sqlite://${join(home.path, "baton.db")}`, batonHome: home.path });
    const client = new BatonClient({ transport });
    try {
      const runs = (await client.listFlowRuns({ limit: 100 })).items;
      process.stdout.write(`[faults] ${PROCESSES} baton run at once on a new SQLite file: ${JSON.stringify({ processes: PROCESSES, failed: failed.length, runsRecorded: runs.length, completed: runs.filter((r) => r.state_type === "COMPLETED").length })}\n`);
      expect(failed.map((r) => r.stderr)).toEqual([]);
      expect(runs.map((r) => r.state_type)).toEqual(Array.from({ length: PROCESSES }, () => "COMPLETED"));
    } finally {
      await client.close();
    }
  }, 300_000);
});
