import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBaton, startBaton, waitFor } from "../helpers/cli.js";
import { freePort, tempDir } from "../helpers/tmp.js";

const ETL = fileURLToPath(new URL("../fixtures/etl", import.meta.url));
const CLI_FLOWS = fileURLToPath(new URL("../fixtures/cli", import.meta.url));
const CREATED = /Flow run (\S+) \(([0-9a-f-]{36})\) created for flow '([^']+)'/;

let home: { path: string; remove(): void };
beforeEach(() => {
  home = tempDir("baton-home-");
});
afterEach(() => home.remove());

const baton = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  runBaton(args, { cwd: options.cwd ?? ETL, env: { BATON_HOME: home.path, ...options.env } });

describe("baton run, with no server configured", () => {
  it("runs the ETL flow, records it in $BATON_HOME/baton.db, and baton server start shows it afterwards", async () => {
    const first = await baton(["run", "flows/etl.ts:etlFlow"]);
    expect(first.code, first.stderr).toBe(0);
    const [, name, id, flowName] = CREATED.exec(first.stdout) ?? [];
    expect(name).toBeTruthy();
    expect(flowName).toBe("etl-flow");
    expect(first.stdout).toContain("Final state: Completed");
    expect(first.stdout).toContain("Result: 3");
    // The ID comes before the end: it is printed when the run is created.
    expect(first.stdout.indexOf(id!)).toBeLessThan(first.stdout.indexOf("Final state"));
    expect(existsSync(join(home.path, "baton.db"))).toBe(true);

    const param = await baton(["run", "flows/etl.ts:etlFlow", "--param", "limit=2"]);
    expect(param.code, param.stderr).toBe(0);
    expect(param.stdout).toContain("Result: 2");

    const params = await baton(["run", "flows/etl.ts:etlFlow", "--params", '{"limit":2,"uppercase":false}', "--json"]);
    expect(params.code, params.stderr).toBe(0);
    const outcome = JSON.parse(params.stdout);
    expect(outcome).toMatchObject({ flow_name: "etl-flow", state: { type: "COMPLETED", name: "Completed" }, result: 2 });

    const merged = await baton(["run", "flows/etl.ts:etlFlow", "--params", '{"limit":1}', "--param", "limit=4", "--json"]);
    expect(JSON.parse(merged.stdout).result).toBe(4);

    const port = await freePort();
    const server = startBaton(["server", "start", "--port", String(port)], { env: { BATON_HOME: home.path } });
    try {
      await waitFor(() => server.output().includes("listening"), "the server to listen");
      const ls = await baton(["flow-run", "ls", "--json"], { env: { BATON_API_URL: `http://127.0.0.1:${port}/api` } });
      expect(ls.code, ls.stderr).toBe(0);
      const ids = (JSON.parse(ls.stdout) as Array<{ id: string }>).map((r) => r.id);
      expect(ids).toHaveLength(4);
      expect(ids).toContain(id);
      expect(ids).toContain(outcome.flow_run_id);
    } finally {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("close", resolve));
    }
  });

  it("refuses a bad parameter before anything runs, naming it", async () => {
    const bad = await baton(["run", "flows/etl.ts:etlFlow", "--param", "limit=lots"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("limit");
    expect(bad.stdout).not.toContain("created");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const unknownType = await baton(["run", "flows/etl.ts:etlFlow", "--params", '{"uppercase":"yes"}']);
    expect(unknownType.code).toBe(1);
    expect(unknownType.stderr).toContain("uppercase");

    const ls = await baton(["flow-run", "ls", "--json"]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([]);

    const notObject = await baton(["run", "flows/etl.ts:etlFlow", "--params", "[2]"]);
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toContain("--params must be a JSON object");
    const notJson = await baton(["run", "flows/etl.ts:etlFlow", "--params", "{limit:2}"]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("--params is not valid JSON");
  });

  it("exits non-zero with the state and the error when the flow fails", async () => {
    const failed = await baton(["run", "flows/failing.ts:failingFlow"], { cwd: CLI_FLOWS });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(CREATED);
    expect(failed.stdout).toMatch(/Final state: Failed: .*the extract step exploded/);
    const id = CREATED.exec(failed.stdout)![2]!;
    expect(failed.stderr).toContain(`baton flow-run inspect ${id}`);

    const json = await baton(["run", "flows/failing.ts:failingFlow", "--json"], { cwd: CLI_FLOWS });
    expect(json.code).toBe(1);
    const outcome = JSON.parse(json.stdout);
    expect(outcome.state.type).toBe("FAILED");
    expect(outcome.error.message).toContain("the extract step exploded");
    expect(outcome).not.toHaveProperty("result");
  });
});

describe("baton flow-run inspect, on the local database", () => {
  it("shows a subflow run and summarizes a long list of task runs", async () => {
    const run = await baton(["run", "flows/nested.ts:parentFlow", "--json"], { cwd: CLI_FLOWS });
    expect(run.code, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout);
    expect(outcome.result).toEqual({ child: "child done", ticks: 205 });

    const text = await baton(["flow-run", "inspect", outcome.flow_run_id]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("Task runs (206)");
    expect(text.stdout).toMatch(/child-flow\S* \(subflow run [0-9a-f-]{36}\)\s+Completed/);
    expect(text.stdout).toContain("... and 6 more; --json lists them all");
    const json = JSON.parse((await baton(["flow-run", "inspect", outcome.flow_run_id, "--json"])).stdout);
    expect(json.task_runs).toHaveLength(206);

    const runs = JSON.parse((await baton(["flow-run", "ls", "--json"])).stdout) as Array<{ flow_name: string; parent_flow_run_id: string | null }>;
    expect(runs.map((r) => r.flow_name).sort()).toEqual(["child-flow", "parent-flow"]);
    expect(runs.find((r) => r.flow_name === "child-flow")?.parent_flow_run_id).toBe(outcome.flow_run_id);
  });
});

describe("baton run, interrupted", () => {
  it("ends the run Crashed and exits non-zero on Ctrl-C", async () => {
    const run = startBaton(["run", "flows/slow.ts:slowFlow", "--param", "steps=200", "--param", "delayMs=100"], { cwd: CLI_FLOWS, env: { BATON_HOME: home.path } });
    const id = await waitFor(() => CREATED.exec(run.output())?.[2], "the run to be created");
    await waitFor(() => run.output().includes("step 2 of 200"), "the flow to be running");
    const code = new Promise<number | null>((resolve) => run.once("close", resolve));
    run.kill("SIGINT");
    expect(await code).not.toBe(0);
    const inspect = await baton(["flow-run", "inspect", id, "--json"]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout).flow_run.state_type).toMatch(/^(CRASHED|CANCELLED)$/);
  });
});

describe("the entrypoint loader", () => {
  let project: { path: string; remove(): void };
  beforeEach(() => {
    // Under the system temp folder: no node_modules anywhere above it.
    project = tempDir("baton-project-");
    mkdirSync(join(project.path, "flows"));
  });
  afterEach(() => project.remove());

  const write = (file: string, text: string) => writeFileSync(join(project.path, file), text);
  const FLOW_FILE = [
    'import { flow, task } from "baton";',
    'import { z } from "zod";',
    "const greeting: string = 'hello';",
    'const shout = task("shout", async (text: string) => `${greeting} ${text}`);',
    'export const greet = flow({ name: "greet", parameters: z.object({ who: z.string().default("world") }) }, async ({ who }) => shout(who));',
    "export const notAFlow = 42;",
    "export function helper() { return 1; }",
  ].join("\n");

  it("runs a TypeScript flow from a folder without node_modules, as CommonJS and as ESM", async () => {
    write("flows/greet.ts", FLOW_FILE);
    write("flows/greet.mts", FLOW_FILE);
    write("flows/greet.mjs", FLOW_FILE.replace(": string", "").replace("text: string", "text"));
    for (const file of ["flows/greet.ts", "flows/greet.mts", "flows/greet.mjs"]) {
      const result = await baton(["run", `${file}:greet`, "--param", "who=baton", "--json"], { cwd: project.path });
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      const outcome = JSON.parse(result.stdout);
      expect(outcome).toMatchObject({ flow_name: "greet", result: "hello baton" });
      // The task ran inside the run, so the flow's "baton" was this Baton, not a second copy.
      const inspect = await baton(["flow-run", "inspect", outcome.flow_run_id, "--json"], { cwd: project.path });
      expect(JSON.parse(inspect.stdout).task_runs.map((t: { task_key: string }) => t.task_key)).toEqual(["shout"]);
    }
    write("package.json", '{ "type": "module" }');
    const esm = await baton(["run", "flows/greet.ts:greet"], { cwd: project.path });
    expect(esm.code, esm.stderr).toBe(0);
    expect(esm.stdout).toContain('Result: "hello world"');
  });

  it("explains a malformed entrypoint", async () => {
    for (const entrypoint of ["flows/greet.ts", "flows/greet.ts:", "flows/greet.py:greet"]) {
      const result = await baton(["run", entrypoint], { cwd: project.path });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("EntrypointInvalid");
      expect(result.stderr).toContain("path/to/file.ts:exportName");
    }
  });

  it("names the resolved path and the current folder when the file is missing", async () => {
    const result = await baton(["run", "flows/nope.ts:greet"], { cwd: project.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no file at ${join(project.path, "flows/nope.ts")}`);
    expect(result.stderr).toContain(`current folder ${project.path}`);
  });

  it("keeps the cause of a syntax error or a failed import", async () => {
    write("flows/broken.ts", 'import { flow } from "baton";\nexport const f = flow({ name: "f" }, async () => {\n');
    const syntax = await baton(["run", "flows/broken.ts:f"], { cwd: project.path });
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain("EntrypointLoadError: flows/broken.ts failed to load");
    expect(syntax.stderr).toMatch(/broken\.ts:\d+:\d+/);

    write("flows/imports.ts", 'import { thing } from "not-a-package-xyz";\nexport const f = thing;\n');
    const missing = await baton(["run", "flows/imports.ts:f"], { cwd: project.path });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("EntrypointLoadError");
    expect(missing.stderr).toContain("not-a-package-xyz");

    write("flows/throws.mts", 'throw new Error("config missing at import time");\n');
    const throws = await baton(["run", "flows/throws.mts:f"], { cwd: project.path });
    expect(throws.code).toBe(1);
    expect(throws.stderr).toContain("config missing at import time");
  });

  it("lists the flows when the export is missing or is not a flow", async () => {
    write("flows/greet.mts", FLOW_FILE);
    const missing = await baton(["run", "flows/greet.mts:greeet"], { cwd: project.path });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('FlowExportNotFound: flows/greet.mts has no export named "greeet"; its flows are: greet');

    const number = await baton(["run", "flows/greet.mts:notAFlow"], { cwd: project.path });
    expect(number.code).toBe(1);
    expect(number.stderr).toContain('"notAFlow" in flows/greet.mts is a number, not a flow');
    expect(number.stderr).toContain("its flows are: greet");

    const fn = await baton(["run", "flows/greet.mts:helper"], { cwd: project.path });
    expect(fn.code).toBe(1);
    expect(fn.stderr).toContain("is a function, not a flow; wrap the function with flow()");

    write("flows/none.mts", "export const x = 1;\n");
    const none = await baton(["run", "flows/none.mts:x"], { cwd: project.path });
    expect(none.stderr).toContain("the file exports no flow");
  });
});
