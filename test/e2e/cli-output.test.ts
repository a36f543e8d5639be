import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { WorkPool } from "@baton/core";
import { BATON_BIN, runBaton } from "../helpers/cli.js";
import { callApi } from "../helpers/call-api.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startTerminal, tmuxUnavailableReason } from "../helpers/terminal.js";
import { tempDir } from "../helpers/tmp.js";
import { cliCommands, cliGroups } from "./cli-command-tree.js";
import { deployProject, startCliServer, type CliServer } from "./deploy-server.js";

/**
 * Issue 22, parts 4 and 5: one output convention (`-o json|table|yaml`, `--json` its alias,
 * mutations print the object), `--limit` on every list, the global `--profile`, and removals that
 * ask on a terminal and need `--yes` otherwise. Every step is a real `baton` process against a
 * real server.
 */
const SLOW = 300_000;
const noTmux = tmuxUnavailableReason();
const commands = await cliCommands();

/** Long-running commands and the completion script: a document on stdout means nothing for them. */
const NO_OUTPUT_OPTION = ["server start", "dev", "worker start", "flow-run execute", "completion"];
/** Lists whose name is not `ls`. */
const OTHER_LISTS = ["notification deliveries", "automation firings", "work-queue preview", "flow-run ls", "task-run ls"];

describe("the command tree", () => {
  it("every command but the long-running ones takes -o/--output and --json", () => {
    for (const c of commands.filter((c) => !NO_OUTPUT_OPTION.includes(c.name))) {
      expect(c.flags, c.name).toContain("--output");
      expect(c.flags, c.name).toContain("--json");
    }
    for (const name of NO_OUTPUT_OPTION) expect(commands.find((c) => c.name === name)?.flags, name).not.toContain("--output");
  });

  it("every list takes --limit", () => {
    const lists = commands.filter((c) => c.path.at(-1) === "ls" || OTHER_LISTS.includes(c.name));
    expect(lists.length).toBeGreaterThan(15);
    for (const c of lists) expect(c.flags, c.name).toContain("--limit");
  });

  it("removal is `delete` everywhere, with `rm` as its alias and --yes", () => {
    expect(commands.filter((c) => c.path.at(-1) === "rm").map((c) => c.name)).toEqual([]);
    const removals = commands.filter((c) => c.path.at(-1) === "delete");
    expect(removals.map((c) => c.name).sort()).toEqual(
      ["artifact", "automation", "concurrency-limit", "deployment", "deployment schedule", "flow-run", "notification", "profile", "secret", "variable", "work-pool", "work-queue"].map((n) => `${n} delete`),
    );
    for (const c of removals) {
      expect(c.aliases, c.name).toEqual(["rm"]);
      expect(c.flags, c.name).toContain("--yes");
    }
  });

  it("every command's help ends with an example", () => {
    for (const c of commands) expect(c.help, c.name).toMatch(/\nExamples?:\n\s+.*\bbaton\b/);
  });

  it("every command group's help (baton deployment --help) ends with examples, each a command of that group", async () => {
    const groups = await cliGroups();
    expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(["deployment", "deployment schedule", "flow-run", "server database"]));
    for (const g of groups) {
      const examples = /\nExamples:\n((?:  baton .*\n?)+)$/.exec(g.help)?.[1];
      expect(examples, g.name).toBeDefined();
      for (const line of examples!.trim().split("\n")) {
        const words = line.trim().split(/\s+/).slice(1);
        expect(words.slice(0, g.path.length), line).toEqual(g.path);
        expect(g.subcommands, line).toContain(words[g.path.length]);
      }
    }
  });
});

describe("config view --show-defaults", () => {
  it("lists every setting, the unset ones too, with what it is for; an unknown name points there", async () => {
    const home = tempDir("baton-show-defaults-");
    try {
      const env = { BATON_HOME: home.path };
      const plain = JSON.parse((await runBaton(["config", "view", "-o", "json"], { env })).stdout) as { settings: Record<string, unknown> };
      expect(plain.settings.BATON_UI_URL).toBeUndefined();
      const all = JSON.parse((await runBaton(["config", "view", "--show-defaults", "-o", "json"], { env })).stdout) as { settings: Record<string, { value: string | null; source: string; description: string }> };
      expect(all.settings.BATON_UI_URL).toMatchObject({ value: null, source: "unset", description: expect.stringContaining("web UI") });
      expect(all.settings.BATON_SERVER_PORT).toMatchObject({ value: "4200", source: "default" });
      const table = await runBaton(["config", "view", "--show-defaults"], { env });
      expect(table.stdout).toMatch(/^BATON_UI_URL\s+\(unset\)\s+Where the web UI is/m);
      const unknown = await runBaton(["config", "set", "BATON_QQQQQQQQQQQQQQQQQ=1"], { env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("list them with baton config view --show-defaults");
    } finally {
      home.remove();
    }
  }, SLOW);
});

describe.each(DATABASE_KINDS)("output, --limit, --profile and removals against a server on %s", (kind) => {
  let server: CliServer;

  beforeAll(async () => {
    server = await startCliServer(kind);
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
  }, SLOW);

  it("-o yaml, -o json and --json print the object a mutation made; -o table the human line", async () => {
    const created = await server.baton(["work-pool", "create", "out", "--type", "process", "-o", "yaml"]);
    expect(created.code, created.stderr).toBe(0);
    const pool = parseYaml(created.stdout) as WorkPool;
    expect(pool).toMatchObject({ name: "out", type: "process", paused: false });
    // The hint still comes, on stderr, where it does not spoil the document.
    expect(created.stderr).toContain("baton worker start --pool out");

    const paused = await server.baton(["work-pool", "pause", "out", "-o", "json"]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ id: pool.id, paused: true });
    const resumed = await server.baton(["work-pool", "resume", "out", "--json"]);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: pool.id, paused: false });
    const table = await server.baton(["work-pool", "pause", "out", "-o", "table"]);
    expect(table.stdout).toBe("Work pool 'out' paused\n");

    const listed = parseYaml((await server.baton(["work-pool", "ls", "-o", "yaml"])).stdout) as WorkPool[];
    expect(listed.map((p) => p.name)).toEqual(["out"]);

    const queue = await server.baton(["work-queue", "create", "urgent", "--pool", "out", "--priority", "2", "-o", "json"]);
    expect(JSON.parse(queue.stdout)).toMatchObject({ name: "urgent", work_pool_name: "out", priority: 2 });
    const variable = await server.baton(["variable", "set", "region", "eu", "-o", "json"]);
    expect(JSON.parse(variable.stdout)).toMatchObject({ name: "region", value: "eu" });
    // `get` prints the value alone; -o asks for the variable.
    expect((await server.baton(["variable", "get", "region"])).stdout).toBe('"eu"\n');
    expect(parseYaml((await server.baton(["variable", "get", "region", "-o", "yaml"])).stdout)).toMatchObject({ name: "region", value: "eu" });
  }, SLOW);

  it("errors name the command that fixes them, not the API call behind it", async () => {
    const twice = await server.baton(["work-queue", "create", "urgent", "--pool", "out"]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('WorkQueueExists: work pool "out" already has a queue "urgent"; change it with baton work-queue update urgent --pool out');
    const missing = await server.baton(["variable", "get", "nowhere"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no variable "nowhere"; set it with baton variable set nowhere VALUE');
    expect(twice.stderr + missing.stderr).not.toMatch(/\b(PUT|PATCH|POST) \//);
  }, SLOW);

  it("with BATON_UI_URL, pools, deployments and runs print their UI link (on stderr); without it, none", async () => {
    const adminKey = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())?.[1];
    const made = await callApi(server.apiUrl, adminKey, "POST", "/deployments", { flow_name: "etl", name: "linked", entrypoint: "flows/etl.ts:etlFlow", work_pool_name: "out" });
    expect(made.status, made.text).toBe(200);
    const ui = { BATON_UI_URL: "https://baton.example.com/" };
    const pool = await server.baton(["work-pool", "create", "linked", "--type", "process"], { env: ui });
    expect(pool.stderr).toContain("View it in the UI: https://baton.example.com/work-pools/linked");
    const deployment = await server.baton(["deployment", "inspect", "etl/linked"], { env: ui });
    expect(deployment.stderr).toContain(`View it in the UI: https://baton.example.com/deployments/${made.body.deployment.id}`);
    const run = await server.baton(["deployment", "run", "etl/linked", "--start-in", "1h"], { env: ui });
    expect(run.code, run.stderr).toBe(0);
    const runId = run.stdout.trim();
    expect(run.stderr).toContain(`View it in the UI: https://baton.example.com/runs/${runId}`);
    const inspected = await server.baton(["flow-run", "inspect", runId, "-o", "json"], { env: ui });
    expect(JSON.parse(inspected.stdout)).toMatchObject({ flow_run: { id: runId } });
    expect(inspected.stderr).toContain(`https://baton.example.com/runs/${runId}`);
    expect((await server.baton(["work-pool", "inspect", "linked"])).stderr).not.toContain("View it in the UI");
  }, SLOW);

  it("refuses an unknown format and --json with another -o (exit 2, naming the choices)", async () => {
    const xml = await server.baton(["work-pool", "ls", "-o", "xml"]);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toContain('-o/--output must be one of table, json, yaml, not "xml"');
    const both = await server.baton(["work-pool", "ls", "--json", "-o", "yaml"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--json means -o json; drop one of --json and -o yaml");
  }, SLOW);

  it("--limit cuts a list and says so; a bad --limit is a usage error", async () => {
    for (const name of ["lim-a", "lim-b", "lim-c"]) expect((await server.baton(["concurrency-limit", "create", name, "--limit", "1"])).code).toBe(0);
    const two = await server.baton(["concurrency-limit", "ls", "--limit", "2", "-o", "json"]);
    expect(two.code, two.stderr).toBe(0);
    expect((JSON.parse(two.stdout) as unknown[]).length).toBe(2);
    expect(two.stderr).toContain("Showing the first 2; show more with --limit N");
    const all = await server.baton(["concurrency-limit", "ls", "-o", "json"]);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(3);
    expect(all.stderr).not.toContain("Showing the first");
    const zero = await server.baton(["variable", "ls", "--limit", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("--limit must be at least 1");
  }, SLOW);

  it("--profile NAME (-p) runs one command with a profile's settings, before or after the command", async () => {
    {
      // No BATON_API_URL in the environment: only the profile "remote" knows the server (the
      // key the server saved in BATON_HOME comes along from the default profile).
      const env = { BATON_HOME: server.home };
      expect((await runBaton(["profile", "create", "remote", "--from", "default"], { env })).code).toBe(0);
      expect((await runBaton(["-p", "remote", "config", "set", `BATON_API_URL=${server.apiUrl}`], { env })).code).toBe(0);
      const before = await runBaton(["-p", "remote", "work-pool", "ls", "-o", "json"], { env });
      expect(before.code, before.stderr).toBe(0);
      expect((JSON.parse(before.stdout) as WorkPool[]).map((p) => p.name)).toContain("out");
      const after = await runBaton(["work-pool", "ls", "--profile", "remote", "--json"], { env });
      expect(after.code, after.stderr).toBe(0);
      // The default profile has no URL of this server: the flag, not the file, chose the profile.
      const active = JSON.parse((await runBaton(["profile", "ls", "-o", "json"], { env })).stdout) as { active: string };
      expect(active.active).toBe("default");
      const view = JSON.parse((await runBaton(["config", "view", "-o", "json"], { env })).stdout) as { settings: Record<string, { value: string }> };
      expect(view.settings.BATON_API_URL?.value).not.toBe(server.apiUrl);

      const missing = await runBaton(["-p", "nope", "work-pool", "ls"], { env });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("--profile nope:");
      expect(missing.stderr).toContain("baton profile create nope");
    }
  }, SLOW);

  it("every removal without a terminal needs --yes (exit 2, nothing removed); with it, rm removes and prints what went", async () => {
    const adminKey = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())?.[1];
    const deployment = await callApi(server.apiUrl, adminKey, "POST", "/deployments", { flow_name: "etl", name: "gone", entrypoint: "flows/etl.ts:etlFlow" });
    expect(deployment.status, deployment.text).toBe(200);
    const setups: Array<[string[], string[]]> = [
      [["work-pool", "create", "doomed", "--type", "process"], ["work-pool", "inspect", "doomed"]],
      [["work-queue", "create", "doomed", "--pool", "out"], ["work-queue", "inspect", "doomed", "--pool", "out"]],
      [["variable", "set", "doomed", "1"], ["variable", "get", "doomed"]],
      [["secret", "set", "doomed", "--value", "v"], ["secret", "ls"]],
      [["concurrency-limit", "create", "doomed", "--limit", "1"], ["concurrency-limit", "inspect", "doomed"]],
      [["notification", "create", "doomed", "--on", "failed", "--webhook", "https://example.com/hook"], ["notification", "inspect", "doomed"]],
      [["automation", "create", "doomed", "--on", "failed", "--cancel-run"], ["automation", "inspect", "doomed"]],
      [[], ["deployment", "inspect", "etl/gone"]],
    ];
    for (const [create, read] of setups) {
      if (create.length > 0) {
        const made = await server.baton(create);
        expect(made.code, `${create.join(" ")}: ${made.stderr}`).toBe(0);
      }
      const noun = read[0]!;
      const target = noun === "deployment" ? "etl/gone" : "doomed";
      const extra = noun === "work-queue" ? ["--pool", "out"] : [];
      const refused = await server.baton([noun, "delete", target, ...extra]);
      expect(refused.code, `${noun} delete: ${refused.stderr}`).toBe(2);
      expect(refused.stderr).toContain("stdin is not a terminal, so pass --yes");
      const still = await server.baton(read);
      expect(still.code, `${read.join(" ")} after a refused delete`).toBe(0);
      if (noun === "secret") expect(still.stdout).toContain("doomed");

      const removed = await server.baton([noun, "rm", target, ...extra, "--yes", "-o", "json"]);
      expect(removed.code, `${noun} rm --yes: ${removed.stderr}`).toBe(0);
      expect(JSON.parse(removed.stdout), noun).toMatchObject({ name: noun === "deployment" ? "gone" : "doomed" });
      const after = await server.baton(read);
      if (noun === "secret") expect(after.stdout).not.toContain("doomed");
      else expect(after.code, `${read.join(" ")} after the delete`).toBe(1);
    }
  }, SLOW);

  it.skipIf(noTmux || kind !== "sqlite")("baton deploy shows its progress on a terminal, and nothing of it without one", async () => {
    const yaml = "deployments:\n  - name: one\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: progress }\n  - name: two\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: progress }\n";
    const project = await deployProject(server, yaml, "progress");
    try {
      const plain = await server.baton(["deploy", "--all"], { cwd: project.work });
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stderr).not.toContain("Deployed 2 deployment(s) in");
      expect(plain.stderr + plain.stdout).not.toContain("\r");
      const command = `cd '${project.work}' && exec '${process.execPath}' '${BATON_BIN}' deploy --all`;
      const terminal = startTerminal(["sh", "-c", command], { ...server.env, NO_COLOR: "1" });
      try {
        const screen = await terminal.waitForScreen(/Deployed 2 deployment\(s\) in \d/, "the progress summary");
        expect(await terminal.exited(), screen).toBe(0);
        expect(screen).toMatch(/Deployment 'etl-flow\/one' unchanged/);
        expect(screen).toMatch(/Deployment 'etl-flow\/two' unchanged/);
      } finally {
        terminal.stop();
      }
    } finally {
      project.remove();
    }
  }, SLOW);

  it.skipIf(noTmux || kind !== "sqlite")("work-pool delete on a terminal asks: anything but y keeps the pool, y deletes it", async () => {
    expect((await server.baton(["work-pool", "create", "asked", "--type", "process"])).code).toBe(0);
    const answer = async (typed: string): Promise<{ code: number; screen: string }> => {
      const terminal = startTerminal([process.execPath, BATON_BIN, "work-pool", "delete", "asked"], { ...server.env, NO_COLOR: "1" });
      try {
        await terminal.waitForScreen(/Delete work pool 'asked' and its queues\? \[y\/N\]/, "the delete question");
        terminal.keys(typed, "Enter");
        const code = await terminal.exited();
        return { code, screen: terminal.screen() };
      } finally {
        terminal.stop();
      }
    };
    const kept = await answer("n");
    expect(kept.code, kept.screen).toBe(2);
    expect(kept.screen).toContain("Cancelled; nothing was changed");
    expect((await server.baton(["work-pool", "inspect", "asked"])).code).toBe(0);
    const deleted = await answer("y");
    expect(deleted.code, deleted.screen).toBe(0);
    expect(deleted.screen).toContain("Deleted work pool 'asked'");
    expect((await server.baton(["work-pool", "inspect", "asked"])).code).toBe(1);
  }, SLOW);
});
