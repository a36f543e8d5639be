import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Flow files compiled by Baton itself (compile-commonjs.ts), one record per source content: the
 * compiled code and the relative files it requires. Keyed by content, not path, so a run from
 * another checkout of the same commit finds it too. A record is written whole, then renamed:
 * a run reading while another writes sees the old one or the new one, never half of it.
 */
export interface CompiledRecord {
  code: string;
  /** `./helpers.ts`: the relative files this one requires, as written in `code`, each compiled too. */
  deps: string[];
}

/** Bumped when the compiled form changes, so records of an older Baton are not read. */
const FORMAT = "cjs-1";

export function recordKey(source: string, tsconfigText: string | undefined): string {
  return createHash("sha256")
    .update(`${FORMAT}\0${process.versions.node}\0${tsconfigText ?? ""}\0`)
    .update(source)
    .digest("hex");
}

function recordPath(dir: string, key: string): string {
  return join(dir, "commonjs", `${key}.json`);
}

export function readRecord(dir: string, key: string): CompiledRecord | undefined {
  let text: string;
  try {
    text = readFileSync(recordPath(dir, key), "utf8");
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

export function writeRecord(dir: string, key: string, record: CompiledRecord): void {
  const path = recordPath(dir, key);
  mkdirSync(join(dir, "commonjs"), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record), { mode: 0o600 });
  renameSync(temporary, path);
}
