import { statSync, utimesSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { spareEnvironment } from "./run-environment.js";
import { SparePool } from "./spare-pool.js";

const until = async <T>(check: () => T | undefined, what: string): Promise<T> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
// What every run inherits from this worker, so only the variable a test adds differs from the spare's.
const request = (env: Record<string, string> = {}) => ({
  argv: [process.execPath, "baton", "flow-run", "execute"],
  env: { ...(spareEnvironment(process.env) as Record<string, string>), ...env },
  cwd: "/",
  umask: 0o022,
});

describe("SparePool", () => {
  let pool: SparePool | undefined;
  afterEach(() => pool?.close());

  it("keeps none with 0 spares", () => {
    pool = new SparePool(0, spareEnvironment(process.env));
    expect(pool.take(request())).toBeUndefined();
    expect(pool.pids()).toEqual([]);
  });

  it("starts a run that sets a Node start-time option cold, and keeps its spare for the next run", async () => {
    pool = new SparePool(1, spareEnvironment(process.env));
    const [spare] = await until(() => (pool!.pids().length === 1 ? pool!.pids() : undefined), "a spare");
    expect(pool.take(request({ NODE_OPTIONS: "--max-old-space-size=64" }))).toBeUndefined();
    expect(pool.pids()).toEqual([spare]);
  });

  it("replaces its spares when the installed Baton changes", async () => {
    pool = new SparePool(1, spareEnvironment(process.env));
    const [old] = await until(() => (pool!.pids().length === 1 ? pool!.pids() : undefined), "a spare");
    // A rebuild or upgrade: the SDK's package.json is one of the files a spare's version is read from.
    const manifest = fileURLToPath(new URL("../../../sdk/package.json", import.meta.url));
    const { atime } = statSync(manifest);
    utimesSync(manifest, atime, new Date(Date.now() + 5_000));
    expect(pool.take(request())).toBeUndefined();
    await until(() => (alive(old!) ? undefined : true), "the old spare to end");
    const [fresh] = await until(() => (pool!.pids().length === 1 ? pool!.pids() : undefined), "a new spare");
    expect(fresh).not.toBe(old);
  });
});
