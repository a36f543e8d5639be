#!/usr/bin/env node
// The quick start's build: each package's TypeScript transpiled file by file with esbuild (no
// type-checking, no declarations) and the web UI bundled by Vite without its `tsc` pass. On two
// cores this takes seconds where `tsc -b` takes minutes; `npm test`, `npm run build` and CI keep
// the full type-check. Safe file by file because the sources use `verbatimModuleSyntax` (every
// type-only import is marked). Removes each package's .tsbuildinfo so the next `tsc -b`
// rebuilds everything instead of trusting this output.
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
// Dependencies before dependents, as in the root `build` script.
const PACKAGES = ["core", "sdk", "server", "worker", "cli"];

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) yield path;
  }
}

const started = Date.now();
for (const name of PACKAGES) {
  const dir = join(root, "packages", name);
  rmSync(join(dir, "dist", ".tsbuildinfo"), { force: true });
  const entryPoints = [...sources(join(dir, "src"))];
  await build({
    entryPoints,
    outdir: join(dir, "dist"),
    outbase: join(dir, "src"),
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    logLevel: "warning",
  });
  console.log(`built packages/${name} (${entryPoints.length} files, transpiled without type-checking)`);
}

// The SDK's bundle (what `import "baton"` loads), then the run bundle (what a run's process loads),
// both built from the packages' dist/ as `npm run build` does.
const sdkBundle = spawnSync(process.execPath, [join(root, "packages/sdk/scripts/bundle.mjs")], { stdio: "inherit" });
if (sdkBundle.status !== 0) process.exit(sdkBundle.status ?? 1);
console.log("built packages/sdk/dist/bundle (what import \"baton\" loads)");

const bundle = spawnSync(process.execPath, [join(root, "packages/cli/scripts/bundle-run.mjs")], { stdio: "inherit" });
if (bundle.status !== 0) process.exit(bundle.status ?? 1);
console.log("built packages/cli/dist/run-bundle (what a run's process loads)");

const vite = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], {
  cwd: join(root, "packages/ui"),
  stdio: "inherit",
});
if (vite.status !== 0) process.exit(vite.status ?? 1);
const compress = spawnSync(process.execPath, [join(root, "packages/ui/scripts/compress.mjs")], { cwd: join(root, "packages/ui"), stdio: ["ignore", "ignore", "inherit"] });
if (compress.status !== 0) process.exit(compress.status ?? 1);
console.log(`built packages/ui (the web UI)`);
console.log(`build done in ${((Date.now() - started) / 1000).toFixed(1)} s; npm test and npm run build type-check everything`);
