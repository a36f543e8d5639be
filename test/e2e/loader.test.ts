import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

let project: { path: string; remove(): void };
beforeEach(() => {
  project = tempDir("baton-project-");
  mkdirSync(join(project.path, "flows"));
  mkdirSync(join(project.path, "lib"));
});
afterEach(() => project.remove());

/** loadEntrypoint in a real Node process started elsewhere (a worker's situation), importing baton/loader by name. */
function loadFrom(cwd: string, entrypoint: string, projectDir: string): { status: number | null; stdout: string; stderr: string } {
  const script = `
    import { loadEntrypoint } from "baton/loader";
    const f = await loadEntrypoint(${JSON.stringify(entrypoint)}, { cwd: ${JSON.stringify(projectDir)} });
    console.log(JSON.stringify({ name: f.name }));`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("loadEntrypoint({ cwd })", () => {
  it.each([
    ["an ES module project", '{ "type": "module" }'],
    ["a CommonJS project", "{}"],
  ])("reads the file and the project's tsconfig paths from cwd, not from the process's folder, in %s", (_, packageJson) => {
    writeFileSync(join(project.path, "package.json"), packageJson);
    writeFileSync(join(project.path, "tsconfig.json"), '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["./lib/*"] } } }');
    writeFileSync(join(project.path, "lib/text.ts"), 'export const flowName: string = "paths-flow";\n');
    writeFileSync(
      join(project.path, "flows/paths.ts"),
      'import { flow } from "baton";\nimport { flowName } from "@lib/text";\nexport const pathsFlow = flow({ name: flowName }, async () => 1);\n',
    );
    const result = loadFrom(REPO, "flows/paths.ts:pathsFlow", project.path);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ name: "paths-flow" });
  });
});

/** A flow that fails in a task, in a helper file at line 4 called from the flow file at line 12. */
const FAILING_FLOW = [
  'import { flow, task } from "baton";', // 1
  'import { explode } from "../lib/explode.js";', // 2
  "", // 3
  "interface Row {", // 4
  "  id: number;", // 5
  "}", // 6
  "", // 7
  'const load = task({ name: "load" }, async (rows: Row[]): Promise<number> => explode(rows.length));', // 8
  "", // 9
  'export const xFlow = flow({ name: "x-flow" }, async () => {', // 10
  "  const rows: Row[] = [{ id: 1 }, { id: 2 }];", // 11
  "  return await load(rows);", // 12
  "});", // 13
].join("\n");
const HELPER = [
  "type Count = number;", // 1
  "", // 2
  "export function explode(count: Count): never {", // 3
  "  throw new RangeError(`cannot load ${count} rows`);", // 4
  "}", // 5
].join("\n");

describe("the stack a failed flow run stores", () => {
  it.each([
    ["a CommonJS project (no package.json type)", undefined],
    ["an ES module project", '{ "type": "module" }'],
  ])("names the TypeScript files and lines, relative to the project, in %s", async (_, packageJson) => {
    if (packageJson) writeFileSync(join(project.path, "package.json"), packageJson);
    writeFileSync(join(project.path, "flows/x.ts"), FAILING_FLOW);
    writeFileSync(join(project.path, "lib/explode.ts"), HELPER);
    const home = join(project.path, ".baton-home");
    const run = await runBaton(["run", "flows/x.ts:xFlow", "--json"], { cwd: project.path, env: { BATON_HOME: home } });
    const { flow_run_id: id } = JSON.parse(run.stdout) as { flow_run_id: string };
    const inspect = await runBaton(["flow-run", "inspect", id, "--json"], { cwd: project.path, env: { BATON_HOME: home } });
    expect(inspect.code, inspect.stderr).toBe(0);
    const { flow_run, task_runs } = JSON.parse(inspect.stdout) as {
      flow_run: { state: { type: string; data?: { error?: { name: string; stack?: string } } } };
      task_runs: { state: { data?: { error?: { stack?: string } } } }[];
    };
    expect(flow_run.state.type).toBe("FAILED");
    expect(flow_run.state.data?.error?.name).toBe("RangeError");
    const stacks = [flow_run.state.data?.error?.stack ?? "", task_runs[0]?.state.data?.error?.stack ?? ""];
    for (const stack of stacks) {
      expect(stack).toMatch(/^RangeError: cannot load 2 rows\n/);
      // Relative to the project: the user's own paths, with the TypeScript lines.
      expect(stack).toMatch(/\(lib\/explode\.ts:4:\d+\)\n/);
      expect(stack).toMatch(/\(flows\/x\.ts:8:\d+\)\n/);
      // Under the engine's frames: the flow's own line is kept too (the last one: Baton's frames are dropped).
      expect(stack).toMatch(/\(flows\/x\.ts:12:\d+\)(\n|$)/);
      expect(stack).not.toMatch(/packages[\\/](sdk|core|cli)[\\/]|node_modules[\\/](baton|@baton)[\\/]/);
      expect(stack).not.toContain(project.path);
      expect(stack).not.toContain("data:");
      expect(stack).not.toContain("node:internal");
      expect(stack.length).toBeLessThan(4_000);
    }
  });
});
