import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type RunningServer } from "@baton/server";
import { BatonClient } from "baton";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { BATON_BIN, cleanEnv } from "../helpers/cli.js";
import { testApiKey } from "../helpers/api-key.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE } from "./harness.js";

const COUNT = 200;
const SIZE = 500_000; // 200 lines of 500 KB: 100 MB, above the server's 64 MiB body limit in one batch
const HUGE = 1_500_000; // over the API's limit on one line (1,000,000 characters)

describe("a burst of 200 log lines of 500 KB and one line over the line limit", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let client: BatonClient;
  const apiKey = testApiKey();
  const home = tempDir("baton-faults-big-");
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startServer({ databaseUrl: db.url, port: 0, logLevel: "warn", auth: { bootstrapApiKey: apiKey } });
    client = new BatonClient({ apiUrl: `${server.url}/api`, apiKey });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await db?.drop();
    home.remove();
  });

  test("every line reaches the server; the oversized one cut with a marker, never dropped", async () => {
    // A real `baton run` process; its terminal copy of the 100 MB goes nowhere.
    const child = spawn(process.execPath, [BATON_BIN, "run", "flows/faults.ts:bigLines", "--params", JSON.stringify({ count: COUNT, size: SIZE, huge: HUGE })], {
      cwd: WORKER_FIXTURE,
      env: cleanEnv({ BATON_HOME: home.path, BATON_API_URL: `${server.url}/api`, BATON_API_KEY: apiKey }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderrTail = "";
    child.stderr!.on("data", (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-2000)));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, stderrTail).toBe(0);

    const [run] = (await client.listFlowRuns({ flow_name: "big-lines" } as never)).items;
    expect(run?.state_type).toBe("COMPLETED");
    const seen = new Map<number, number>();
    let huge: string | undefined;
    let cursor: string | null = null;
    do {
      // Small pages: each line is half a megabyte.
      const page = await client.listLogs({ flow_run_id: run!.id, limit: 20, ...(cursor ? { cursor } : {}) } as never);
      for (const l of page.items) {
        const m = /^line (\d+) of big-lines /.exec(l.message);
        if (m) seen.set(Number(m[1]), l.message.length);
        else if (l.message.startsWith("huge ")) huge = l.message;
      }
      cursor = page.next_cursor;
    } while (cursor);
    const lost = COUNT - [...seen.values()].filter((length) => length > SIZE).length;
    process.stdout.write(`[faults] 200 lines of 500 KB: ${JSON.stringify({ lines: COUNT, lostLines: lost, hugeLineKept: huge !== undefined, hugeLength: huge?.length })}\n`);
    expect(lost).toBe(0);
    expect(huge).toBeDefined();
    expect(huge!.length).toBeLessThanOrEqual(1_000_000);
    expect(huge!.endsWith(`[truncated from ${HUGE + 5} characters]`)).toBe(true);
  }, 180_000);
});
