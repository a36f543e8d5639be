import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SDK = fileURLToPath(new URL("../..", import.meta.url));

let root: string;
let project: string;
let home: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "baton-compiled-cjs-"));
  project = join(root, "project");
  home = join(root, "home");
  mkdirSync(join(project, "flows"), { recursive: true });
  writeFileSync(join(project, "package.json"), '{ "type": "commonjs" }');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/**
 * A fresh Node process (a run's situation) loads the entrypoint, runs the flow and says what it
 * returned or threw, and whether tsx's `.ts` loader is left installed (it is, once tsx has loaded a file).
 */
function run(entrypoint: string): { result?: unknown; stack?: string; tsxLoaded: boolean } {
  const script = `
    import Module from "node:module";
    import { loadEntrypoint } from "baton/loader";
    const f = await loadEntrypoint(${JSON.stringify(entrypoint)}, { cwd: ${JSON.stringify(project)} });
    const tsxLoaded = Module._extensions[".ts"] !== undefined;
    try {
      console.log(JSON.stringify({ result: await f(), tsxLoaded }));
    } catch (error) {
      console.log(JSON.stringify({ stack: error.stack, tsxLoaded }));
    }`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: SDK,
    encoding: "utf8",
    env: { PATH: process.env.PATH, BATON_HOME: home, BATON_LOGGING_LEVEL: "CRITICAL" },
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { result?: unknown; stack?: string; tsxLoaded: boolean };
}

const HELPER = ["export const where: string = __filename;", "export function explode(n: number): never {", '  throw new Error(`exploded at ${n}`);', "}", "export const value = 1;", ""].join("\n");
const FLOW = [
  'import { flow } from "baton";', // 1
  'import { explode, value, where } from "./helpers";', // 2
  "", // 3
  "type Out = { value: number; where: string; dir: string };", // 4
  'export const good = flow({ name: "good" }, async (): Promise<Out> => ({ value, where, dir: __dirname }));', // 5
  'export const bad = flow({ name: "bad" }, async () => {', // 6
  "  explode(2);", // 7
  "});", // 8
  "",
].join("\n");

describe("a CommonJS flow file from Baton's compile cache", () => {
  it("runs without tsx, the first time (compiled) and the next (from the cache), with its own __filename and __dirname", () => {
    writeFileSync(join(project, "flows/helpers.ts"), HELPER);
    writeFileSync(join(project, "flows/etl.ts"), FLOW);
    const expected = { value: 1, where: join(project, "flows/helpers.ts"), dir: join(project, "flows") };
    expect(run("flows/etl.ts:good")).toEqual({ result: expected, tsxLoaded: false });
    expect(readdirSync(join(home, "compile-cache", "commonjs"))).toHaveLength(2);
    expect(run("flows/etl.ts:good")).toEqual({ result: expected, tsxLoaded: false });
    // tsx's own cache folder is made only when tsx is loaded.
    expect(readdirSync(join(home, "compile-cache")).filter((name) => name.startsWith("tsx-"))).toEqual([]);
  });

  it("compiles a changed relative import again", () => {
    writeFileSync(join(project, "flows/helpers.ts"), HELPER);
    writeFileSync(join(project, "flows/etl.ts"), FLOW);
    expect(run("flows/etl.ts:good").result).toMatchObject({ value: 1 });
    writeFileSync(join(project, "flows/helpers.ts"), HELPER.replace("value = 1", "value = 2"));
    expect(run("flows/etl.ts:good").result).toMatchObject({ value: 2 });
  });

  it("names the TypeScript files and lines in a stack, loaded compiled and from the cache", () => {
    writeFileSync(join(project, "flows/helpers.ts"), HELPER);
    writeFileSync(join(project, "flows/etl.ts"), FLOW);
    for (let i = 0; i < 2; i++) {
      const { stack, tsxLoaded } = run("flows/etl.ts:bad");
      expect(tsxLoaded).toBe(false);
      expect(stack).toContain("exploded at 2");
      expect(stack).toContain(`${join(project, "flows/helpers.ts")}:3:`);
      expect(stack).toContain(`${join(project, "flows/etl.ts")}:7:`);
    }
  });

  it("leaves a file that loads modules at run time to tsx, which still runs it", () => {
    writeFileSync(join(project, "flows/helpers.ts"), HELPER);
    writeFileSync(
      join(project, "flows/dynamic.ts"),
      'import { flow } from "baton";\nexport const dyn = flow({ name: "dyn" }, async () => (require("./helpers") as { value: number }).value);\n',
    );
    expect(run("flows/dynamic.ts:dyn")).toEqual({ result: 1, tsxLoaded: true });
    expect(existsSync(join(home, "compile-cache", "commonjs"))).toBe(false);
  });

});

const ESM_HELPER = ["export const where: string = import.meta.url;", "export const dir: string = import.meta.dirname;", "export function explode(n: number): never {", "  throw new Error(`exploded at ${n}`);", "}", "export const value = 1;", ""].join("\n");
const ESM_FLOW = [
  'import { flow } from "baton";', // 1
  'import { z } from "zod";', // 2
  'import { explode, value, where, dir } from "./helpers.js";', // 3
  "", // 4
  'export const good = flow({ name: "good" }, async () => ({ value, where, dir, me: import.meta.url, zod: typeof z.object }));', // 5
  'export const bad = flow({ name: "bad" }, async () => {', // 6
  "  explode(2);", // 7
  "});", // 8
  "",
].join("\n");

describe("an ES module flow file from Baton's compile cache", () => {
  beforeEach(() => writeFileSync(join(project, "package.json"), '{ "type": "module" }'));

  it("runs without tsx (no tsx namespace in import.meta.url), the first time and from the cache, with each file's own import.meta and Baton's zod", () => {
    writeFileSync(join(project, "flows/helpers.ts"), ESM_HELPER);
    writeFileSync(join(project, "flows/etl.ts"), ESM_FLOW);
    const expected = { value: 1, where: `file://${join(project, "flows/helpers.ts")}`, dir: join(project, "flows"), me: `file://${join(project, "flows/etl.ts")}`, zod: "function" };
    expect(run("flows/etl.ts:good").result).toEqual(expected);
    expect(run("flows/etl.ts:good").result).toEqual(expected);
    expect(readdirSync(join(home, "compile-cache")).filter((name) => name.startsWith("tsx-"))).toEqual([]);
  });

  it("compiles a changed relative import again", () => {
    writeFileSync(join(project, "flows/helpers.ts"), ESM_HELPER);
    writeFileSync(join(project, "flows/etl.ts"), ESM_FLOW);
    expect(run("flows/etl.ts:good").result).toMatchObject({ value: 1 });
    writeFileSync(join(project, "flows/helpers.ts"), ESM_HELPER.replace("value = 1", "value = 2"));
    expect(run("flows/etl.ts:good").result).toMatchObject({ value: 2 });
  });

  it("names the TypeScript files and lines in a stack", () => {
    writeFileSync(join(project, "flows/helpers.ts"), ESM_HELPER);
    writeFileSync(join(project, "flows/etl.ts"), ESM_FLOW);
    for (let i = 0; i < 2; i++) {
      const { stack } = run("flows/etl.ts:bad");
      expect(stack).toContain("exploded at 2");
      expect(stack).toContain(`${join(project, "flows/helpers.ts")}:4:`);
      expect(stack).toContain(`${join(project, "flows/etl.ts")}:7:`);
    }
  });

  it("leaves a flow that imports a package of the project to tsx, which resolves it from the project", () => {
    mkdirSync(join(project, "node_modules/local-dep"), { recursive: true });
    writeFileSync(join(project, "node_modules/local-dep/package.json"), '{ "name": "local-dep", "type": "module", "exports": "./index.js" }');
    writeFileSync(join(project, "node_modules/local-dep/index.js"), "export const answer = 42;\n");
    writeFileSync(join(project, "flows/dep.ts"), 'import { flow } from "baton";\nimport { answer } from "local-dep";\nexport const dep = flow({ name: "dep" }, async () => ({ answer, me: import.meta.url }));\n');
    const { result } = run("flows/dep.ts:dep") as { result: { answer: number; me: string } };
    expect(result.answer).toBe(42);
    // tsx's namespace in the URL: tsx imported it.
    expect(result.me).toContain("tsx-namespace");
  });
});
