// Start a server with memwatch.cjs preloaded and read what it wrote.
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HERE } from "./lib.mjs";

const logOf = (label) => join(tmpdir(), `baton-memlog-${process.pid}-${label}.jsonl`);

/** The environment that makes a server write its memory each second under `label`. */
export const memwatchEnv = (label) => ({ NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${join(HERE, "memwatch.cjs")}`.trim(), BENCH_MEMLOG: logOf(label) });

/** The samples' maxima and the last sample, MB; a timeline of at most 40 samples. */
export function readMemlog(label) {
  const file = logOf(label);
  if (!existsSync(file)) return null;
  const samples = readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  if (samples.length === 0) return null;
  const keys = ["rss", "heap_used", "heap_total", "external", "array_buffers"];
  const max = Object.fromEntries(keys.map((k) => [k, Math.max(...samples.map((s) => s[k]))]));
  const step = Math.ceil(samples.length / 40);
  return { max, last: samples.at(-1), timeline: samples.filter((_, i) => i % step === 0 || i === samples.length - 1) };
}
