import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const MODULE = fileURLToPath(new URL("./forget-credentials.ts", import.meta.url));

test.skipIf(process.platform !== "linux")("the worker's key is gone from process.env and from what /proc/<pid>/environ shows, and other variables are kept", () => {
  // A process of its own: the key must be in its initial environment, as a worker started with BATON_API_KEY=... has it.
  const script = `
    const { forgetWorkerCredentials } = await import(${JSON.stringify(MODULE)});
    const { readFileSync } = await import("node:fs");
    const result = forgetWorkerCredentials();
    console.log(JSON.stringify({ result, env: process.env.BATON_API_KEY ?? null, other: process.env.KEEP_ME, environ: readFileSync("/proc/self/environ", "latin1") }));
  `;
  const out = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, BATON_API_KEY: "bat_worker-key-0123456789", KEEP_ME: "kept" },
    encoding: "utf8",
  });
  expect(out.status, out.stderr).toBe(0);
  const seen = JSON.parse(out.stdout.trim().split("\n").at(-1)!);
  expect(seen.result).toEqual({ erased: ["BATON_API_KEY"] });
  expect(seen.env).toBeNull();
  expect(seen.other).toBe("kept");
  expect(seen.environ).not.toContain("bat_worker-key");
  expect(seen.environ).toContain("KEEP_ME=kept");
});
