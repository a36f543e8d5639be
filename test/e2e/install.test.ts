/*
 * The README's first command is `npm ci`: on the Node versions the README supports it must print
 * no engine warning (every locked package accepts them) and no "install scripts not yet covered
 * by allowScripts" warning (each such package approved or denied in package.json). The quick
 * start builds with esbuild so the first run comes in seconds; npm test keeps the tsc check.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => JSON.parse(readFileSync(`${root}${path}`, "utf8"));
// npm's own version-range library (fastify's dependency too): what npm ci checks engines with.
const semver = createRequire(`${root}package.json`)("semver") as { satisfies(version: string, range: string): boolean };

/** The lowest release of each Node line the README supports (Vite's rolldown needs 22.13 on 22). */
const SUPPORTED = ["20.19.0", "22.13.0", "24.0.0"];

test("every package npm ci installs accepts Node 20.19+ and 24", () => {
  const lock = read("package-lock.json") as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
  const refused: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    const range = !Array.isArray(pkg.engines) ? pkg.engines?.node : undefined;
    if (!path || !range) continue;
    for (const node of SUPPORTED) if (!semver.satisfies(node, range)) refused.push(`${path}@${pkg.version} needs node ${range} (not ${node})`);
  }
  expect(refused).toEqual([]);
  expect(read("package.json").engines.node).toBe(">=20.19");
});

test("every locked package with an install script is approved or denied in package.json", () => {
  const lock = read("package-lock.json") as { packages: Record<string, { hasInstallScript?: boolean }> };
  const allowed = read("package.json").allowScripts as Record<string, boolean> | undefined;
  const withScripts = Object.entries(lock.packages)
    .filter(([path, pkg]) => path && pkg.hasInstallScript)
    .map(([path]) => path.replace(/^.*node_modules\//, ""));
  expect(withScripts.length).toBeGreaterThan(0);
  expect(withScripts.filter((name) => allowed?.[name] === undefined)).toEqual([]);
  // better-sqlite3 is the database: its native build must be allowed.
  expect(allowed?.["better-sqlite3"]).toBe(true);
  // npm's own check, on the installed tree.
  expect(execFileSync("npm", ["install-scripts", "ls"], { cwd: root, encoding: "utf8" })).toMatch(/No packages with unreviewed install scripts/);
});

test("the quick start builds with a transpiler, and npm test type-checks", () => {
  const scripts = read("package.json").scripts as Record<string, string>;
  expect(scripts.quickstart).toMatch(/^node scripts\/build-fast\.mjs && node scripts\/quickstart\.mjs$/);
  expect(scripts.test).toMatch(/npm run build/);
  expect(scripts.build).toMatch(/tsc -b/);
});
