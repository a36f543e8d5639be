import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
  it("reads the file and the project's tsconfig paths from cwd, not from the process's folder", () => {
    writeFileSync(join(project.path, "package.json"), '{ "type": "module" }');
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
