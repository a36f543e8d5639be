import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The workspace's dependencies stay few, single and explained: each declared one is imported by
 * its package, zod (whose schemas cross package lines) is one version everywhere, and the README
 * says why each runtime dependency is there.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PACKAGES = ["core", "sdk", "server", "worker", "cli", "ui"];

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8")) as Manifest;

function sourceText(dir: string): string {
  const texts: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      if (name === "node_modules" || name === "dist") continue;
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name)) texts.push(readFileSync(full, "utf8"));
    }
  };
  for (const sub of ["src", "bin", "scripts"]) {
    try {
      walk(join(ROOT, "packages", dir, sub));
    } catch {
      // Not every package has every folder.
    }
  }
  return texts.join("\n");
}

/** A module a package imports without naming it in an import (the UI's zod comes through @baton/core). */
const USED_INDIRECTLY: Record<string, string[]> = { ui: ["zod"] };

describe("the workspace's dependencies", () => {
  it("every declared dependency is imported by its package", () => {
    const unused: string[] = [];
    for (const dir of PACKAGES) {
      const text = sourceText(dir);
      for (const dep of Object.keys(manifest(dir).dependencies ?? {})) {
        if (USED_INDIRECTLY[dir]?.includes(dep)) continue;
        const escaped = dep.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        if (!new RegExp(`(from |import\\(|require\\()"${escaped}(/[^"]*)?"`).test(text)) unused.push(`packages/${dir}: ${dep}`);
      }
    }
    expect(unused).toEqual([]);
  });

  it("zod is one version across the workspace, declared alike everywhere", () => {
    const ranges = new Set(PACKAGES.map((dir) => manifest(dir).dependencies?.zod).filter(Boolean));
    expect([...ranges]).toHaveLength(1);
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
    const copies = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/zod$/.test(path));
    expect(copies.map(([path, entry]) => `${path}@${entry.version}`)).toHaveLength(1);
  });

  it("the README says why each runtime dependency is there", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Dependencies, and why each"));
    const rows = table.split("\n").filter((line) => line.startsWith("| ")).map((line) => line.split("|")[1]!);
    // "@fastify/swagger(-ui)" names two packages; "commander (14.x)" one, with a note.
    const explained = new Set(
      rows.flatMap((cell) =>
        cell.split(/,\s*/).flatMap((token) => {
          const name = token.trim();
          const pair = /^(\S+?)\((-[\w-]+)\)$/.exec(name);
          return pair ? [pair[1]!, pair[1]! + pair[2]!] : [name.replace(/\s*\(.*\)$/, "")];
        }),
      ),
    );
    const missing = new Set<string>();
    for (const dir of PACKAGES) {
      for (const dep of Object.keys(manifest(dir).dependencies ?? {})) {
        if (dep !== "baton" && !dep.startsWith("@baton/") && !explained.has(dep)) missing.add(dep);
      }
    }
    expect([...missing].sort()).toEqual([]);
  });
});
