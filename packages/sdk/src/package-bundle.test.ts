import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";

// `import "baton"` loads the SDK's bundle (scripts/bundle.mjs, package.json "exports"): these
// run real Node processes on what `npm run build` wrote, resolving the package by its name as a
// project that installed it does.
const sdk = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(sdk, "package.json"), "utf8")) as { exports: Record<string, { types: string; default: string }> };
const resolveFromRoot = createRequire(join(sdk, "..", "..", "package.json")).resolve;
const specifiers = Object.keys(manifest.exports).map((subpath) => (subpath === "." ? "baton" : `baton/${subpath.slice(2)}`));

/** Runs `script` as an ES module in a fresh Node; its stdout lines. */
function probe(script: string): string[] {
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`the probe failed (${child.status}): ${child.stderr}`);
  return child.stdout.split("\n").filter(Boolean);
}

describe("the SDK's package", () => {
  test("every public entry resolves by name into dist/bundle/ and exports what its dist/ module exports", () => {
    const bundle = join(sdk, "dist", "bundle");
    for (const specifier of specifiers) {
      const resolved = resolveFromRoot(specifier);
      expect(dirname(resolved), specifier).toBe(bundle);
      const subpath = specifier === "baton" ? "." : `./${specifier.slice(6)}`;
      const source = join(sdk, manifest.exports[subpath]!.types.replace(/\.d\.ts$/, ".js"));
      const [bundled, built] = probe(`
        const a = await import(${JSON.stringify(pathToFileURL(resolved).href)});
        const b = await import(${JSON.stringify(pathToFileURL(source).href)});
        console.log(JSON.stringify(Object.keys(a).sort()));
        console.log(JSON.stringify(Object.keys(b).sort()));
      `);
      expect(JSON.parse(bundled!), specifier).toEqual(JSON.parse(built!));
      expect(JSON.parse(bundled!).length, specifier).toBeGreaterThan(0);
    }
  });

  test("its entries are one SDK: a name two entries export is the same object, whichever is imported first", () => {
    const url = (specifier: string) => JSON.stringify(pathToFileURL(resolveFromRoot(specifier)).href);
    for (const entry of specifiers.filter((s) => s !== "baton")) {
      for (const order of [[entry, "baton"], ["baton", entry]]) {
        const [line] = probe(`
          const first = await import(${url(order[0]!)});
          const second = await import(${url(order[1]!)});
          const shared = Object.keys(first).filter((name) => name in second);
          console.log(JSON.stringify({ shared: shared.length, different: shared.filter((name) => first[name] !== second[name]) }));
        `);
        const answer = JSON.parse(line!) as { shared: number; different: string[] };
        expect(answer.different, order.join(" then ")).toEqual([]);
        // Every entry but the loader re-exports part of "baton" (the client, settings, errors): an empty overlap would prove nothing.
        if (entry !== "baton/loader") expect(answer.shared, order.join(" then ")).toBeGreaterThan(0);
      }
    }
  });

  test("as npm packs it and a project installs it: every entry imports from the installed copy alone", () => {
    // Unpacked under the repository's node_modules, so the package's own dependencies resolve
    // (walking up) without a registry, as they would beside it in a project.
    const cache = join(sdk, "..", "..", "node_modules", ".cache");
    mkdirSync(cache, { recursive: true });
    const project = mkdtempSync(join(cache, "baton-packed-"));
    try {
      const packed = spawnSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", project], { cwd: sdk, encoding: "utf8" });
      expect(packed.status, packed.stderr).toBe(0);
      const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
      const installed = join(project, "node_modules", "baton");
      mkdirSync(installed, { recursive: true });
      const untar = spawnSync("tar", ["-xzf", join(project, filename), "-C", installed, "--strip-components=1"], { encoding: "utf8" });
      expect(untar.status, untar.stderr).toBe(0);
      writeFileSync(
        join(project, "main.mjs"),
        [
          ...specifiers.map((specifier, i) => `import * as entry${i} from ${JSON.stringify(specifier)};`),
          `const { flow, task } = entry0;`,
          `const add = task({ name: "add" }, async (a, b) => a + b);`,
          `const sums = flow({ name: "sums" }, async () => add(1, 2));`,
          `console.log(JSON.stringify({ flow: sums.name, task: add.taskName, resolved: ${JSON.stringify(specifiers)}.map((s) => import.meta.resolve(s)), sizes: [${specifiers.map((_, i) => `Object.keys(entry${i}).length`).join(", ")}] }));`,
        ].join("\n"),
      );
      const run = spawnSync(process.execPath, [join(project, "main.mjs")], { cwd: project, encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      const answer = JSON.parse(run.stdout.trim().split("\n").pop()!) as { flow: string; task: string; resolved: string[]; sizes: number[] };
      expect(answer).toMatchObject({ flow: "sums", task: "add" });
      for (const url of answer.resolved) expect(fileURLToPath(url).startsWith(join(installed, "dist", "bundle"))).toBe(true);
      expect(answer.sizes.every((n) => n > 0)).toBe(true);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 60_000);

  test("a stack through the bundle points at src/ with source maps on", () => {
    const [line] = probe(`
      process.setSourceMapsEnabled(true);
      const { flow } = await import(${JSON.stringify(pathToFileURL(resolveFromRoot("baton")).href)});
      try { flow({ name: "-bad" }, async () => 1); } catch (error) { console.log(error.stack.split("\\n").find((l) => l.includes("/packages/sdk/"))); }
    `);
    expect(line).toMatch(/packages[\\/]sdk[\\/]src[\\/].*\.ts:\d+:\d+/);
  });
});
