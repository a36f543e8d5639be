import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, runBaton } from "../helpers/cli.js";
import { startBatonServer } from "../helpers/baton-server.js";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { startTerminal, tmuxUnavailableReason } from "../helpers/terminal.js";
import { tempDir } from "../helpers/tmp.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SLOW = 180_000;
const noTmux = tmuxUnavailableReason();

/**
 * The secret prompt of `baton secret set`, in a real terminal: a small program calls the CLI's own
 * readSecretValue (built) and writes what it read to a file, which the test compares with what
 * was meant, after typing with the keys a person uses to correct a typo.
 */
async function typedSecret(type: (t: ReturnType<typeof startTerminal>) => void): Promise<string> {
  const dir = tempDir("baton-prompt-");
  const file = join(dir.path, "value.json");
  const script = `
    import { writeFileSync } from "node:fs";
    import { readSecretValue } from ${JSON.stringify(join(REPO_ROOT, "packages/cli/dist/secret/read-value.js"))};
    import { Output } from ${JSON.stringify(join(REPO_ROOT, "packages/cli/dist/output/io.js"))};
    const out = new Output({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
    writeFileSync(${JSON.stringify(file)}, JSON.stringify(await readSecretValue("git-token", out)));
  `;
  const terminal = startTerminal([process.execPath, "--input-type=module", "-e", script], { NO_COLOR: "1" });
  try {
    await terminal.waitForScreen(/Value of secret git-token \(not shown\):/, "the secret prompt");
    type(terminal);
    expect(await terminal.exited(), terminal.screen()).toBe(0);
    return JSON.parse(readFileSync(file, "utf8")) as string;
  } finally {
    terminal.stop();
    dir.remove();
  }
}

describe.skipIf(noTmux)(`the hidden secret prompt in a real terminal${noTmux ? ` (skipped: ${noTmux})` : ""}`, () => {
  it("stores the text as edited, not the keystrokes: abc, Left, d gives abdc", async () => {
    expect(await typedSecret((t) => t.keys("abc", "Left", "d", "Enter"))).toBe("abdc");
  }, SLOW);

  it("Backspace after an emoji removes the whole character; Home and End move as in a shell", async () => {
    expect(
      await typedSecret((t) => {
        t.literal("x🦦");
        t.keys("BSpace");
        t.literal("é");
        t.keys("Home", "[", "End", "]", "Enter");
      }),
    ).toBe("[xé]");
  }, SLOW);

  it("shows nothing of what is typed", async () => {
    const dir = tempDir("baton-prompt-");
    const script = `import { readSecretValue } from ${JSON.stringify(join(REPO_ROOT, "packages/cli/dist/secret/read-value.js"))};
      import { Output } from ${JSON.stringify(join(REPO_ROOT, "packages/cli/dist/output/io.js"))};
      await readSecretValue("s", new Output({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }));`;
    const terminal = startTerminal([process.execPath, "--input-type=module", "-e", script], { NO_COLOR: "1" });
    try {
      await terminal.waitForScreen(/not shown/, "the secret prompt");
      terminal.literal("hunter2-visible?");
      terminal.keys("Left", "Left");
      expect(terminal.screen()).not.toContain("hunter2");
      terminal.keys("Enter");
      expect(await terminal.exited()).toBe(0);
      expect(terminal.screen()).not.toContain("hunter2");
    } finally {
      terminal.stop();
      dir.remove();
    }
  }, SLOW);

  it("Ctrl-C cancels: nothing is read and the program fails saying so", async () => {
    const dir = tempDir("baton-prompt-");
    const script = `import { readSecretValue } from ${JSON.stringify(join(REPO_ROOT, "packages/cli/dist/secret/read-value.js"))};
      import { Output } from ${JSON.stringify(join(REPO_ROOT, "packages/cli/dist/output/io.js"))};
      try { await readSecretValue("s", new Output({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })); }
      catch (error) { console.error("ERROR " + error.message); process.exit(2); }`;
    const terminal = startTerminal([process.execPath, "--input-type=module", "-e", script], { NO_COLOR: "1" });
    try {
      await terminal.waitForScreen(/not shown/, "the secret prompt");
      terminal.literal("half");
      terminal.keys("C-c");
      expect(await terminal.exited()).toBe(2);
      expect(terminal.screen()).toContain("ERROR cancelled; the secret was not set");
    } finally {
      terminal.stop();
      dir.remove();
    }
  }, SLOW);
});

describe.each(DATABASE_KINDS)("baton login takes the key from a prompt, stdin or the environment, on %s", (kind) => {
  let db: TestDatabase;
  let home: { path: string; remove(): void };
  let server: ChildProcess & { output(): string };
  let port: number;
  let apiUrl: string;
  let key: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    home = tempDir("baton-login-server-");
    const started = await startBatonServer({ home: home.path, databaseUrl: db.url });
    port = started.port;
    apiUrl = started.apiUrl;
    server = started.child;
    key = started.printedKey()!;
  }, SLOW);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("close", resolve));
    }
    await db?.drop();
    home?.remove();
  });

  /** A fresh machine: its own BATON_HOME, nothing in the environment. */
  const elsewhere = () => tempDir("baton-login-client-");
  const savedKey = (dir: string) => /BATON_API_KEY = "([^"]+)"/.exec(readFileSync(join(dir, "profiles.toml"), "utf8"))?.[1];

  it.skipIf(noTmux)("at a hidden prompt in a terminal, with the key edited as it is typed", async () => {
    const client = elsewhere();
    const cli = join(REPO_ROOT, "packages/cli/bin/baton.js");
    const env = Object.fromEntries(Object.entries(cleanEnv({ BATON_HOME: client.path })).filter((e): e is [string, string] => e[1] !== undefined));
    const terminal = startTerminal([process.execPath, cli, "login", "--url", apiUrl], env);
    try {
      await terminal.waitForScreen(/API key \(not shown\):/, "the key prompt");
      // The last character first, then Left and the one before it: only a line editor gets the key right.
      terminal.literal(key.slice(0, -2) + key.slice(-1));
      terminal.keys("Left");
      terminal.literal(key.slice(-2, -1));
      terminal.keys("Enter");
      expect(await terminal.exited(), terminal.screen()).toBe(0);
      expect(terminal.screen()).toContain("Logged in to");
      expect(terminal.screen()).not.toContain(key.slice(4, 20));
      expect(savedKey(client.path)).toBe(key);
    } finally {
      terminal.stop();
      client.remove();
    }
  }, SLOW);

  it("from stdin with --key-stdin or --key -, and from BATON_API_KEY; never needing the key in argv", async () => {
    for (const args of [["--key-stdin"], ["--key", "-"]]) {
      const client = elsewhere();
      const login = await runBaton(["login", "--url", apiUrl, ...args], { env: { BATON_HOME: client.path }, input: `${key}\n` });
      expect(login.code, login.stderr).toBe(0);
      expect(savedKey(client.path)).toBe(key);
      client.remove();
    }
    const client = elsewhere();
    const fromEnv = await runBaton(["login", "--url", apiUrl], { env: { BATON_HOME: client.path, BATON_API_KEY: key } });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(savedKey(client.path)).toBe(key);
    client.remove();
  }, SLOW);

  it("without a key and without a terminal, says where a key can come from", async () => {
    const client = elsewhere();
    const none = await runBaton(["login", "--url", apiUrl], { env: { BATON_HOME: client.path } });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no API key: type it at the prompt .*--key-stdin.*BATON_API_KEY/);
    const empty = await runBaton(["login", "--url", apiUrl, "--key-stdin"], { env: { BATON_HOME: client.path }, input: "\n" });
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain("stdin was empty");
    client.remove();
  }, SLOW);

  it("a URL without /api is recognised and the right one suggested, whether the key is good or not", async () => {
    const client = elsewhere();
    for (const attempt of [key, "bat_wrongwrongwrongwrongwrong"]) {
      const login = await runBaton(["login", "--url", `http://127.0.0.1:${port}`, "--key-stdin"], { env: { BATON_HOME: client.path }, input: attempt });
      expect(login.code).not.toBe(0);
      expect(login.stderr).toContain(`ApiUrlWithoutApi: http://127.0.0.1:${port} is the Baton server, not its API`);
      expect(login.stderr).toContain(`baton login --url ${apiUrl}`);
    }
    client.remove();
  }, SLOW);

  it("a BATON_PROFILE that names no profile is an error naming the profiles and the fix; baton profile create fixes it", async () => {
    const client = elsewhere();
    expect((await runBaton(["profile", "create", "staging"], { env: { BATON_HOME: client.path } })).code).toBe(0);
    const env = { BATON_HOME: client.path, BATON_PROFILE: "prod", BATON_API_URL: apiUrl, BATON_API_KEY: key };
    const refused = await runBaton(["flow-run", "ls"], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('ProfileNotFound: BATON_PROFILE is "prod"');
    expect(refused.stderr).toContain("profiles: default, staging");
    expect(refused.stderr).toContain("baton profile create prod");
    const listed = await runBaton(["profile", "ls"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect((await runBaton(["profile", "create", "prod"], { env })).code).toBe(0);
    const works = await runBaton(["flow-run", "ls"], { env });
    expect(works.code, works.stderr).toBe(0);
    client.remove();
  }, SLOW);
});
