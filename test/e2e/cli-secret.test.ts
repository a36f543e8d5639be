import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

const VALUE = "ghp_s3cr3t-VALUE-never-shown";

describe.each(DATABASE_KINDS)("baton secret and variable against a server on %s", (kind) => {
  let server: CliServer;
  beforeAll(async () => {
    server = await startCliServer(kind);
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
  }, SLOW);

  it("sets a secret from stdin or --value, lists names only, removes it; the value is never printed", async () => {
    const fromStdin = await server.baton(["secret", "set", "git-token"], { input: `${VALUE}\n` });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).toContain("Set secret 'git-token'");
    expect(fromStdin.stderr).toContain('"{{ baton.secrets.git-token }}"');
    const fromFlag = await server.baton(["secret", "set", "other", "--value", `${VALUE}-2`]);
    expect(fromFlag.code, fromFlag.stderr).toBe(0);

    const table = await server.baton(["secret", "ls"]);
    expect(table.stdout).toMatch(/^NAME\s+POOLS\s+DEPLOYMENTS\s+UPDATED$/m);
    expect(table.stdout).toMatch(/^git-token\s/m);
    const json = await server.json<Array<Record<string, unknown>>>(["secret", "ls"]);
    const keys = ["created", "deployments", "name", "updated", "work_pools"];
    expect(json.map((s) => Object.keys(s).sort())).toEqual([keys, keys]);
    for (const r of [fromStdin, fromFlag, table]) expect(r.stdout + r.stderr).not.toContain(VALUE);
    expect(JSON.stringify(json)).not.toContain(VALUE);

    expect((await server.baton(["secret", "rm", "git-token", "--yes"])).stdout).toContain("Deleted secret 'git-token'");
    expect((await server.json<Array<{ name: string }>>(["secret", "ls"])).map((s) => s.name)).toEqual(["other"]);
    const gone = await server.baton(["secret", "rm", "git-token", "--yes"]);
    expect(gone.code).toBe(1);
  }, SLOW);

  it("refuses an empty value and a bad name", async () => {
    const empty = await server.baton(["secret", "set", "empty"], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no value for secret empty/);
    const badName = await server.baton(["secret", "set", "no spaces", "--value", "x"]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/secret name "no spaces": use letters, digits/);
  }, SLOW);

  it("sets, reads, lists and removes variables, reading JSON values", async () => {
    expect((await server.baton(["variable", "set", "region", "eu-west-1"])).code).toBe(0);
    expect((await server.baton(["variable", "set", "limits", '{"cpu":2}'])).code).toBe(0);
    expect((await server.baton(["variable", "get", "region"])).stdout.trim()).toBe('"eu-west-1"');
    expect((await server.baton(["variable", "get", "limits"])).stdout.trim()).toBe('{"cpu":2}');
    const all = await server.json<Array<{ name: string; value: unknown }>>(["variable", "ls"]);
    expect(Object.fromEntries(all.map((v) => [v.name, v.value]))).toEqual({ region: "eu-west-1", limits: { cpu: 2 } });
    expect((await server.baton(["variable", "rm", "region", "--yes"])).code).toBe(0);
    const missing = await server.baton(["variable", "get", "region"]);
    expect(missing.code).toBe(1);
  }, SLOW);
});
