import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";

/**
 * `flows/etl.ts:etlFlow` for a flow defined in `file`: the export whose `flow(...)` call names
 * this flow, read from the source (importing the file again could re-run a script that is
 * serving right now). Undefined when the file or the export cannot be told.
 */
export function entrypointOf(file: string | undefined, flowName: string, cwd = process.cwd()): string | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const quoted = flowName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(
    String.raw`export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*flow\s*\(\s*(?:["'\x60]${quoted}["'\x60]|\{[^)]*?\bname\s*:\s*["'\x60]${quoted}["'\x60])`,
    "g",
  );
  const names = [...text.matchAll(pattern)].map((m) => m[1]!);
  if (names.length !== 1) return undefined;
  const path = isAbsolute(file) ? relative(cwd, file) : file;
  if (path.includes(":") || !/\.(ts|mts|cts|js|mjs|cjs)$/.test(path)) return undefined;
  return `${path.split("\\").join("/")}:${names[0]}`;
}
