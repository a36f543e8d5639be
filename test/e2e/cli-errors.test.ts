import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "@baton/server";
import { main } from "@baton/cli";
import { runBaton, type CliResult } from "../helpers/cli.js";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { testApiKey } from "../helpers/api-key.js";
import { tempDir } from "../helpers/tmp.js";
import { cliCommands, type CliCommand } from "./cli-command-tree.js";

/**
 * The error paths of every `baton` command, enumerated from commander's own tree: an unknown
 * option is refused naming it (exit 2); a missing argument or required option is named (exit 2);
 * a wrong API key is refused with an actionable message (exit 1) by every command that calls the
 * API. No command shows a stack trace. Commander refuses the first two before any command runs,
 * so they are checked through the CLI's own main() in this process (milliseconds each; one real
 * process shows the binary exits the same way); the wrong keys are real `baton` processes (~0.7 s
 * each), at most 4 at once, against one database (SQLite): the CLI's error paths do not depend on it.
 */
const ETL = fileURLToPath(new URL("../fixtures/etl", import.meta.url));
const MISSING_ID = "0190c0de-0000-7000-8000-000000000000";
const WRONG_KEY = testApiKey();
const CONCURRENT = 4;

/**
 * Commands that do not call the API with the CLI's key, and why; every other command must refuse
 * a wrong key. A new command that is not an API client goes here, or this test fails for it.
 */
const NOT_API: Record<string, string> = {
  "server start": "opens the database itself (it IS the server)",
  "server prune": "opens the database itself",
  "server create-admin-key": "opens the database itself (the recovery path when no key works)",
  "server database upgrade": "opens the database itself (migrations run where the server runs)",
  "server database reset": "opens the database itself, and refuses without --yes",
  completion: "prints a shell script built from the command tree",
  dev: "starts a server and a worker of its own on the local database",
  init: "writes baton.yaml from local files",
  "config set": "edits the local profile",
  "config unset": "edits the local profile",
  "config view": "prints the local settings",
  "profile ls": "local profiles",
  "profile create": "local profiles",
  "profile use": "local profiles",
  "profile delete": "local profiles",
  "profile inspect": "local profiles",
  "profile rename": "local profiles",
  "work-pool default-template": "prints a built-in template",
  version: "prints the client's version, and the server's when it can ask (a refused key is shown, exit 0)",
};

/** Commands that read a local file before they call the API: given one, they reach the API (in `cwd`). */
const CWD: Record<string, string> = { run: ETL };
/** What a command checks itself, beyond commander's arguments and required options, before it calls the API. */
const EXTRA_ARGS: Record<string, string[]> = {
  "task-run ls": ["--flow-run", MISSING_ID],
  "work-pool update": ["--description", "d"],
  "work-queue update": ["--description", "d"],
  "concurrency-limit update": ["--limit", "2"],
  "notification create": ["--webhook", "https://example.com/hook"],
  "automation create": ["--on", "failed", "--cancel-run"],
  "deployment schedule create": ["--interval", "1h"],
  // No route reads one secret or key by name, so these ask before they call the API: --yes answers.
  "secret delete": ["--yes"],
  "api-key revoke": ["--yes"],
};

/** What the wrong-key run of a command checks, when it differs from "exit 1, Unauthorized naming BATON_API_KEY". */
const WRONG_KEY_EXPECTED: Record<string, (r: CliResult) => void> = {
  deploy: (r) => {
    // Reads baton.yaml of the current folder first: a folder without one is named.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BatonYamlNotFound: no file at .*baton\.yaml; write one with baton init/);
  },
  version: (r) => {
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Server:\s+unreachable: Unauthorized: .*BATON_API_KEY/);
  },
};

/** A value each argument or option can take, by its name, so the command gets past commander. */
const ARG_VALUES: Record<string, string> = {
  entrypoint: "flows/etl.ts:etlFlow",
  "flow/deployment": "no-flow/no-deployment",
  id: MISSING_ID,
  value: "v",
  tag: "no-tag",
  limit: "1",
  assignments: "BATON_LOGGING_LEVEL=INFO",
  names: "BATON_LOGGING_LEVEL",
  files: "flows/etl.ts",
};
const OPTION_VALUES: Record<string, string> = { "--on": "failed", "--older-than": "30d", "--type": "process", "--pool": "no-pool", "--limit": "1", "--name": "no-key", "--role": "viewer" };
/** Standard input for commands that read a value from it. */
const INPUT: Record<string, string> = { "secret set": "a-secret-value\n" };

/** At most CONCURRENT `baton` processes at once, across the concurrent tests. */
let running = 0;
const waiting: Array<() => void> = [];
async function baton(args: string[], env: Record<string, string>, options: { cwd?: string; input?: string } = {}): Promise<CliResult> {
  while (running >= CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await runBaton(args, { env, ...options, timeoutMs: 120_000 });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The CLI's main() in this process, with its output captured: what `baton ARGS` does up to its first action. */
async function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (t: string) => ((stdout += t), true) }, stderr: { write: (t: string) => ((stderr += t), true) }, env: { ...env, NO_COLOR: "1" }, cwd: process.cwd() };
  const code = await main(["node", "baton", ...args], io as Parameters<typeof main>[1]);
  return { code, stdout, stderr };
}

function expectNoStack(r: CliResult, what: string): void {
  expect(r.stderr, what).not.toMatch(/Unexpected error|^\s+at .+:\d+:\d+\)?$/m);
}

const commands = await cliCommands();

/** Arguments that get a command past commander: every argument (all: true, optional ones too) and every required option. */
function argsOf(command: CliCommand, opts: { skipArg?: boolean; skipOption?: string; url: string; all?: boolean }): string[] {
  return [
    ...command.path,
    ...(opts.skipArg ? [] : command.args.filter((a) => a.required || opts.all).map((a) => ARG_VALUES[a.name] ?? "x")),
    ...command.mandatory.filter((o) => o.flag !== opts.skipOption).flatMap((o) => (o.takesValue ? [o.flag, o.flag === "--url" ? opts.url : (OPTION_VALUES[o.flag] ?? "x")] : [o.flag])),
    ...(opts.all ? (EXTRA_ARGS[command.name] ?? []) : []),
  ];
}

it("reads the command tree, and every command this test names exists", () => {
  const names = commands.map((c) => c.name);
  expect(names.length).toBeGreaterThan(40);
  for (const name of [...Object.keys(NOT_API), ...Object.keys(CWD), ...Object.keys(EXTRA_ARGS), ...Object.keys(WRONG_KEY_EXPECTED), ...Object.keys(INPUT)]) expect(names, `${name} is named in this test but is no command`).toContain(name);
});

describe("every command's usage errors", () => {
  const home = tempDir("baton-cli-usage-");
  const env = { BATON_HOME: home.path };
  const url = "http://127.0.0.1:9/api";
  afterAll(() => home.remove());

  it.each(commands.map((c) => [c.name, c] as const))("baton %s: an unknown option is refused naming it, a missing argument or required option is named (exit 2)", async (name, command) => {
    // A command that takes any option would run its action here: it must say how it refuses instead.
    expect(command.allowsUnknownOptions, `${name} accepts unknown options: check it by hand`).toBe(false);
    const unknown = await cli([...argsOf(command, { url }), "--no-such-option"], env);
    expect(unknown.code, `${name} --no-such-option: ${unknown.stderr}`).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--no-such-option'");
    expectNoStack(unknown, name);

    const required = command.args.filter((a) => a.required);
    if (required.length > 0) {
      const missing = await cli(argsOf(command, { skipArg: true, url }), env);
      expect(missing.code, `${name} without arguments: ${missing.stderr}`).toBe(2);
      expect(missing.stderr).toContain(`missing required argument '${required[0]!.name}'`);
      expectNoStack(missing, name);
    }
    for (const option of command.mandatory) {
      const missing = await cli(argsOf(command, { skipOption: option.flag, url }), env);
      expect(missing.code, `${name} without ${option.flag}: ${missing.stderr}`).toBe(2);
      expect(missing.stderr).toMatch(new RegExp(`required option '${option.flag}[ ,']`));
      expectNoStack(missing, name);
    }
  });

  it("the baton binary exits 2 on a usage error too, naming the option and pointing at --help", async () => {
    const r = await baton(["flow-run", "ls", "--no-such-option"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-option'");
    expect(r.stderr).toContain("--help");
    expectNoStack(r, "flow-run ls");
  });
});

describe("every API command with a wrong API key, and a wrong BATON_API_URL (SQLite)", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let home: { path: string; remove(): void };
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    home = tempDir("baton-cli-errors-");
    // Every command sends the same wrong key from 127.0.0.1: the limit on failed attempts would
    // answer 429 after ten, and the client waits out Retry-After; that limit has its own tests.
    server = await startServer({ databaseUrl: db.url, port: 0, logLevel: "warn", auth: { bootstrapApiKey: testApiKey(), rateLimit: { maxFailures: 1_000_000 } } });
    // A fresh BATON_HOME (no profile, no key saved) and the wrong key in the environment.
    env = { BATON_HOME: home.path, BATON_API_URL: `${server.url}/api`, BATON_API_KEY: WRONG_KEY };
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    home?.remove();
  });

  const asked = commands.filter((c) => NOT_API[c.name] === undefined || WRONG_KEY_EXPECTED[c.name] !== undefined);
  it.concurrent.each(asked.map((c) => [c.name, c] as const))(
    "baton %s refuses a wrong API key with a message that says what to do (exit 1, no stack)",
    async (name, command) => {
      const wrong = await baton(argsOf(command, { url: env.BATON_API_URL!, all: true }), env, { cwd: CWD[name] ?? home.path, ...(INPUT[name] !== undefined ? { input: INPUT[name] } : {}) });
      expectNoStack(wrong, name);
      if (WRONG_KEY_EXPECTED[name]) return WRONG_KEY_EXPECTED[name]!(wrong);
      expect(wrong.code, `${name} with a wrong key: ${wrong.stdout}${wrong.stderr}`).toBe(1);
      expect(wrong.stderr).toMatch(/Unauthorized: the server knows no such API key; .*BATON_API_KEY.*baton login/);
    },
    600_000,
  );

  it.concurrent.each([
    ["ftp://127.0.0.1:1/api", /BATON_API_URL="ftp:\/\/127\.0\.0\.1:1\/api" \(from the environment\) must start with http:\/\/ or https:\/\//],
    ["the server without /api", /BATON_API_URL="http:\/\/127\.0\.0\.1:\d+" \(from the environment\) must end with \/api/],
    ["127.0.0.1:4200/api", /BATON_API_URL="127\.0\.0\.1:4200\/api" \(from the environment\) must be a URL such as http:\/\/127\.0\.0\.1:4200\/api/],
  ] as const)(
    "a BATON_API_URL of %s is named with its fix, by commander's commands and by flow-run execute's fast path",
    async (value, message) => {
      const apiUrl = value === "the server without /api" ? server.url : value;
      for (const args of [["flow", "ls"], ["worker", "start", "--pool", "p"], ["flow-run", "execute", MISSING_ID]]) {
        const r = await baton(args, { ...env, BATON_API_URL: apiUrl });
        expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(message);
        expectNoStack(r, args.join(" "));
      }
    },
    600_000,
  );
});
