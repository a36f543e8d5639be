#!/usr/bin/env node
/**
 * What `import { flow, task } from "baton"` loads (issue 14, item 4): the SDK's public entries as
 * a few ES module files in dist/bundle/ instead of its ~90 files of dist/, since Node's ES module
 * loader costs more per file than evaluating the code (measured: the import alone 90 -> 40 ms).
 * Built from dist/ (after `tsc -b`); package.json's "exports" point here, "types" at dist/.
 *
 * Every entry is built in one pass with shared chunks, so "baton", "baton/client" and the others
 * are one instance (one run context) whichever a program imports first. Dependencies, @baton/core
 * among them, stay packages of their own: an error class of core must be the same class for the
 * SDK and for the CLI or server that catches it. All files sit at dist/bundle/ itself, one level
 * below dist/ as every SDK module was: code that finds its package with
 * `new URL("../../package.json", import.meta.url)` (loader/resolve-baton.ts, errors/error-stack.ts)
 * finds it from here too, and `new URL("./resolve-hook.js", import.meta.url)` is an entry here.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const sdk = fileURLToPath(new URL("..", import.meta.url));
const dist = join(sdk, "dist");
const outdir = join(dist, "bundle");

/** Each public subpath's built module in dist/, read off its "types" (dist/client/index.d.ts -> dist/client/index.js). */
const { exports } = JSON.parse(readFileSync(join(sdk, "package.json"), "utf8"));
const entryPoints = { "resolve-hook": join(dist, "loader", "resolve-hook.js") };
for (const [subpath, target] of Object.entries(exports)) {
  const name = subpath === "." ? "index" : subpath.slice(2);
  const expected = `./dist/bundle/${name}.js`;
  if (target.default !== expected) throw new Error(`packages/sdk/package.json: exports["${subpath}"].default is "${target.default}"; it must be "${expected}", the bundle's entry`);
  entryPoints[name] = join(sdk, target.types.replace(/\.d\.ts$/, ".js"));
}

rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: sdk,
  metafile: true,
  entryPoints,
  outdir,
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  // dist/'s own source maps are read in: a stack mapped with --enable-source-maps names src/*.ts.
  sourcemap: true,
  logLevel: "warning",
});

// What it was built from: vitest.config.ts rebuilds it when a `tsc -b` left dist/ newer.
writeFileSync(join(outdir, "inputs.json"), `${JSON.stringify(Object.keys(metafile.inputs).filter((input) => !input.startsWith("<")))}\n`);
