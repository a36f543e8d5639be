import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Flow files compiled by Baton itself (compile-commonjs.ts), one record per source content: the
 * compiled code and the relative files it requires. Keyed by content, not path, so a run from
 * another checkout of the same commit finds it too. A record is written whole, then renamed:
 * a run reading while another writes sees the old one or the new one, never half of it.
 */
export interface CompiledRecord {
  code: string;
  /** `./helpers.ts`: the relative files this one imports, each compiled too. */
  deps: string[];
  /** Packages bound to Baton's own copy because the project had none (zod): compiled again once it has one. */
  fallbacks?: string[];
}

/** The two compiled forms, each in a folder of its own; bumped when one changes, so records of an older Baton are not read. */
export type CompiledKind = "commonjs" | "esm";
const FORMAT: Record<CompiledKind, string> = { commonjs: "cjs-1", esm: "esm-1" };

/** `extra` is what else the code depends on (an ES module's own path and Baton's location). */
export function recordKey(kind: CompiledKind, source: string, tsconfigText: string | undefined, extra = ""): string {
  return createHash("sha256")
    .update(`${FORMAT[kind]}\0${process.versions.node}\0${extra}\0${tsconfigText ?? ""}\0`)
    .update(source)
    .digest("hex");
}

function recordPath(dir: string, kind: CompiledKind, key: string): string {
  return join(dir, kind, `${key}.json`);
}

export function readRecord(dir: string, kind: CompiledKind, key: string): CompiledRecord | undefined {
  let text: string;
  try {
    text = readFileSync(recordPath(dir, kind, key), "utf8");
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as Partial<CompiledRecord>;
    if (typeof record.code !== "string" || !Array.isArray(record.deps) || !record.deps.every((d) => typeof d === "string")) return undefined;
    return record as CompiledRecord;
  } catch {
    return undefined; // A damaged record: compiled again.
  }
}

export function writeRecord(dir: string, kind: CompiledKind, key: string, record: CompiledRecord): void {
  writeWhole(recordPath(dir, kind, key), JSON.stringify(record));
}

/** Writes a file whole, then renames it into place: a reader sees the old one or the new one. */
export function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

/** How long an unused compiled file stays (tsx's rule for its own cache). */
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Removes what in `folder` was last written (or, for a folder, used: compiled-esm.ts touches a
 * graph it imports) over a week ago. Called when something is compiled, which is rare, so the
 * cache does not grow with every commit a worker ever ran. A record removed while still in use
 * is compiled again by the next run that needs it.
 */
export function pruneOld(folder: string, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(folder, name);
    try {
      const stat = statSync(path);
      if (now - stat.mtimeMs > KEEP_MS && (stat.isFile() || /^[0-9a-f]{64}$/.test(name))) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
