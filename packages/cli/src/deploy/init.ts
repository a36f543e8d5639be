import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { BatonError } from "@baton/core";
import { UsageError } from "../errors.js";

export class BatonYamlExists extends BatonError {
  override readonly code = "BatonYamlExists";
  override readonly status = 409;
}

const FLOW_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function flowFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : flowFiles(path);
    return FLOW_FILE.test(entry.name) && !/\.(test|spec|d)\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^[^a-z0-9]+|-+$/g, "") || "flow";

/**
 * A baton.yaml with one deployment per flow exported by the files: on pool "default", with no
 * pull section, so baton deploy clones this checkout's remote. Never overwrites a file.
 */
export async function writeStarterBatonYaml(cwd: string, files: string[]): Promise<{ path: string; deployments: string[] }> {
  const path = join(cwd, "baton.yaml");
  if (existsSync(path)) throw new BatonYamlExists(`BatonYamlExists: ${path} exists already; edit it, or move it away to start again`);
  const candidates = files.length > 0 ? files.map((f) => resolve(cwd, f)) : flowFiles(join(cwd, "flows"));
  for (const file of candidates) if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no file at ${file}; name flow files relative to ${cwd}`);
  if (candidates.length === 0) throw new UsageError(`found no flow files under ${join(cwd, "flows")}; name them: baton init path/to/flows.ts`);

  const { loadEntrypoint, FlowExportNotFound } = await import("baton/loader");
  const entries: Array<{ name: string; entrypoint: string; schema: Record<string, unknown> | undefined }> = [];
  for (const file of candidates) {
    const rel = relative(cwd, file).split("\\").join("/");
    // The loader lists a module's flow exports when asked for one it lacks: ask for none.
    const exportsOf = await loadEntrypoint(`${rel}:__baton_init__`, { cwd }).then(
      () => [] as string[],
      (error: unknown) => (error instanceof FlowExportNotFound ? error.flowExports : []),
    );
    for (const exportName of exportsOf) {
      const flow = await loadEntrypoint(`${rel}:${exportName}`, { cwd });
      entries.push({ name: slug(flow.name), entrypoint: `${rel}:${exportName}`, schema: flow.parameterJsonSchema() });
    }
  }
  if (entries.length === 0) throw new UsageError(`none of ${candidates.map((f) => relative(cwd, f)).join(", ")} exports a flow; export one: export const myFlow = flow({ name: "my-flow" }, async () => { ... })`);
  writeFileSync(path, render(entries), { flag: "wx" });
  return { path, deployments: entries.map((e) => e.name) };
}

function render(entries: Array<{ name: string; entrypoint: string; schema: Record<string, unknown> | undefined }>): string {
  const lines = [
    "# Deployments of this repository. baton deploy --all checks everything, then creates or updates them.",
    "# With no pull section, runs clone this checkout's remote.origin.url at the branch deployed from;",
    "# `pull: []` means the code is already where runs start (baked into an image).",
    "deployments:",
  ];
  for (const e of entries) {
    const properties = Object.keys((e.schema?.properties as Record<string, unknown> | undefined) ?? {});
    lines.push(
      `  - name: ${e.name}`,
      `    entrypoint: ${e.entrypoint}`,
      properties.length ? `    parameters: {}  # the flow's parameters: ${properties.join(", ")}` : "    parameters: {}",
      "    work_pool:",
      "      name: default  # baton work-pool create default --type process, or baton worker start --pool default",
      "    # schedules:",
      '    #   - cron: "0 * * * *"',
      "    #     timezone: UTC",
    );
  }
  return lines.join("\n") + "\n";
}
