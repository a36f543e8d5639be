import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type ServerHandle } from "@baton/server";
import { cleanEnv } from "../helpers/cli.js";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";

const SCRIPT = fileURLToPath(new URL("../fixtures/results/large-result.mjs", import.meta.url));
const SIZE_MIB = 72;
const SIZE = SIZE_MIB * 1024 * 1024;

/** One phase in a fresh process, so its peak memory is its own. */
function phase(name: "write" | "read", kind: "server" | "s3", target: string, env: Record<string, string> = {}): Promise<{ ok: boolean; extraBytes: number; transientBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", SCRIPT, name, kind, String(SIZE_MIB), target], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`the ${name} process exited ${code}: ${err}`));
      const answer = JSON.parse(out.trim().split("\n").at(-1)!);
      const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
      process.stdout.write(`[large results] ${kind} ${name} of ${SIZE_MIB} MiB: peak ${mib(answer.extraBytes)} MiB over what the process held before, ${mib(answer.transientBytes)} MiB over what it held after\n`);
      resolve(answer);
    });
  });
}

/**
 * A result larger than 64 MiB round-trips through the server's storage and through S3, streamed:
 * writing it takes well under its size again in memory (it was one string, one buffer and base64
 * besides the value: about 4 times its size to the server, twice to S3). Reading is printed, not
 * bounded: JSON.parse needs the whole text beside the value it makes (about 3 times the size at
 * the peak, was about 5.5 through base64). Measured in child processes (peak RSS), never timed.
 */
describe.each(DATABASE_KINDS)("a result over 64 MiB (%s)", (kind) => {
  let db: TestDatabase;
  let server: ServerHandle;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startServer({ databaseUrl: db.url, host: "127.0.0.1", port: 0, logLevel: "warn", services: false, auth: { enabled: false }, resultMaxBytes: 80 * 1024 * 1024 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  test("round-trips through the server's storage, streamed", async () => {
    const written = await phase("write", "server", `${server.url}/api`);
    expect(written.extraBytes).toBeLessThan(SIZE / 2);
    expect((await phase("read", "server", `${server.url}/api`)).ok).toBe(true);
  }, 300_000);
});

describe("a result over 64 MiB in S3", () => {
  let s3: S3rver;
  let endpoint: string;
  const dir = tempDir("baton-s3rver-");
  beforeAll(async () => {
    s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir.path, configureBuckets: [{ name: "baton-results", configs: [] }] });
    endpoint = `http://127.0.0.1:${((await s3.run()) as unknown as { port: number }).port}`;
  }, 60_000);
  afterAll(async () => {
    await s3?.close();
    dir.remove();
  });

  test("round-trips through S3, uploaded in parts as it is serialized", async () => {
    const credentials = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
    const written = await phase("write", "s3", endpoint, credentials);
    // Parts of 5 MiB, one in flight while the next fills, and the garbage of those sent.
    expect(written.extraBytes).toBeLessThan(SIZE);
    expect((await phase("read", "s3", endpoint, credentials)).ok).toBe(true);
  }, 300_000);
});
