import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";

// Issue 14: `import { flow, task } from "baton"` must not build the API schemas (zod), nor load
// ajv or rrule. These run real Node processes on the built packages (npm run build) and list
// every module their import graph loads with a loader hook; zod, however it is loaded (require()
// does not pass through that hook on Node 20), leaves globalThis.__zod_globalRegistry behind.
const sdkDist = new URL("../dist/index.js", import.meta.url).href;
const coreDist = new URL("../../core/dist/index.js", import.meta.url).href;

function modulesLoadedBy(script: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "baton-lazy-import-"));
  // Hooks run on their own thread from Node 22 on: a synchronous write, or lines still queued when the probe exits are lost (CI on Node 24 saw one).
  writeFileSync(join(dir, "hooks.mjs"), `import { writeSync } from "node:fs";\nexport async function load(url, context, next) { writeSync(2, "LOADED " + url + "\\n"); return next(url, context); }\n`);
  writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`);
  writeFileSync(join(dir, "main.mjs"), script);
  const child = spawnSync(process.execPath, ["--import", pathToFileURL(join(dir, "register.mjs")).href, join(dir, "main.mjs")], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`the probe failed (${child.status}): ${child.stderr}`);
  return child.stderr.split("\n").filter(Boolean);
}

const heavy = (urls: string[]) => urls.filter((u) => /\/node_modules\/(zod|ajv|rrule)\//.test(u) || u === coreDist);

describe("importing baton", () => {
  test("a flow file's import and its flow and task definitions load no zod, ajv, rrule or core's schema index", () => {
    const lines = modulesLoadedBy(`
      const { flow, task } = await import(${JSON.stringify(sdkDist)});
      const add = task({ name: "add", tags: ["math"] }, async (a, b) => a + b);
      const f = flow({ name: "sums", tags: ["nightly"] }, async () => add(1, 2));
      process.stderr.write("DEFINED " + f.name + " " + add.taskName + "\\n");
      process.stderr.write("ZOD " + ("__zod_globalRegistry" in globalThis) + "\\n");
    `);
    const loaded = lines.filter((l) => l.startsWith("LOADED ")).map((l) => l.slice(7));
    expect(lines).toContain("DEFINED sums add");
    expect(loaded).toContain(sdkDist);
    expect(heavy(loaded)).toEqual([]);
    expect(lines).toContain("ZOD false");
  });

  test("bad flow names and tags are still refused without the schemas, with the same rules", async () => {
    const { flow, task } = await import("./index.js");
    expect(() => flow({ name: "-bad" }, async () => 1)).toThrow(/name "-bad" is not valid: use letters, digits/);
    expect(() => flow({ name: "x".repeat(201) }, async () => 1)).toThrow(/at most 200 characters/);
    expect(() => task({ name: "t", tags: [""] }, async () => 1)).toThrow(/tags must be a list/);
    const { FlowNameSchema } = await import("@baton/core");
    expect(FlowNameSchema.safeParse("-bad").success).toBe(false);
    expect(FlowNameSchema.safeParse("a flow.v2_x").success).toBe(true);
    // Transforming the whole SDK's source takes minutes on a machine shared by many test runs.
  }, 300_000);

  test("what needs the schemas loads them on first use (secret names), in the same process", () => {
    const lines = modulesLoadedBy(`
      const { secret } = await import(${JSON.stringify(sdkDist)});
      process.stderr.write("ZOD " + ("__zod_globalRegistry" in globalThis) + "\\n");
      process.stderr.write("REF " + secret("db-password") + "\\n");
      try { secret("bad name!"); } catch (error) { process.stderr.write("REFUSED " + error.message + "\\n"); }
      process.stderr.write("ZOD " + ("__zod_globalRegistry" in globalThis) + "\\n");
      const core = await import(${JSON.stringify(coreDist)});
      process.stderr.write("SAME " + (core.SecretNameSchema === (await import("node:module")).createRequire(import.meta.url)(${JSON.stringify(coreDist.replace("file://", ""))}).SecretNameSchema) + "\\n");
    `);
    expect(lines).toContain("REF {{ baton.secrets.db-password }}");
    expect(lines.some((l) => l.startsWith("REFUSED secret(\"bad name!\")"))).toBe(true);
    expect(lines.filter((l) => l.startsWith("ZOD "))).toEqual(["ZOD false", "ZOD true"]);
    // The schemas loaded with require() are the module an import of @baton/core gets, not a copy.
    expect(lines).toContain("SAME true");
  });
});
