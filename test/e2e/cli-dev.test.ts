import { expect, it } from "vitest";
import type { WorkPool } from "@baton/core";
import { runBaton, startBaton, waitFor } from "../helpers/cli.js";
import { freePort, tempDir } from "../helpers/tmp.js";

it("baton dev starts the server on SQLite in BATON_HOME and a process worker on pool default; SIGINT stops both", async () => {
  const home = tempDir("baton-home-");
  try {
    const port = await freePort();
    const dev = startBaton(["dev", "--port", String(port)], { env: { BATON_HOME: home.path } });
    await waitFor(() => /Worker '.*' started on pool 'default'/.test(dev.output()) || dev.exitCode !== null, "baton dev to start", 120_000);
    expect(dev.exitCode, dev.output()).toBeNull();
    expect(dev.output()).toContain(`Baton server listening on http://127.0.0.1:${port}`);
    expect(dev.output()).toContain(`database: sqlite://${home.path}`);
    expect(dev.output()).toMatch(/Created work pool 'default' \(process/);

    const env = { BATON_HOME: home.path, BATON_API_URL: `http://127.0.0.1:${port}/api` };
    const pools = await runBaton(["work-pool", "inspect", "default", "--json"], { env });
    expect(pools.code, pools.stderr).toBe(0);
    const { work_pool, workers } = JSON.parse(pools.stdout) as { work_pool: WorkPool; workers: Array<{ status: string }> };
    expect(work_pool.type).toBe("process");
    expect(workers.map((w) => w.status)).toEqual(["ONLINE"]);

    dev.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => (dev.exitCode !== null ? resolve(dev.exitCode) : dev.once("close", resolve)));
    expect(code, dev.output()).toBe(0);
    expect(dev.output()).toMatch(/Worker stopped/);
    expect(dev.output()).toMatch(/Stopped\./);
    const after = await runBaton(["work-pool", "ls"], { env });
    expect(after.stderr).toMatch(/cannot reach the Baton API/);
  } finally {
    home.remove();
  }
}, 300_000);
