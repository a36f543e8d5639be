import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { callApi } from "../helpers/call-api.js";
import { runBaton } from "../helpers/cli.js";
import { startBatonServer, type BatonServerProcess } from "../helpers/baton-server.js";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { testApiKey } from "../helpers/api-key.js";
import { tempDir } from "../helpers/tmp.js";

const b64 = (bytes: number) => ({ content_base64: Buffer.alloc(bytes, 7).toString("base64") });

/**
 * The server's limit per stored result (resultStorage "server") is a setting,
 * BATON_SERVER_RESULT_MAX_BYTES, set here as a user would, in the profile with baton config set:
 * a result over it is refused with 413 naming the limit and the setting, one at it is stored.
 */
describe.each(DATABASE_KINDS)("BATON_SERVER_RESULT_MAX_BYTES on baton server start (%s)", (kind) => {
  let db: TestDatabase | undefined;
  let server: BatonServerProcess | undefined;
  const home = tempDir("baton-result-limit-");
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    home.remove();
  });

  test("set with baton config set: a result over it gets 413 naming the limit and the setting; one at the limit is stored", async () => {
    const set = await runBaton(["config", "set", "BATON_SERVER_RESULT_MAX_BYTES=2KiB"], { env: { BATON_HOME: home.path } });
    expect(set.code, set.stderr).toBe(0);
    db = await createTestDatabase(kind);
    const key = testApiKey();
    server = await startBatonServer({ home: home.path, databaseUrl: db.url, env: { BATON_SERVER_BOOTSTRAP_API_KEY: key } });
    const owner = randomUUID();
    expect(await callApi(server.apiUrl, key, "PUT", `/results/${owner}/at-limit`, b64(2048))).toMatchObject({ status: 200, body: { size: 2048 } });
    const over = await callApi(server.apiUrl, key, "PUT", `/results/${owner}/over`, b64(2049));
    expect(over.status).toBe(413);
    expect(over.body).toMatchObject({ code: "ResultTooLarge" });
    expect(over.body.message).toContain("a result of 2049 bytes is over this server's limit of 2048 bytes per result (BATON_SERVER_RESULT_MAX_BYTES)");
    expect(over.body.message).toContain("raise BATON_SERVER_RESULT_MAX_BYTES");
    // Far over: refused from the request's length, with the same message.
    const far = await callApi(server.apiUrl, key, "PUT", `/results/${owner}/far`, b64(1024 * 1024));
    expect(far).toMatchObject({ status: 413, body: { code: "ResultTooLarge" } });
    expect(far.body.message).toMatch(/a result of about \d+ bytes is over this server's limit of 2048 bytes per result \(BATON_SERVER_RESULT_MAX_BYTES\)/);
    expect((await callApi(server.apiUrl, key, "GET", `/results/${owner}/over`)).status).toBe(404);
  }, 180_000);

  test("a value that is not a size stops the server with the setting's name and the fix", async () => {
    const bad = await runBaton(["server", "start", "--port", "0"], { env: { BATON_HOME: home.path, BATON_SERVER_RESULT_MAX_BYTES: "2 parsecs" } });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('BATON_SERVER_RESULT_MAX_BYTES="2 parsecs" (from the environment) must be a size in bytes, or with a unit: 512KiB, 64MiB, 1GiB');
  }, 60_000);
});
