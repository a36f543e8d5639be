// What loading Baton costs a flow process (issue 14, item 4): `import { flow, task } from "baton"`
// in a fresh Node process, wall time and CPU time (user + system) of the import alone, beside
// `import "@baton/core"` (every API schema built) for comparison. Run after `npm run build`:
//   node bench/import/run.mjs [runs=15]
// Prints the median and the range of each, and the 1-minute load average before and after.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = Number(process.argv[2] ?? 15);

const probe = (specifier) => `
  const wall = performance.now(), cpu = process.cpuUsage();
  await import(${JSON.stringify(specifier)});
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ wall: performance.now() - wall, cpu: (used.user + used.system) / 1000, zod: "__zod_globalRegistry" in globalThis }));
`;

const cases = [
  // By name, from the project's root, as a flow file imports it: "baton" is the SDK's bundle (dist/bundle/).
  { name: 'import { flow, task } from "baton"', script: probe("baton") },
  { name: 'import "@baton/core" (all API schemas)', script: probe("@baton/core") },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)} to ${Math.max(...xs).toFixed(0)})`;

console.log(`${new Date().toISOString()} node ${process.version}, ${runs} runs each, alternated; load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const results = cases.map(() => ({ wall: [], cpu: [], zod: false }));
for (let i = 0; i < runs; i++) {
  cases.forEach((c, k) => {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", c.script], { cwd: ROOT, encoding: "utf8" });
    if (child.status !== 0) throw new Error(`${c.name} failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split("\n").pop());
    results[k].wall.push(r.wall);
    results[k].cpu.push(r.cpu);
    results[k].zod ||= r.zod;
  });
}
console.log("| import | wall, median (range) | CPU, median (range) | zod loaded |\n|---|---|---|---|");
cases.forEach((c, k) => console.log(`| ${c.name} | ${fmt(results[k].wall)} | ${fmt(results[k].cpu)} | ${results[k].zod ? "yes" : "no"} |`));
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
